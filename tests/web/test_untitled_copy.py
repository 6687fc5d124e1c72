"""A copy with no title or outlet (seed 000): shown with a title made from its original or its first sentence, marked
as such, and named by its site (not "(untitled) · unknown source") wherever anything names it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.cli import cli
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from tests.web.seed_site import seed_site
from tests.web.site_fixture import Client, add_story, article

OPENING = "KARBALA, Iraq U.S. officials say recent airstrikes in Syria and Iraq"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The demo's site."""
    yield from seed_site(tmp_path_factory.mktemp("untitled"))


def _untitled(seeds: Client) -> tuple[dict[str, object], dict[str, object]]:
    """The seed story and its untitled member (seed 000's article)."""
    story = next(s for s in seeds.get("/api/stories").json()["stories"] if len(s["articles"]) == 2)
    member = next(a for a in story["articles"] if not a["title"])
    return story, member


def test_the_json_says_what_title_was_made_and_from_what(seeds: Client) -> None:
    story, member = _untitled(seeds)
    assert member["derived_title"]["from"] == "first_sentence"
    assert str(member["derived_title"]["text"]).startswith(OPENING)
    article = seeds.get(f"/api/articles/{member['id']}").json()
    assert article["title"] is None and article["derived_title"] == member["derived_title"]
    assert seeds.get(f"/api/stories/{story['id']}").json()["articles"] == story["articles"]


def test_pages_show_a_marked_title_and_a_named_site(seeds: Client) -> None:
    story, member = _untitled(seeds)
    pages = ["/", f"/stories/{story['id']}", f"/articles/{member['id']}", "/feeds/latest.atom", "/feeds/latest.json"]
    for path in pages:
        body = seeds.get(path).text
        assert "(untitled)" not in body and "unknown source" not in body, path
    story_page = HTMLParser(seeds.get(f"/stories/{story['id']}").text)
    item = next(li for li in story_page.css("li.member") if f"/articles/{member['id']}" in li.html)
    assert item.css_first(".derived-title").text().startswith(OPENING)
    assert "first sentence" in item.css_first(".derived-mark").text()
    assert "unnamed site" in item.css_first(".outlet").text()
    article = HTMLParser(seeds.get(f"/articles/{member['id']}").text)
    assert article.css_first("h1 .derived-title").text().startswith(OPENING)
    assert article.css_first("title").text().startswith(OPENING)


def test_a_story_of_untitled_articles_takes_its_opening_words(tmp_path: object) -> None:

    db = Database(Path(str(tmp_path)) / "u.db")
    with db.write() as conn:
        item = article("", "Floods closed the river road on Tuesday. More rain is due.", "X", "en", None)
        item.title = None
        story_id = add_story(conn, [(item, "original")])
        story = stories_db.get_story(conn, story_id)
    db.close()
    assert story is not None and story.title == "Floods closed the river road on Tuesday."


def test_the_story_command_shows_the_marked_title(seeds: Client, tmp_path_factory: pytest.TempPathFactory) -> None:
    story, _ = _untitled(seeds)
    path = seeds.app.state.site.db.path
    result = CliRunner().invoke(cli, ["story", str(story["id"]), "--db", str(path)])
    assert f"{OPENING}" in result.output and "[first sentence; no title]" in result.output
    assert "(untitled)" not in result.output
