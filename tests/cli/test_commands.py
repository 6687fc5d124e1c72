"""The command-line contract: shapes of the JSON outputs, idempotent ingest, demo and serve."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.enrich.timeline import at_precision
from tests.conftest import SEED_ARTICLE, SEED_LIMITED

DOCUMENT_KEYS = {
    "kind",
    "title",
    "text",
    "language",
    "published",
    "updated",
    "authors",
    "dateline",
    "source",
    "original",
    "machine_translated",
    "highlights",
}
STORY_KEYS = {"id", "title", "languages", "first_published", "last_updated", "original", "articles"}
MEMBER_KEYS = {"id", "title", "kind", "language", "published", "source", "relation"}


def run(args: list[str]) -> tuple[int, str, str]:
    """Invoke the CLI in-process."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    return int(result.return_value or 0), result.stdout, result.stderr


def test_extract_json_has_the_contract_shape() -> None:
    status, out, _ = run(["extract", str(SEED_LIMITED), "--json"])
    assert status == 0
    docs = [json.loads(line) for line in out.splitlines()]
    assert docs
    for doc in docs:
        assert set(doc) >= DOCUMENT_KEYS
        assert doc["kind"] in ("article", "press_release", "other")
        assert set(doc["source"]) == {"name", "url"}
        assert isinstance(doc["authors"], list) and isinstance(doc["highlights"], list)
    assert docs[0]["language"] == "en"


@pytest.mark.both_backends
def test_ingest_twice_changes_nothing(db_location: str) -> None:
    db = db_location
    assert run(["ingest", str(SEED_ARTICLE), str(SEED_LIMITED), "--db", str(db)])[0] == 0
    before = run(["stories", "--json", "--db", str(db)])[1]
    status, _, err = run(["ingest", str(SEED_ARTICLE.parent), "--db", str(db)])
    assert status == 0
    assert " 0 new" in err
    assert run(["stories", "--json", "--db", str(db)])[1] == before


@pytest.mark.both_backends
def test_stories_story_and_search(db_location: str) -> None:
    db = db_location
    run(["ingest", str(SEED_ARTICLE), str(SEED_LIMITED), "--db", str(db)])
    stories = [json.loads(line) for line in run(["stories", "--json", "--db", str(db)])[1].splitlines()]
    assert stories
    ids_seen: list[str] = []
    for story in stories:
        assert set(story) >= STORY_KEYS
        for member in story["articles"]:
            assert set(member) >= MEMBER_KEYS
            assert member["relation"] in ("original", "copy", "report")
            ids_seen.append(member["id"])
    assert len(ids_seen) == len(set(ids_seen)), "every item is in exactly one story"
    one = json.loads(run(["story", stories[0]["id"], "--json", "--db", str(db)])[1])
    assert one["id"] == stories[0]["id"] and one["articles"] == stories[0]["articles"]
    text = run(["story", stories[0]["id"], "--db", str(db)])[1]
    assert stories[0]["title"] in text
    seed = max(stories, key=lambda s: len(s["articles"]))  # the two copies of the seed story
    text = run(["story", seed["id"], "--db", str(db)])[1]
    assert seed["highlights"] and seed["timeline"] and seed["entities"]
    for line in seed["highlights"]:
        assert f"  - {line}" in text
    for event in seed["timeline"]:  # each date at its precision: "2003", "January 2024", "January 28, 2024"
        assert f"{at_precision(event['date'], event['precision'])[1]:<18} {event['text']}" in text
    assert "people, places, organisations: " in text and seed["entities"][0]["name"] in text
    hits = [json.loads(line) for line in run(["search", "Karbala", "--json", "--db", str(db)])[1].splitlines()]
    assert hits and all("[[Karbala]]" in h["snippet"] for h in hits)
    assert {h["story_id"] for h in hits} <= {s["id"] for s in stories}
    assert run(["stories", "--limit", "1", "--json", "--db", str(db)])[1].count("\n") == 1


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("NEWSFOLD_DB", str(db))
    assert run(["ingest", str(SEED_LIMITED)])[0] == 0
    assert db.exists()


def test_config_prints_each_setting_and_its_origin(tmp_path: Path) -> None:
    toml = tmp_path / "newsfold.toml"
    toml.write_text('db = "/tmp/from-file.db"\n[fold]\nwindow_days = 3\n')
    status, out, _ = run(["--config", str(toml), "config"])
    assert status == 0
    assert f'db = "/tmp/from-file.db"    # {toml}' in out
    assert "fold.window_days = 3" in out
    assert "serve.port = 8000    # default" in out


def test_demo_ingests_the_sample(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    status, _, err = run(["demo", "--no-serve", "--db", str(db)])
    assert status == 0 and "demo database" in err
    stories = [json.loads(line) for line in run(["stories", "--json", "--db", str(db)])[1].splitlines()]
    assert sum(len(s["articles"]) for s in stories) >= 2
    assert run(["demo", "--no-serve", "--db", str(db)])[0] == 2, "the demo refuses to reuse a database"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.both_backends
def test_serve_answers_on_loopback(db_location: str) -> None:
    db = db_location
    run(["ingest", str(SEED_ARTICLE), str(SEED_LIMITED), "--db", str(db)])
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsfold.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        response = None
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None and response.status_code == 200
        assert response.json()["stories"]
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
