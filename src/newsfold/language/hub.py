"""Models by name from the public model hub: the catalogue, and the download a user asks for with `models install NAME`.

Nothing here runs on its own: only `newsfold models install NAME` calls it. Every request goes through the fetcher
(blocked address ranges, caps, timeouts). Files land in a temporary folder under the models directory, are checked
(sizes, and sha256 where the hub gives them), then installed through the same path as a local folder; any failure
leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsfold.config import Config
from newsfold.errors import InputError
from newsfold.ingest.fetch import Fetcher, FetchSettings
from newsfold.language.errors import ModelError
from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import ModelStore

log = logging.getLogger(__name__)

# files a CTranslate2 model folder may need (top level of the repository); everything else is left on the hub
MODEL_FILES = frozenset(
    {
        "model.bin",
        "config.json",
        "shared_vocabulary.json",
        "shared_vocabulary.txt",
        "source_vocabulary.json",
        "source_vocabulary.txt",
        "target_vocabulary.json",
        "target_vocabulary.txt",
        "source.spm",
        "target.spm",
        "sentencepiece.bpe.model",
        "sentencepiece.model",
        "spm.model",
    }
)
OPUS = re.compile(r"^opus-mt-([a-z]{2,3})-([a-z]{2,3})$")
REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")

Progress = Callable[[str, int | None], AbstractContextManager[Callable[[int], None]]]


@dataclass(slots=True, frozen=True)
class HubFile:
    """One file of a model on the hub, with its size and sha256 where known."""

    name: str
    size: int | None = None
    sha256: str | None = None
    repo: str | None = None  # another repository holding it (a tokenizer a conversion left out); None: the model's
    revision: str = "main"  # the revision of that other repository


@dataclass(slots=True, frozen=True)
class HubModel:
    """A model name and where it lives on the hub; files empty: listed through the hub's API."""

    name: str
    repo: str
    revision: str = "main"
    files: tuple[HubFile, ...] = ()
    source: str | None = None
    target: str | None = None
    note: str = ""
    extra: tuple[HubFile, ...] = ()  # files from other repositories, added to the listing where it lacks them


# The catalogue: names newsfold knows, each a CTranslate2 conversion on the hub. OPUS-MT pairs follow one pattern.
NAMED: dict[str, HubModel] = {
    "nllb-200-distilled-600M": HubModel(
        "nllb-200-distilled-600M",
        "JustFrederik/nllb-200-distilled-600M-ct2-int8",
        note="NLLB-200 distilled 600M, int8, about 620 MB; CC-BY-NC 4.0: non-commercial use only",
        extra=(HubFile("sentencepiece.bpe.model", repo="facebook/nllb-200-distilled-600M"),),
    ),
}
OPUS_REPO = "gaudi/opus-mt-{source}-{target}-ctranslate2"


def lookup(name: str) -> HubModel | None:
    """The catalogue entry for name: a named model, opus-mt-SRC-TGT, or a hub repository owner/name; else None."""
    if name in NAMED:
        return NAMED[name]
    match = OPUS.match(name)
    if match:
        source, target = match.groups()
        return HubModel(name, OPUS_REPO.format(source=source, target=target), source=source, target=target)
    if REPO.match(name):
        return HubModel(name.rsplit("/", 1)[1], name)
    return None


class HubClient:
    """Lists and downloads a model's files from one hub through one fetcher."""

    def __init__(self, base_url: str, fetcher: Fetcher, max_bytes: int) -> None:
        """A client for the hub at base_url; no file larger than max_bytes is kept."""
        self.base_url = base_url.rstrip("/")
        self.fetcher = fetcher
        self.max_bytes = max_bytes

    @classmethod
    def from_config(cls, config: Config) -> HubClient:
        """A client (and its own fetcher) from the settings: large caps and long timeouts for model files."""
        settings = FetchSettings.from_config(
            config,
            timeout=float(config["models.download_timeout"]),
            read_timeout=min(60.0, float(config["models.download_timeout"])),
            max_bytes=int(config["models.max_bytes"]),
            host_delay=0.0,
            obey_robots=False,  # one file the user asked for by name, not crawling
        )
        return cls(str(config["models.hub_url"]), Fetcher(settings), int(config["models.max_bytes"]))

    def close(self) -> None:
        """Close the fetcher's connections."""
        self.fetcher.close()

    def file_url(self, model: HubModel, file: HubFile) -> str:
        """Where the hub serves one file of a model."""
        return file_url(self.base_url, model, file)

    def api_url(self, model: HubModel) -> str:
        """The hub API's description of the repository (with file sizes and LFS sha256)."""
        revision = "" if model.revision == "main" else f"/revision/{quote(model.revision, safe='')}"
        return f"{self.base_url}/api/models/{model.repo}{revision}?blobs=true"

    def files(self, model: HubModel) -> tuple[HubFile, ...]:
        """The model's files: from the catalogue, else the repository's listing, kept to what a model folder needs."""
        if model.files:
            return model.files
        url = self.api_url(model)
        response = self.fetcher.fetch(url)
        if response.status in {401, 404}:
            raise ModelError(model.name, f"no repository {model.repo} on the model hub {self.base_url}")
        if response.status != 200:
            raise ModelError(model.name, f"the model hub answered HTTP {response.status} for {url}")
        try:
            data = json.loads(response.body)
        except ValueError as exc:
            raise ModelError(model.name, f"the model hub's listing is not JSON ({exc})") from exc
        files = _parse_listing(data)
        names = {f.name for f in files}
        if "model.bin" not in names:
            raise ModelError(model.name, f"{model.repo} holds no CTranslate2 model (no model.bin)")
        return files + tuple(f for f in model.extra if f.name not in names)

    def fetch_into(self, model: HubModel, file: HubFile, folder: Path, progress: Progress | None) -> Path:
        """Download one file into folder, checking its size and sha256; ModelError when it does not match."""
        if file.size is not None and file.size > self.max_bytes:
            raise ModelError(model.name, f"{file.name} has {file.size} bytes, over models.max_bytes ({self.max_bytes})")
        url = self.file_url(model, file)
        path = folder / file.name
        digest = hashlib.sha256()
        size = 0
        with path.open("wb") as out, _advance(progress, file.name, file.size) as advance:

            def sink(chunk: bytes) -> None:
                """Write one chunk, hash it and count it."""
                nonlocal size
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                advance(len(chunk))

            response = self.fetcher.download(url, sink)
        if response.status != 200:
            raise ModelError(model.name, f"the model hub answered HTTP {response.status} for {url}")
        if file.size is not None and size != file.size:
            raise ModelError(model.name, f"{file.name}: got {size} bytes, the hub lists {file.size} (incomplete)")
        if file.sha256 is not None and digest.hexdigest() != file.sha256:
            raise ModelError(model.name, f"{file.name}: sha256 {digest.hexdigest()} is not the hub's {file.sha256}")
        log.info("downloaded %s (%d bytes)", url, size)
        return path


@contextmanager
def _advance(progress: Progress | None, label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """The progress display's advance function for one file, or one that does nothing."""
    if progress is None:
        yield lambda n: None
        return
    with progress(label, total) as advance:
        yield advance


def file_url(base_url: str, model: HubModel, file: HubFile) -> str:
    """Where a hub at base_url serves one file of a model (from the model's repository or the file's own)."""
    repo, revision = (file.repo, file.revision) if file.repo else (model.repo, model.revision)
    return f"{base_url.rstrip('/')}/{repo}/resolve/{quote(revision, safe='')}/{quote(file.name)}"


def _parse_listing(data: Any) -> tuple[HubFile, ...]:
    """The model files of a hub API answer ({"siblings": [{"rfilename", "size", "lfs": {"sha256", "size"}}]})."""
    siblings = data.get("siblings") if isinstance(data, dict) else None
    if not isinstance(siblings, list):
        raise ModelError("model hub", "the repository listing has no file list (siblings)")
    files = []
    for entry in siblings:
        if not isinstance(entry, dict) or entry.get("rfilename") not in MODEL_FILES:
            continue
        lfs_entry = entry.get("lfs")
        lfs: dict[str, Any] = lfs_entry if isinstance(lfs_entry, dict) else {}
        size = lfs.get("size", entry.get("size"))
        sha = lfs.get("sha256")
        files.append(
            HubFile(
                str(entry["rfilename"]),
                size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None,
                sha if isinstance(sha, str) and SHA256.match(sha) else None,
            )
        )
    return tuple(sorted(files, key=lambda f: f.name))


def download_install(  # noqa: PLR0913  the install's keyword-only options, as ModelStore.install takes them
    store: ModelStore,
    model: HubModel,
    client: HubClient,
    *,
    name: str | None = None,
    source: str | None = None,
    target: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> ModelInfo:
    """Download a catalogued model into a temporary folder, verify it, install it; roll back on any failure.

    ConnectionFailedError (from the fetcher) when the hub cannot be reached: the caller explains what to download.
    """
    files = client.files(model)
    if not force and (store.root / (name or model.name)).exists():
        raise ModelError(name or model.name, "already installed (remove it first, or install with --force)")
    created = not store.root.exists()
    store.root.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=store.root, prefix=".downloading-") as tmp:
            folder = Path(tmp) / model.name
            folder.mkdir()
            for file in files:
                client.fetch_into(model, file, folder, progress)
            return store.install(
                folder,
                name=name or model.name,
                source=source or model.source,
                target=target or model.target,
                force=force,
                origin=f"{client.base_url}/{model.repo}@{model.revision}",
                move=True,  # the download folder lies next to the models: no second copy of a large model
            )
    except (InputError, OSError):
        if created and store.root.is_dir() and not any(store.root.iterdir()):
            shutil.rmtree(store.root)
        raise


def manual_steps(model: HubModel, base_url: str, root: Path) -> str:
    """Exactly what to download for a catalogued model and where to put it, for when the hub cannot be reached."""
    folder = model.name
    lines = [f"To install {model.name} by hand, download these files from the model hub:"]
    if model.note:
        lines.append(f"  {model.note}")
    if model.files:
        lines += [f"  {file_url(base_url, model, f)}" for f in model.files]
    else:
        wanted = "model.bin, config.json, shared_vocabulary.json (or .txt)"
        lines.append(f"  {wanted}{', source.spm, target.spm' if model.source else ''}")
        lines.append(f"  from {base_url.rstrip('/')}/{model.repo}/tree/{model.revision}")
        if not model.source and not model.extra:
            lines.append("  and the tokenizer: source.spm and target.spm (OPUS-MT), or sentencepiece.bpe.model (NLLB)")
    lines += [f"  {file_url(base_url, model, f)}" for f in model.extra]
    lines.append(f"into one folder named {folder}, then: newsfold models install ./{folder}")
    lines.append(f"(it is copied into {root})")
    return "\n".join(lines)
