"""Time as a reader sees it: trends over the real 24 hours whatever the offsets, the day archive and its calendar,
an update never shown before the publication it follows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.web.seed_site import seed_site
from tests.web.site_fixture import Client, add_story, article, site_config

PLUS5 = timezone(timedelta(hours=5))
MINUS7 = timezone(timedelta(hours=-7))
NOW = datetime.now(UTC).replace(microsecond=0)


def _client(path: Path, build: object) -> Iterator[Client]:
    """A client over a database filled by build(conn)."""
    db = Database(path)
    with db.write() as conn:
        build(conn)  # type: ignore[operator]
    app = create_app(db, site_config())
    client = Client(app)
    yield client
    client.close()
    app.state.site.close()
    db.close()


def _offsets(conn: object) -> None:
    """Stories of the last hours, every time stored with an offset far from UTC."""
    one = article(
        "Lone harbour report", "The harbour closed.", "Only Outlet", "en", (NOW - timedelta(hours=1)).astimezone(PLUS5)
    )
    add_story(conn, [(one, "original")])  # type: ignore[arg-type]
    grown = [
        article(
            f"Storm report {n}",
            "A storm hit the coast.",
            f"Outlet {n}",
            lang,
            (NOW - timedelta(hours=2 + n)).astimezone(MINUS7),
        )
        for n, lang in enumerate(("en", "de", "fr"))
    ]
    add_story(conn, [(grown[0], "original"), (grown[1], "report"), (grown[2], "report")])  # type: ignore[arg-type]
    old = article("Old storm report", "An old storm.", "Outlet 9", "en", NOW - timedelta(days=30))
    add_story(conn, [(old, "original")])  # type: ignore[arg-type]


@pytest.fixture
def offsets(tmp_path: Path) -> Iterator[Client]:
    """The site over _offsets."""
    yield from _client(tmp_path / "o.db", _offsets)


def test_trends_hold_what_the_window_holds_whatever_the_offsets(offsets: Client) -> None:
    data = offsets.get("/api/trending").json()
    titles = [entry["story"]["title"] for entry in data["stories"]]
    assert titles == ["Storm report 0", "Lone harbour report"]  # growing first, the single-source story too
    assert data["recent"] is True and data["total"] == 2
    assert "last 24 hours" in data["explanation"]
    assert [entry["new"] for entry in data["stories"]] == [True, True]
    page = offsets.get("/trending").text
    assert "Nothing was published" not in page and "Lone harbour report" in page
    assert "ranked by what is new and growing" in page


def test_trends_say_when_their_window_is_not_now(tmp_path: Path) -> None:
    def build(conn: object) -> None:
        """Only old news."""
        item = article("Old news", "Something happened.", "Outlet", "en", datetime(2024, 2, 12, 20, 0, tzinfo=PLUS5))
        add_story(conn, [(item, "original")])  # type: ignore[arg-type]

    for client in _client(tmp_path / "w.db", build):
        data = client.get("/api/trending").json()
        assert [e["story"]["title"] for e in data["stories"]] == ["Old news"]
        assert data["recent"] is False and "newest news article" in data["explanation"]
        assert data["until"] == "2024-02-12T15:00:01"


def test_day_archive_uses_the_utc_day_and_lists_days(tmp_path: Path) -> None:
    def build(conn: object) -> None:
        """An article early on 2 March in UTC+5, which is 1 March in UTC; and one on 5 March."""
        late = article("Late edition", "Late news.", "Outlet", "en", datetime(2024, 3, 2, 1, 0, tzinfo=PLUS5))
        add_story(conn, [(late, "original")])  # type: ignore[arg-type]
        other = article("Other day", "Other news.", "Outlet", "en", datetime(2024, 3, 5, 9, 0, tzinfo=UTC))
        add_story(conn, [(other, "original")])  # type: ignore[arg-type]

    for client in _client(tmp_path / "d.db", build):
        first = client.get("/api/days/2024-03-01").json()
        assert [s["title"] for s in first["stories"]] == ["Late edition"]
        assert first["following"] == "2024-03-05" and first["previous"] is None
        assert client.get("/api/days/2024-03-02").json()["stories"] == []
        days = client.get("/api/days").json()
        assert [(d["day"], d["stories"]) for d in days["days"]] == [("2024-03-05", 1), ("2024-03-01", 1)]
        assert days["months"][0]["label"] == "March 2024"
        page = HTMLParser(client.get("/days").text)
        assert {a.attributes["href"] for a in page.css("table.month a")} == {"/day/2024-03-01", "/day/2024-03-05"}
        latest = HTMLParser(client.get("/").text)
        links = {a.attributes["href"] for a in latest.css("article.story-card a.day-link")}
        assert "/day/2024-03-01" in links and "/day/2024-03-05" in links
        assert latest.css_first('header nav a[href="/days"]') is not None
        story = client.get("/api/stories").json()["stories"][-1]
        story_page = HTMLParser(client.get(f"/stories/{story['id']}").text)
        assert story_page.css_first('a.day-link[href="/day/2024-03-01"]') is not None


def test_an_update_is_never_shown_before_its_publication(tmp_path: Path) -> None:
    def build(conn: object) -> None:
        """Published 20:00 at UTC+5 (15:00 UTC), updated 15:08 UTC; and one 'updated' before it was published."""
        fine = article("Fine", "Text.", "Outlet", "en", datetime(2024, 2, 12, 20, 0, tzinfo=PLUS5))
        fine.updated = datetime(2024, 2, 12, 15, 8, tzinfo=UTC)
        odd = article("Odd", "Text.", "Outlet", "en", datetime(2024, 2, 12, 15, 0, tzinfo=UTC))
        odd.updated = datetime(2024, 2, 12, 9, 0, tzinfo=UTC)
        add_story(conn, [(fine, "original")])  # type: ignore[arg-type]
        add_story(conn, [(odd, "original")])  # type: ignore[arg-type]

    for client in _client(tmp_path / "u.db", build):
        ids = {s["title"]: s["articles"][0]["id"] for s in client.get("/api/stories").json()["stories"]}
        fine = HTMLParser(client.get(f"/articles/{ids['Fine']}").text).css_first("header p.meta").text()
        assert "published 2024-02-12 15:00" in " ".join(fine.split())
        assert "updated 2024-02-12 15:08" in " ".join(fine.split())
        assert fine.index("15:00") < fine.index("15:08")
        odd = HTMLParser(client.get(f"/articles/{ids['Odd']}").text).css_first("header p.meta").text()
        assert "updated" not in odd and "15:00" in odd


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The demo's site."""
    yield from seed_site(tmp_path_factory.mktemp("seeds"))


def test_timeline_dates_are_shown_at_their_precision(seeds: Client) -> None:
    story = next(s for s in seeds.get("/api/stories").json()["stories"] if len(s["articles"]) == 2)
    client = seeds
    precisions = {(e["date"], e["precision"]) for e in story["timeline"]}
    assert ("2003-01-01", "year") in precisions and ("2024-01-01", "month") in precisions
    doc = HTMLParser(client.get(f"/stories/{story['id']}").text)
    shown = {(t.attributes["datetime"], t.text()) for t in doc.css("ol.events time")}
    assert ("2003", "2003") in shown and ("2024-01", "January 2024") in shown
    assert ("2024-01-28", "January 28, 2024") in shown
    assert not [text for _, text in shown if text.endswith("-01-01")]
