"""Installed translation models: install from a folder or an .argosmodel file, list, find by pair, remove.

Every installed model is a folder under the models directory with a CTranslate2 model, its sentencepiece
tokenizer(s) and a manifest (newsfold-model.json) saying what it is: its kind, which languages it translates from
and into, and its tokenizer files. Nothing here opens a network connection (downloads by name: language/hub.py).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from newsfold.language.errors import ModelError
from newsfold.language.modelinfo import FLORES, ModelInfo
from newsfold.language.translate import CTranslate2Translator, TranslateSettings
from newsfold.text.dates import now_iso

log = logging.getLogger(__name__)

MANIFEST = "newsfold-model.json"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
OPUS_NAME = re.compile(r"opus-mt-(?:tc-(?:big|base)-)?([a-z]{2,3})-([a-z]{2,3})(?:$|[^a-z])")
MAX_ARCHIVE_BYTES = 4 * 1024**3  # an unpacked .argosmodel larger than this is refused


def read_manifest(folder: Path) -> ModelInfo:
    """The manifest of an installed model folder."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(str(folder), f"not an installed model ({exc})") from exc
    known = {f.name for f in fields(ModelInfo)} - {"path"}
    required = {"name", "kind", "sources", "targets", "source_spm", "target_spm"}
    if not isinstance(data, dict) or not required <= data.keys():
        raise ModelError(str(folder), f"{MANIFEST} lacks some of {', '.join(sorted(required))}")
    return ModelInfo(path=folder, **{key: value for key, value in data.items() if key in known})


def _vocabulary(model_dir: Path) -> list[str]:
    """The CTranslate2 model's source vocabulary (shared or source_vocabulary), as tokens."""
    for name in ("shared_vocabulary.json", "source_vocabulary.json"):
        path = model_dir / name
        if path.exists():
            return [str(token) for token in json.loads(path.read_text(encoding="utf-8"))]
    for name in ("shared_vocabulary.txt", "source_vocabulary.txt"):
        path = model_dir / name
        if path.exists():
            return path.read_text(encoding="utf-8").splitlines()
    return []


def _check_ctranslate2(model_dir: Path, location: str) -> None:
    """Refuse a folder without a loadable CTranslate2 model."""
    if not (model_dir / "model.bin").is_file() or not (model_dir / "config.json").is_file():
        raise ModelError(location, "no CTranslate2 model here (model.bin and config.json are missing)")
    try:
        json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelError(location, f"config.json is not JSON ({exc})") from exc


def describe_folder(folder: Path, source: str | None, target: str | None, location: str | None = None) -> ModelInfo:
    """Work out what a model folder holds: Marian (source.spm/target.spm), NLLB, or an unpacked Argos package."""
    location = location or str(folder)
    if (folder / "metadata.json").is_file() and (folder / "model").is_dir():
        return _describe_argos(folder, source, target, location)
    _check_ctranslate2(folder, location)
    vocabulary = _vocabulary(folder)
    if "eng_Latn" in vocabulary:
        spm = _first(folder, ("sentencepiece.bpe.model", "sentencepiece.model", "spm.model"))
        if spm is None:
            raise ModelError(location, "NLLB model without its sentencepiece.bpe.model")
        codes = set(vocabulary)
        languages = sorted(iso for iso, flores in FLORES.items() if flores in codes)
        return ModelInfo(folder.name, "nllb", _subset(languages, source), _subset(languages, target), spm, spm)
    src_spm = _first(folder, ("source.spm", "sentencepiece.model", "spm.model"))
    tgt_spm = _first(folder, ("target.spm", "sentencepiece.model", "spm.model"))
    if src_spm is None or tgt_spm is None:
        raise ModelError(location, "no sentencepiece tokenizer (source.spm and target.spm) next to model.bin")
    pair = _pair_from_name(Path(location).name)
    if source is None or target is None:
        if pair is None:
            raise ModelError(location, "cannot tell the language pair: name it with --from and --to")
        source, target = source or pair[0], target or pair[1]
    elif pair is not None and pair != (source, target):
        raise ModelError(location, f"the folder's name says {pair[0]}->{pair[1]}, not {source}->{target}")
    return ModelInfo(folder.name, "marian", [source], [target], src_spm, tgt_spm)


def _describe_argos(folder: Path, source: str | None, target: str | None, location: str) -> ModelInfo:
    """An unpacked Argos Translate package: metadata.json, model/ (CTranslate2) and sentencepiece.model."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        from_code, to_code = str(metadata["from_code"]), str(metadata["to_code"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(location, f"Argos package without a readable metadata.json ({exc})") from exc
    if (source and source != from_code) or (target and target != to_code):
        asked = f"{source or from_code}->{target or to_code}"
        raise ModelError(location, f"the package translates {from_code}->{to_code}, not {asked}")
    _check_ctranslate2(folder / "model", location)
    spm = _first(folder, ("sentencepiece.model",))
    if spm is None:
        raise ModelError(location, "Argos package without sentencepiece.model")
    name = f"argos-{from_code}-{to_code}"
    return ModelInfo(name, "argos", [from_code], [to_code], spm, spm)


def _first(folder: Path, names: tuple[str, ...]) -> str | None:
    """The first of names that exists in folder."""
    return next((name for name in names if (folder / name).is_file()), None)


def _subset(languages: list[str], wanted: str | None) -> list[str]:
    """All languages, or only the wanted one (which must be among them)."""
    if wanted is None:
        return languages
    if wanted not in languages:
        raise ModelError(wanted, "the model does not know this language")
    return [wanted]


def _pair_from_name(name: str) -> tuple[str, str] | None:
    """The (source, target) an OPUS-MT style name gives, e.g. opus-mt-de-en."""
    match = OPUS_NAME.search(name.lower())
    return (match.group(1), match.group(2)) if match else None


def best_model(installed: Sequence[ModelInfo], source: str, target: str) -> ModelInfo | None:
    """The installed model for one pair, preferring single-pair models over multilingual ones (then by name)."""
    candidates = [m for m in installed if m.translates(source, target)]
    candidates.sort(key=lambda m: (m.kind == "nllb", m.name))
    return candidates[0] if candidates else None


class ModelStore:
    """The models directory: a folder per installed model."""

    def __init__(self, root: Path) -> None:
        """Use root (created on the first install)."""
        self.root = root

    def list(self) -> list[ModelInfo]:
        """Every installed model, by name; folders with a broken manifest are logged and skipped."""
        if not self.root.is_dir():
            return []
        models = []
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and (folder / MANIFEST).is_file():
                try:
                    models.append(read_manifest(folder))
                except ModelError as exc:
                    log.warning("%s", exc)
        return models

    def get(self, name: str) -> ModelInfo:
        """The installed model called name."""
        folder = self.root / name
        if not NAME.match(name) or not (folder / MANIFEST).is_file():
            raise ModelError(name, f"no such model installed in {self.root}")
        return read_manifest(folder)

    def find(self, source: str, target: str) -> ModelInfo | None:
        """The model for source -> target: a model for that one pair first, else a multilingual one."""
        models = [m for m in self.list() if m.translates(source, target)]
        models.sort(key=lambda m: (m.kind == "nllb", m.name))
        return models[0] if models else None

    def install(  # noqa: PLR0913  the install's keyword-only options
        self,
        path: Path,
        *,
        name: str | None = None,
        source: str | None = None,
        target: str | None = None,
        force: bool = False,
        origin: str | None = None,
        move: bool = False,
    ) -> ModelInfo:
        """Install a model from a folder or an .argosmodel file; the models directory never holds half a model.

        move: take a folder (a finished download on the same disk) instead of copying it; it is gone afterwards.
        """
        if not path.exists():
            raise ModelError(str(path), "no such file or folder")
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.root, prefix=".installing-") as tmp:
            if path.is_dir():
                staged = Path(tmp) / path.resolve().name
                if move:
                    path.rename(staged)
                else:
                    shutil.copytree(path, staged, ignore=shutil.ignore_patterns(".*", MANIFEST))
            else:
                (Path(tmp) / "unpacked").mkdir()
                staged = unpack_archive(path, Path(tmp) / "unpacked")
            info = describe_folder(staged, source, target, str(path))
            info.path = staged
            _check_loads(info)
            info.name = name or info.name
            if not NAME.match(info.name):
                raise ModelError(info.name, "a model name may hold only letters, digits, '.', '_' and '-'")
            info.installed = now_iso()
            info.origin = origin or str(path.resolve())
            (staged / MANIFEST).write_text(json.dumps(info.to_json(), indent=2), encoding="utf-8")
            final = self.root / info.name
            if final.exists():
                if not force:
                    raise ModelError(info.name, "already installed (remove it first, or install with --force)")
                shutil.rmtree(final)
            staged.rename(final)
        info.path = final
        log.info("installed %s (%s -> %s)", info.name, ",".join(info.sources), ",".join(info.targets))
        return info

    def remove(self, name: str) -> ModelInfo:
        """Remove an installed model."""
        info = self.get(name)
        shutil.rmtree(info.path)
        return info


def _check_loads(info: ModelInfo) -> None:
    """Load the model once on the CPU, so a corrupt one is refused at install, not when a reader opens a page."""
    CTranslate2Translator(info, TranslateSettings(device="cpu", threads=1)).load()


def unpack_archive(path: Path, into: Path) -> Path:
    """Unpack an .argosmodel (zip) into a folder safely, returning the package's folder."""
    location = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                raise ModelError(location, "archive unpacks to more than 4 GiB")
            for member in members:
                target = (into / member.filename).resolve()
                if not target.is_relative_to(into.resolve()) or member.filename.startswith("/"):
                    raise ModelError(location, f"archive member {member.filename!r} points outside the archive")
            archive.extractall(into)
    except zipfile.BadZipFile as exc:
        raise ModelError(location, "not an .argosmodel package (not a zip archive)") from exc
    folders = [p for p in into.iterdir() if p.is_dir() and (p / "metadata.json").is_file()]
    if (into / "metadata.json").is_file():
        folders = [into]
    if len(folders) != 1:
        raise ModelError(location, "not an .argosmodel package (no single folder with metadata.json)")
    return folders[0]


def download_help(name: str, root: Path) -> str:
    """What to download for a model name and where to put it (newsfold never downloads a model on its own)."""
    pair = _pair_from_name(name)
    lines = [f"'{name}' is not a file or folder here, and newsfold could not download it."]
    if pair or name.lower().startswith("opus-mt"):
        hub = name if "/" in name else f"Helsinki-NLP/{name}"
        lines += [
            f"To install the OPUS-MT model {hub}, on a machine with network access:",
            "  pip install 'ctranslate2' 'transformers[sentencepiece]' torch",
            f"  ct2-transformers-converter --model {hub} --output_dir {name.rsplit('/', maxsplit=1)[-1]} "
            "--copy_files source.spm target.spm --quantization int8",
            f"then: newsfold models install ./{name.rsplit('/', maxsplit=1)[-1]}",
        ]
    elif "nllb" in name.lower():
        hub = name if "/" in name else f"facebook/{name}"
        lines += [
            f"To install the NLLB model {hub}, on a machine with network access:",
            f"  ct2-transformers-converter --model {hub} --output_dir {name.rsplit('/', maxsplit=1)[-1]} "
            "--copy_files sentencepiece.bpe.model --quantization int8",
            f"then: newsfold models install ./{name.rsplit('/', maxsplit=1)[-1]}",
        ]
    else:
        lines += [
            "Argos Translate packages: download the .argosmodel file for your pair from the Argos Translate package "
            "index (e.g. translate-de_en-1_0.argosmodel), then: newsfold models install FILE.argosmodel",
            "OPUS-MT models: name them as opus-mt-SRC-TGT (e.g. opus-mt-de-en) for conversion instructions.",
        ]
    lines.append(f"Installed models live in {root} (setting models.dir).")
    return "\n".join(lines)
