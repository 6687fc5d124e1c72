"""Eager title translation as a story hook during ingest, and the models/translate commands end to end."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsfold.cli import cli
from newsfold.config import load_config
from newsfold.engine import ingest
from newsfold.hooks import story_hooks
from newsfold.ingest.files import iter_inputs
from newsfold.language.eager import EagerTranslation
from newsfold.language.errors import ModelError
from newsfold.language.models import ModelStore
from newsfold.steps import default_pipeline
from newsfold.store.db import Database
from tests.conftest import SEED_ARTICLE, SEED_LIMITED, SEEDS
from tests.language.conftest import TINY, make_argos_package


def _translations(db: Database) -> list[sqlite3.Row]:
    """Every cached translation."""
    with db.read() as conn:
        return conn.execute("SELECT model, source, target, translation FROM translations").fetchall()


def test_story_hook_is_registered() -> None:
    """The eager translation hook runs after every ingest batch."""
    assert any(isinstance(hook, EagerTranslation) for hook in story_hooks())


def test_eager_titles_into_reader_languages(db: Database, models: ModelStore) -> None:
    """Ingesting the (English) seeds with an en->de model and reader language de caches their titles in German."""
    models.install(TINY, name="tiny-en-de", source="en", target="de")
    config = load_config(
        environ={
            "NEWSFOLD_MODELS_DIR": str(models.root),
            "NEWSFOLD_READER_LANGUAGES": "de,en",
            "NEWSFOLD_TRANSLATE_DEVICE": "cpu",
            "NEWSFOLD_TRANSLATE_THREADS": "1",
        }
    )
    hook = EagerTranslation(config)
    ingest(db, iter_inputs([str(SEEDS)]), default_pipeline(hooks=[hook]))
    rows = _translations(db)
    with db.read() as conn:
        titles = {r[0] for r in conn.execute("SELECT title FROM articles WHERE title IS NOT NULL AND language='en'")}
    assert titles and hook.translated >= len(titles)
    assert {(r["model"], r["source"], r["target"]) for r in rows} == {("tiny-en-de", "en", "de")}
    assert len(rows) >= len(titles)


def test_eager_without_models_is_a_no_op(db: Database, tmp_path: Path) -> None:
    """No model installed: ingest works, nothing is translated."""
    config = load_config(environ={"NEWSFOLD_MODELS_DIR": str(tmp_path / "none")})
    hook = EagerTranslation(config)
    report = ingest(db, iter_inputs([str(SEED_ARTICLE)]), default_pipeline(hooks=[hook]))
    assert report.new >= 1 and hook.translated == 0 and _translations(db) == []


def _run(runner: CliRunner, env: dict[str, str], *args: str) -> Result:
    """Invoke the CLI in-process (exceptions stay on the result, as run_main would turn them into one line)."""
    return runner.invoke(cli, list(args), env=env, standalone_mode=False)


def test_cli_models_and_translate(runner: CliRunner, tmp_path: Path) -> None:
    """install (folder and .argosmodel), list, translate with the cache, remove: through the command line."""
    env = {
        "NEWSFOLD_MODELS_DIR": str(tmp_path / "models"),
        "NEWSFOLD_TRANSLATE_DEVICE": "cpu",
        "NEWSFOLD_TRANSLATE_THREADS": "1",
    }
    result = _run(runner, env, "models", "list")
    assert result.exception is None and "no translation models installed" in result.output
    result = _run(runner, env, "models", "install", str(TINY), "--from", "en", "--to", "de", "--name", "tiny-en-de")
    assert result.exception is None, result.output
    assert "installed tiny-en-de (en -> de)" in result.output
    result = _run(runner, env, "models", "install", str(make_argos_package(tmp_path, "es", "en")))
    assert result.exception is None and "argos-es-en" in result.output
    listed = [json.loads(line) for line in _run(runner, env, "models", "list", "--json").output.splitlines()]
    assert [(m["name"], m["sources"], m["targets"]) for m in listed] == [
        ("argos-es-en", ["es"], ["en"]),
        ("tiny-en-de", ["en"], ["de"]),
    ]

    db_path = tmp_path / "cache.db"
    result = _run(runner, env, "translate", str(SEED_LIMITED), "--to", "de", "--db", str(db_path))
    assert result.exception is None, result.output
    assert "[machine translation en -> de by tiny-en-de]" in result.output
    first = result.output
    db = Database(db_path)
    try:
        cached = len(_translations(db))
    finally:
        db.close()
    assert cached >= 2
    again = _run(runner, env, "translate", str(SEED_LIMITED), "--to", "de", "--db", str(db_path))
    assert again.output == first

    result = _run(runner, env, "translate", str(SEED_LIMITED), "--to", "fr", "--no-cache")
    assert result.return_value == 1 and "no installed model translates en into fr" in result.output

    result = _run(runner, env, "models", "remove", "tiny-en-de")
    assert result.exception is None and "removed tiny-en-de" in result.output
    result = _run(runner, env, "models", "remove", "tiny-en-de")
    assert isinstance(result.exception, ModelError)


def test_cli_install_by_name_explains(runner: CliRunner, tmp_path: Path) -> None:
    """A name that is not a file: instructions on what to download and where to put it, exit 1, no network."""
    with socket.socket() as sock:  # a local port nothing listens on stands for "no network": no test goes online
        sock.bind(("127.0.0.1", 0))
        hub = f"http://127.0.0.1:{sock.getsockname()[1]}"
    env = {
        "NEWSFOLD_MODELS_DIR": str(tmp_path / "models"),
        "NEWSFOLD_MODELS_HUB_URL": hub,
        "NEWSFOLD_FETCH_ALLOWED_NETWORKS": "127.0.0.1/32",
    }
    result = _run(runner, env, "models", "install", "opus-mt-de-en")
    assert result.return_value == 1
    assert "Helsinki-NLP/opus-mt-de-en" in result.output and str(tmp_path / "models") in result.output
    assert not (tmp_path / "models").exists()


def test_cli_translate_creates_no_database(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --db and no database in place, translate works uncached and leaves no file behind."""
    env = {
        "NEWSFOLD_MODELS_DIR": str(tmp_path / "models"),
        "NEWSFOLD_TRANSLATE_DEVICE": "cpu",
        "NEWSFOLD_TRANSLATE_THREADS": "1",
    }
    ModelStore(tmp_path / "models").install(TINY, name="tiny-en-de", source="en", target="de")
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = _run(runner, env, "translate", str(SEED_LIMITED), "--to", "de")
    assert result.exception is None and "machine translation en -> de" in result.output
    same = _run(runner, env, "translate", str(SEED_LIMITED), "--to", "en")
    assert "[original, already in en]" in same.output and "Karbala" in same.output
    assert list(folder.iterdir()) == []
