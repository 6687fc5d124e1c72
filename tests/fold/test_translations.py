"""Translations are copies: an article and its translations into other languages fold into one story, one of them
the original and the others copies of it; a report of the same event in another language stays a report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsfold.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "translations"


def _run(args: list[str]) -> str:
    """Invoke the CLI in-process and return its stdout (failing on a non-zero status)."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    assert int(result.return_value or 0) == 0, result.stderr
    return result.stdout


def test_stories_json_shows_translations_as_copies_of_their_original(tmp_path: Path) -> None:
    """English, French and Spanish versions of one article: one original, two copies naming it; the German
    commentary on the same event is no copy."""
    db = str(tmp_path / "translations.db")
    _run(["ingest", str(FIXTURES), "--db", db])
    stories = [json.loads(line) for line in _run(["stories", "--json", "--db", db]).splitlines()]
    versions = [s for s in stories if {"en", "fr", "es"} <= {a["language"] for a in s["articles"]}]
    assert len(versions) == 1
    members = {a["language"]: a for a in versions[0]["articles"]}
    originals = [a for a in members.values() if a["relation"] == "original"]
    assert len(originals) == 1
    for language in ("en", "fr", "es"):
        member = members[language]
        assert member["relation"] in ("original", "copy")
        if member["relation"] == "copy":
            assert member["copy_of"] == originals[0]["id"]
    german = [a for s in stories for a in s["articles"] if a["language"] == "de"]
    assert len(german) == 1 and german[0]["relation"] != "copy"
