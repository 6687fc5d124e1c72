"""Fixtures for the language tests: the tiny Marian model (random weights, real CTranslate2 + sentencepiece)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import ModelStore

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny-marian-xx-en"
TINY_NLLB = TINY.parent / "tiny-nllb"


@pytest.fixture
def models(tmp_path: Path) -> ModelStore:
    """An empty models directory."""
    return ModelStore(tmp_path / "models")


@pytest.fixture
def tiny(models: ModelStore) -> ModelInfo:
    """The tiny model installed as a German -> English model."""
    return models.install(TINY, name="tiny-de-en", source="de", target="en")


def make_argos_package(folder: Path, from_code: str = "de", to_code: str = "en", name: str = "pkg") -> Path:
    """An .argosmodel file (a zip: metadata.json, model/ and sentencepiece.model) built from the tiny model."""
    package = folder / f"{name}-src" / f"translate-{from_code}_{to_code}"
    (package / "model").mkdir(parents=True)
    for item in ("model.bin", "config.json", "shared_vocabulary.json"):
        shutil.copy(TINY / item, package / "model" / item)
    shutil.copy(TINY / "source.spm", package / "sentencepiece.model")
    metadata = {"package_version": "1.0", "from_code": from_code, "to_code": to_code, "argos_version": "1.9"}
    (package / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    archive = folder / f"translate-{from_code}_{to_code}-1_0.argosmodel"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(package.rglob("*")):
            out.write(path, path.relative_to(package.parent))
    return archive
