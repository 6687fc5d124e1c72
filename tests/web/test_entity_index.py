"""The entity index: /entities and /api/entities list and search people, organisations and places by name, and
`newsfold entity NAME` finds one by name as well as by id."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.cli import cli
from tests.web.seed_site import seed_site
from tests.web.site_fixture import Client


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The demo's site."""
    yield from seed_site(tmp_path_factory.mktemp("entities"))


def test_the_index_lists_entities_by_stories(seeds: Client) -> None:
    data = seeds.get("/api/entities?limit=200").json()
    assert data["total"] == len(data["entities"]) > 10
    names = [e["name"] for e in data["entities"]]
    assert "Joe Biden" in names and "Mohammed Shia al-Sudani" in names
    page = HTMLParser(seeds.get("/entities?limit=200").text)
    links = {a.text(): a.attributes["href"] for a in page.css("ol.entity-index a")}
    biden = next(e for e in data["entities"] if e["name"] == "Joe Biden")
    assert links["Joe Biden"] == f"/entities/{biden['id']}"
    assert seeds.get(links["Joe Biden"]).status_code == 200
    assert HTMLParser(seeds.get("/").text).css_first('header nav a[href="/entities"]') is not None


def test_search_by_name_spelling_and_kind(seeds: Client) -> None:
    found = seeds.get("/api/entities?q=biden").json()["entities"]
    assert [e["name"] for e in found][:1] == ["Joe Biden"]
    sudani = seeds.get("/api/entities?q=Soudani").json()["entities"]
    assert [e["name"] for e in sudani] == ["Mohammed Shia al-Sudani"]
    places = seeds.get("/api/entities?kind=place").json()["entities"]
    assert places and {e["kind"] for e in places} == {"place"}
    assert seeds.get("/api/entities?kind=planet").status_code == 400
    assert seeds.get("/api/entities?q=nobody+at+all").json() == {
        "query": "nobody at all",
        "kind": None,
        "total": 0,
        "entities": [],
        "next": None,
    }
    page = seeds.get("/entities?q=%3Cscript%3Ealert(1)%3C/script%3E").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    one = seeds.get("/api/entities?limit=5").json()
    assert len(one["entities"]) == 5 and one["next"]
    two = seeds.get(f"/api/entities?limit=5&cursor={one['next']}").json()
    assert not {e["id"] for e in one["entities"]} & {e["id"] for e in two["entities"]}


def test_the_entity_command_finds_by_name(seeds: Client) -> None:
    path = str(seeds.app.state.site.db.path)
    result = CliRunner().invoke(cli, ["entity", "Joe Biden", "--db", path, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "Joe Biden" and data["stories"]
    text = CliRunner().invoke(cli, ["entity", "biden", "--db", path])
    assert text.exit_code == 0 and text.stdout.startswith("Joe Biden")
    missing = CliRunner().invoke(cli, ["entity", "Nobody Atall", "--db", path])
    assert missing.exit_code != 0 and "no entity has this id or name" in str(missing.exception)
