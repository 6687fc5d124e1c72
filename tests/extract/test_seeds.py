"""The two seeds come out exactly as ../shared/seeds/README.md says, directly and through `newsfold extract --json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.extract import extract
from newsfold.ingest.files import read_file
from newsfold.model import Article
from tests.conftest import SEED_ARTICLE, SEED_LIMITED


def _cli_documents(runner: CliRunner, path: Path) -> list[dict[str, Any]]:
    """The documents `newsfold extract --json` prints for one file."""
    result = runner.invoke(cli, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_000() -> list[Article]:
    """Seed 000's documents, extracted directly."""
    return extract(read_file(SEED_ARTICLE))


@pytest.fixture(scope="module")
def seed_001() -> list[Article]:
    """Seed 001's documents, extracted directly."""
    return extract(read_file(SEED_LIMITED))


def test_seed_000_holds_an_article_and_a_press_release(seed_000: list[Article]) -> None:
    """Two documents: the glued press release is split off."""
    assert [d.kind for d in seed_000] == ["article", "press_release"]


def test_seed_000_article(seed_000: list[Article]) -> None:
    """Body from the dateline to 'shake hands.'; date, dateline, original, contributors; no furniture in the body."""
    article = seed_000[0]
    text = article.text
    assert text.startswith("KARBALA, Iraq U.S. officials say recent airstrikes")
    assert text.endswith("where they shake hands.")
    assert article.published is not None and article.published.date().isoformat() == "2024-02-12"
    assert article.dateline == "Karbala, Iraq"
    assert article.original is not None
    assert article.original.url == "https://www.washingtonpost.com/world/2024/02/11/us-strikes-iraq-iran/"
    assert article.original.published is not None and article.original.published.date().isoformat() == "2024-02-11"
    assert article.original.name == "The Washington Post"
    assert article.contributors == ["Ryan", "Hauslohner"]
    for furniture in ("date 2024", "Sources", "Google.com", "contact us to remove", "reported from Washington"):
        assert furniture not in text
    assert article.language == "en"


def test_seed_000_press_release(seed_000: list[Article]) -> None:
    """Title, dateline, distributor, date and own URL; 'View photos' and the contact block are not body text."""
    release = seed_000[1]
    assert release.title == "What Are The Main Benefits Of Comparing Car Insurance Quotes Online"
    assert release.dateline == "Los Angeles"
    assert release.source.name == "ACCESSWIRE"
    assert release.source.url is not None and release.source.url.startswith("https://www.accesswire.com/595055/")
    assert release.published is not None and release.published.date().isoformat() == "2020-06-24"
    text = release.text
    assert text.startswith("Compare-autoinsurance.Org has launched a new blog post")
    assert text.endswith("Marketing Director of Internet Marketing Company.")
    for furniture in ("View photos", "CONTACT:", "Phone Number", "SOURCE:", "View source version", "ACCESSWIRE"):
        assert furniture not in text


def test_seed_001_article(seed_001: list[Article]) -> None:
    """One article with its title, time, source through The Limited Times, translation and original."""
    assert len(seed_001) == 1
    article = seed_001[0]
    assert article.kind == "article"
    assert article.title == "Retaliation for killed soldiers – US attacks anger key allies in Iraq"
    assert article.published is not None and article.published.isoformat() == "2024-02-12T11:44:42+00:00"
    assert article.source.name == "merkur"
    assert article.via is not None and article.via.name == "The Limited Times"
    assert article.machine_translated is True
    assert article.original is not None
    assert article.original.language == "en"
    assert article.original.name == "The Washington Post"
    assert article.original.published is not None and article.original.published.date().isoformat() == "2024-02-11"
    assert article.authors == ["Kareem Fahim", "Mustafa Salim", "Abigail Hauslohner", "Missy Ryan"]
    assert len(article.highlights) == 1 and article.highlights[0].startswith("Retaliation for killed soldiers")


def test_seed_001_body_has_no_furniture(seed_001: list[Article]) -> None:
    """The body runs from 'Karbala - ...' to '...shake hands.'; furniture, headline lists and bios are gone."""
    article = seed_001[0]
    text = article.text
    assert text.startswith("Karbala - U.S. officials say recent airstrikes")
    assert text.endswith("They want a beautifully choreographed scene where they shake hands.”")
    furniture = [
        "The Limited Times", "Now you can see", "Highlights", "As of:", "Comments", "Press\n", "Split",
        "© Iranian Presidency", "Read The Washington Post for free", "quality ticket", "My news", "NATO response",
        "1 hour ago", "ZDF woman", "Starlink", "Swedish tank", "We are meat", "German Russia expert",
        "is Istanbul bureau chief", "Kareem also worked", "testing machine translations", "automatically translated",
        "first published in English", "Source: merkur", "All news articles", "You may like", "Trends 24h",
        "Latest", "© Communities", "external sources", "inclusion of any links",
    ]  # fmt: skip
    for line in furniture:
        assert line not in text, line
    # the standfirst and crossheads are kept, marked as such, outside the body
    roles = {p.text: p.role for p in article.paragraphs}
    assert roles.get("Iraq is living with the consequences of the Trump administration") == "heading"
    assert "Endangering internal peace" not in text
    assert article.paragraphs[0].role in ("caption", "standfirst", "heading")


def test_seeds_through_the_cli(runner: CliRunner) -> None:
    """`newsfold extract --json` prints the same documents with the contract's fields."""
    first = _cli_documents(runner, SEED_ARTICLE)
    assert [d["kind"] for d in first] == ["article", "press_release"]
    article, release = first
    assert article["published"].startswith("2024-02-12")
    assert article["dateline"] == "Karbala, Iraq"
    assert article["original"]["url"] == "https://www.washingtonpost.com/world/2024/02/11/us-strikes-iraq-iran/"
    assert article["text"].startswith("KARBALA, Iraq U.S. officials") and article["text"].endswith("shake hands.")
    assert "\n\n" in article["text"]
    assert release["title"] == "What Are The Main Benefits Of Comparing Car Insurance Quotes Online"
    assert release["dateline"] == "Los Angeles"
    assert release["published"].startswith("2020-06-24")
    assert release["source"]["name"] == "ACCESSWIRE"
    assert "accesswire.com" in release["source"]["url"]
    (limited,) = _cli_documents(runner, SEED_LIMITED)
    assert limited["kind"] == "article"
    assert limited["title"] == "Retaliation for killed soldiers – US attacks anger key allies in Iraq"
    assert limited["published"] == "2024-02-12T11:44:42Z"
    assert limited["source"]["name"] == "merkur"
    assert limited["machine_translated"] is True
    assert limited["original"]["language"] == "en" and limited["original"]["published"].startswith("2024-02-11")
    assert limited["authors"] == ["Kareem Fahim", "Mustafa Salim", "Abigail Hauslohner", "Missy Ryan"]
    assert limited["highlights"] and "Highlights" not in limited["highlights"][0]
    assert limited["text"].startswith("Karbala - U.S. officials")
    assert limited["text"].endswith("where they shake hands.”")
    assert limited["language"] == "en"


def test_seeds_keep_the_quotes_inside_the_body(seed_000: list[Article], seed_001: list[Article]) -> None:
    """Paragraphs from the middle of the story stay in both copies: a refit of the line model that kept the start
    and the end dropped the Pentagon's quote from seed 001."""
    english, german = seed_000[0].text, seed_001[0].text
    assert "As we conduct these strikes, we are very focused on the Iranian-backed proxy groups" in english
    assert "“Our strikes are focused on Iran-backed proxy groups, not the PMF,” Air Force Maj. Gen. Pat Ryder" in german
    assert "When asked, he added: “As far as I know, the people we are attacking are not part of the PMF.”" in german
