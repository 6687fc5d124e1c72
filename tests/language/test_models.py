"""Installing, listing and removing models: folders, .argosmodel files, and every kind of bad input."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from newsfold.language.errors import ModelError
from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import MANIFEST, ModelStore, download_help
from tests.language.conftest import TINY, make_argos_package


def test_install_folder_with_pair(models: ModelStore, tiny: ModelInfo) -> None:
    """A CTranslate2 folder installs under its name with the pair given; it is listed and found."""
    assert tiny.kind == "marian"
    assert (tiny.path / MANIFEST).is_file()
    assert [m.name for m in models.list()] == ["tiny-de-en"]
    found = models.find("de", "en")
    assert found is not None and found.name == "tiny-de-en"
    assert models.find("en", "de") is None
    assert models.get("tiny-de-en").sources == ["de"]


def test_pair_from_opus_name(models: ModelStore, tmp_path: Path) -> None:
    """An OPUS-MT folder name gives the pair; flags that contradict it are refused."""
    folder = tmp_path / "opus-mt-fr-en"
    shutil.copytree(TINY, folder)
    info = models.install(folder)
    assert (info.name, info.sources, info.targets) == ("opus-mt-fr-en", ["fr"], ["en"])
    with pytest.raises(ModelError, match="says fr->en"):
        models.install(folder, name="other", source="de", target="en")


def test_pair_unknown_is_refused(models: ModelStore) -> None:
    """A folder whose name and files do not say its languages needs --from and --to."""
    with pytest.raises(ModelError, match="--from and --to"):
        models.install(TINY)
    assert models.list() == []


def test_install_twice_needs_force(models: ModelStore, tiny: ModelInfo) -> None:
    """The same name cannot be installed twice unless forced."""
    with pytest.raises(ModelError, match="already installed"):
        models.install(TINY, name="tiny-de-en", source="de", target="en")
    again = models.install(TINY, name="tiny-de-en", source="de", target="en", force=True)
    assert again.path == tiny.path


def test_remove(models: ModelStore, tiny: ModelInfo) -> None:
    """Removing deletes the folder; removing again says there is no such model."""
    models.remove("tiny-de-en")
    assert not tiny.path.exists()
    with pytest.raises(ModelError, match="no such model"):
        models.remove("tiny-de-en")
    with pytest.raises(ModelError, match="no such model"):
        models.get("../etc")


def test_argos_package(models: ModelStore, tmp_path: Path) -> None:
    """An .argosmodel file installs from its metadata, without argostranslate."""
    info = models.install(make_argos_package(tmp_path, "es", "en"))
    assert (info.name, info.kind, info.sources, info.targets) == ("argos-es-en", "argos", ["es"], ["en"])
    assert (info.model_dir / "model.bin").is_file()


def test_argos_wrong_pair(models: ModelStore, tmp_path: Path) -> None:
    """A package for another pair than the one asked for is refused."""
    with pytest.raises(ModelError, match="translates es->en, not de->en"):
        models.install(make_argos_package(tmp_path, "es", "en"), source="de")


def test_archive_escaping_its_folder_is_refused(models: ModelStore, tmp_path: Path) -> None:
    """A zip member pointing outside the archive (zip slip) is refused before anything is written."""
    archive = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("pkg/metadata.json", "{}")
        out.writestr("../../escaped.txt", "x")
    with pytest.raises(ModelError, match="outside the archive"):
        models.install(archive)
    assert not (tmp_path / "escaped.txt").exists()


def test_not_a_zip(models: ModelStore, tmp_path: Path) -> None:
    """A file that is not a zip archive is refused in one line."""
    bogus = tmp_path / "x.argosmodel"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a zip"):
        models.install(bogus)


def test_corrupt_model_is_refused(models: ModelStore, tmp_path: Path) -> None:
    """A truncated model.bin is refused at install; the models directory holds nothing half-installed."""
    folder = tmp_path / "opus-mt-de-en"
    shutil.copytree(TINY, folder)
    data = (folder / "model.bin").read_bytes()
    (folder / "model.bin").write_bytes(data[: len(data) // 3])
    with pytest.raises(ModelError, match="cannot load the CTranslate2 model"):
        models.install(folder)
    assert models.list() == []
    assert [p.name for p in models.root.iterdir()] == []


def test_missing_pieces_are_refused(models: ModelStore, tmp_path: Path) -> None:
    """No model.bin, no tokenizer, unreadable config: each refused with its reason."""
    empty = tmp_path / "opus-mt-de-en"
    empty.mkdir()
    with pytest.raises(ModelError, match=r"model\.bin"):
        models.install(empty)
    shutil.rmtree(empty)
    shutil.copytree(TINY, empty)
    (empty / "source.spm").unlink()
    with pytest.raises(ModelError, match="sentencepiece"):
        models.install(empty)
    shutil.copy(TINY / "source.spm", empty / "source.spm")
    (empty / "config.json").write_text("{", encoding="utf-8")
    with pytest.raises(ModelError, match="not JSON"):
        models.install(empty)
    with pytest.raises(ModelError, match="no such file"):
        models.install(tmp_path / "absent")


def test_broken_manifest_is_skipped(models: ModelStore, tiny: ModelInfo) -> None:
    """A model folder with an unreadable manifest is skipped in listings, not fatal."""
    (tiny.path / MANIFEST).write_text(json.dumps({"name": "x"}), encoding="utf-8")
    assert models.list() == []


def test_download_help_names_what_to_get(tmp_path: Path) -> None:
    """By name: exact instructions, never a download."""
    text = download_help("opus-mt-de-en", tmp_path)
    assert "Helsinki-NLP/opus-mt-de-en" in text and "ct2-transformers-converter" in text and str(tmp_path) in text
    assert "facebook/nllb-200-distilled-600M" in download_help("nllb-200-distilled-600M", tmp_path)
    assert ".argosmodel" in download_help("german", tmp_path)
