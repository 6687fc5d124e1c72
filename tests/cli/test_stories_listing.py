"""`stories`: JSON lines give every story unless --limit says otherwise; text says how many more there are."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.store.db import Database
from tests.web.site_fixture import add_story, article

START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def _database(path: Path, count: int) -> Path:
    """A database of count one-article stories, an hour apart."""
    db = Database(path)
    with db.write() as conn:
        for n in range(count):
            item = article(f"Story {n:03d}", f"Text of story number {n}.", "Wire", "en", START + timedelta(hours=n))
            add_story(conn, [(item, "original")])
    db.close()
    return path


def _run(args: list[str]) -> tuple[str, str]:
    """stdout and stderr of one in-process call."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_json_lines_give_every_story(tmp_path: Path) -> None:
    db = _database(tmp_path / "t.db", 120)
    out, _ = _run(["stories", "--json", "--db", str(db)])
    stories = [json.loads(line) for line in out.splitlines()]
    assert len(stories) == 120
    assert len({s["id"] for s in stories}) == 120
    times = [s["last_updated"] for s in stories]
    assert times == sorted(times, reverse=True)


def test_json_lines_obey_an_explicit_limit(tmp_path: Path) -> None:
    db = _database(tmp_path / "t.db", 60)
    out, _ = _run(["stories", "--json", "--limit", "55", "--db", str(db)])
    assert len(out.splitlines()) == 55


def test_text_keeps_a_default_and_says_how_many_more(tmp_path: Path) -> None:
    db = _database(tmp_path / "t.db", 57)
    out, err = _run(["stories", "--db", str(db)])
    assert len(out.splitlines()) == 50
    assert "7 more stories" in err
    out, err = _run(["stories", "--limit", "57", "--db", str(db)])
    assert len(out.splitlines()) == 57 and "more" not in err
