"""The one way to answer a page: page values, their JSON twins and the twin URL rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsfold.web.page_value import to_json, twin_url
from newsfold.web.routes.days import CalendarCell, CalendarMonth, DayCount, DayPage, DaysPage
from newsfold.web.routes.sources import SourceCount, SourcesPage
from newsfold.web.story.view import StoryPage
from newsfold.web.translated import ReaderSummary


def test_twin_url_prefixes_api() -> None:
    """Every page's twin is the same path under /api."""
    assert twin_url("/days") == "/api/days"
    assert twin_url("/sources/Example News") == "/api/sources/Example News"
    assert twin_url("/") == "/api/"


@pytest.mark.parametrize("path", ["/api/days", "days", ""])
def test_twin_url_refuses_what_is_not_a_page(path: str) -> None:
    """A twin's own path, or a relative one, has no twin."""
    with pytest.raises(ValueError, match="not a page's path"):
        twin_url(path)


def test_page_values_are_frozen_and_their_twins_plain_json() -> None:
    """A page value cannot change once built; its twin nests its parts as objects, in field order."""
    cell = CalendarCell("2024-01-02", 3)
    page = DaysPage([DayCount("2024-01-02", 3, 5)], [CalendarMonth("2024-01", "January 2024", 3, [[None, cell]])])
    with pytest.raises(AttributeError):
        page.days = []  # type: ignore[misc]
    assert to_json(page) == {
        "days": [{"day": "2024-01-02", "stories": 3, "articles": 5}],
        "months": [
            {
                "month": "2024-01",
                "label": "January 2024",
                "stories": 3,
                "weeks": [[None, {"day": "2024-01-02", "stories": 3}]],
            }
        ],
    }
    assert list(to_json(SourcesPage([SourceCount("A", 2, None)]))) == ["sources"]
    assert (DaysPage.template, DaysPage.family, SourcesPage.template) == ("days.html", "days", "sources.html")


def test_a_twin_of_its_own_shape_comes_from_to_json() -> None:
    """The story page's twin is the story's document (with the reader summary only when translated)."""
    document: dict[str, object] = {"id": "s1", "title": "A story", "articles": []}
    page = StoryPage(document, ["a publisher's highlight"], [], [], [])
    assert to_json(page) == document
    summary = ReaderSummary("en", ["m"], [], 1, [])
    assert to_json(replace(page, reader=summary)) == {**document, "reader": summary}


def test_a_page_without_translation_has_no_reader_in_its_twin() -> None:
    """The reader summary is in the twin only when the page was shown in a reader's language."""
    page = DayPage("2024-01-02", None, "2024-01-03", [], None)
    assert "reader" not in to_json(page)
    summary = ReaderSummary("en", [], [], 0, ["de"])
    assert to_json(replace(page, reader=summary))["reader"] == {
        "language": "en",
        "models": [],
        "notes": [],
        "translated": 0,
        "untranslated": ["de"],
    }
