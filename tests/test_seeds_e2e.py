"""The reference case end to end, through the command line: ../shared/seeds/README.md."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from tests.conftest import SEED_ARTICLE, SEED_LIMITED

WAPO = "https://www.washingtonpost.com/world/2024/02/11/us-strikes-iraq-iran/"


def run(args: list[str]) -> str:
    """Invoke the CLI in-process and return its stdout (failing on a non-zero status)."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    assert int(result.return_value or 0) == 0, result.stderr
    return result.stdout


def test_seed_000_is_an_article_and_a_press_release() -> None:
    docs = [json.loads(line) for line in run(["extract", str(SEED_ARTICLE), "--json"]).splitlines()]
    assert [d["kind"] for d in docs] == ["article", "press_release"]
    article, release = docs
    assert article["text"].startswith("KARBALA, Iraq U.S. officials say recent airstrikes")
    assert article["text"].endswith("where they shake hands.")
    assert "Ryan and Hauslohner reported from Washington" not in article["text"]
    assert "Sources" not in article["text"] and "remove/changing" not in article["text"]
    assert article["published"].startswith("2024-02-12")
    assert article["dateline"] and "Karbala" in article["dateline"].title()
    assert article["original"]["url"] == WAPO
    assert article["language"] == "en"
    assert release["title"] == "What Are The Main Benefits Of Comparing Car Insurance Quotes Online"
    assert release["published"].startswith("2020-06-24")
    assert "Los Angeles" in release["dateline"].title()
    assert "accesswire.com" in (release["source"]["url"] or "").lower()
    assert "View photos" not in release["text"] and "Phone Number" not in release["text"]


def test_seed_001_is_one_machine_translated_article() -> None:
    docs = [json.loads(line) for line in run(["extract", str(SEED_LIMITED), "--json"]).splitlines()]
    assert len(docs) == 1
    doc = docs[0]
    assert doc["kind"] == "article"
    assert doc["title"] == "Retaliation for killed soldiers – US attacks anger key allies in Iraq"
    assert doc["published"].startswith("2024-02-12T11:44:42")
    assert doc["machine_translated"] is True
    assert doc["source"]["name"].lower() == "merkur"
    assert doc["original"]["language"] == "en" and doc["original"]["published"].startswith("2024-02-11")
    cited = ((doc["original"]["name"] or "") + " " + (doc["original"]["url"] or "")).lower()
    assert "washington post" in cited or "washingtonpost" in cited
    assert set(doc["authors"]) == {"Kareem Fahim", "Mustafa Salim", "Abigail Hauslohner", "Missy Ryan"}
    assert doc["highlights"], "the publisher's Highlights are kept apart"
    body = doc["text"]
    assert body.startswith("Karbala - U.S. officials say recent airstrikes")
    assert body.endswith("where they shake hands.”") or body.endswith("where they shake hands.")
    for furniture in (
        "My news",
        "1 hour ago",
        "Comments",
        "Imago",
        "Read The Washington Post",
        "Source: merkur",
        "Trends 24h",
        "Starlink",
        "is Istanbul bureau chief",
        "automatically translated",
    ):
        assert furniture not in body, furniture


@pytest.mark.both_backends
def test_seeds_fold_into_one_story_of_two_copies(db_location: str) -> None:
    db = db_location
    run(["ingest", str(SEED_ARTICLE), str(SEED_LIMITED), "--db", db])
    stories = [json.loads(line) for line in run(["stories", "--json", "--db", db]).splitlines()]
    assert len(stories) == 2
    kinds = {tuple(sorted(a["kind"] for a in s["articles"])): s for s in stories}
    story = kinds[("article", "article")]
    assert {a["relation"] for a in story["articles"]} == {"copy"}
    assert story["original"]["url"] == WAPO
    assert ("press_release",) in kinds
    one = json.loads(run(["story", story["id"], "--json", "--db", db]))
    assert {a["id"] for a in one["articles"]} == {a["id"] for a in story["articles"]}
