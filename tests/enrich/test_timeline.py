"""Dates in text resolved against the publication date, and the seed story's timeline."""

from __future__ import annotations

from datetime import date

import pytest

from newsfold.enrich.story import StoryEnricher
from newsfold.enrich.timeline import DateResolver, TimelineExtractor, merge_timeline
from newsfold.model import Article, Event, Origin, Paragraph
from tests.enrich.seeds import seed_article, seed_limited

PUBLISHED = date(2024, 2, 12)  # a Monday


def resolve(sentence: str, published: date = PUBLISHED) -> list[tuple[str, str]]:
    """(date, precision) of every expression in sentence."""
    return [(m.day.isoformat(), m.precision) for m in DateResolver("en").find(sentence, published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The strike came on January 28.", [("2024-01-28", "day")]),
        ("It happened on 3 March 2021 in Paris.", [("2021-03-03", "day")]),
        ("Attacks began to increase in October.", [("2023-10-01", "month")]),
        ("Talks began in January.", [("2024-01-01", "month")]),
        ("Prices fell in March 2019.", [("2019-03-01", "month")]),
        ("Funerals were held Wednesday in Karbala.", [("2024-02-07", "day")]),
        ("He arrived on Monday.", [("2024-02-12", "day")]),
        ("The vote will take place on Friday.", [("2024-02-16", "day")]),
        ("He resigned yesterday.", [("2024-02-11", "day")]),
        ("The strike last week killed a commander.", [("2024-02-05", "day")]),
        ("She left three days ago.", [("2024-02-09", "day")]),
        ("They were incorporated into the government in 2016.", [("2016-01-01", "year")]),
        ("Calm had lasted since fall 2022.", [("2022-09-01", "month")]),
        ("The event of December 30 was reported.", [("2023-12-30", "day")]),
        ("It cost 2,016 dollars and 2016% more.", []),
        ("She said she may come.", []),
        ("The vote is on Tuesday, February 13.", [("2024-02-13", "day")]),
        ("Tomorrow, a Tuesday, is the deadline.", [("2024-02-13", "day")]),
    ],
)
def test_resolution(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert resolve(sentence) == expected


def test_later_is_chained_to_the_previous_date() -> None:

    article = Article(
        origin=Origin("x"),
        paragraphs=[Paragraph("On January 28, soldiers were killed. Five days later, the administration struck back.")],
        published=seed_article().published,
    )
    events = TimelineExtractor().events(article)
    assert [(e.date, e.precision) for e in events] == [("2024-01-28", "day"), ("2024-02-02", "day")]
    assert events[1].confidence < events[0].confidence


def test_future_month_without_year_is_next_occurrence() -> None:
    assert resolve("The summit will be held in March.", date(2024, 11, 20)) == [("2025-03-01", "month")]
    assert resolve("The summit was held in March.", date(2024, 11, 20)) == [("2024-03-01", "month")]


def test_german_month_names() -> None:
    matches = DateResolver("de").find("Am 28. Januar wurden drei Soldaten getötet.", PUBLISHED)
    assert [(m.day.isoformat(), m.precision) for m in matches] == [("2024-01-28", "day")]


def _find(timeline: list[Event], day: str, *words: str) -> Event:
    """The timeline's event on day whose text has every word."""
    hits = [e for e in timeline if e.date == day and all(w.lower() in e.text.lower() for w in words)]
    assert hits, f"no event on {day} with {words}: {[(e.date, e.text[:60]) for e in timeline]}"
    return hits[0]


def test_seed_story_timeline() -> None:
    """Every dated event the seeds README lists, resolved, once each across the two copies."""
    a, b = seed_article(), seed_limited()
    timeline = StoryEnricher().enrich([a, b]).timeline
    october = _find(timeline, "2023-10-01", "October")
    assert october.precision == "month"
    tower = _find(timeline, "2024-01-28", "Jordan")
    assert tower.precision == "day" and tower.confidence >= 0.9
    _find(timeline, "2024-01-30", "Kataib Hezbollah")
    strikes = _find(timeline, "2024-02-02", "Syria")
    assert "Akasha" in strikes.text or "Akashat" in strikes.text
    drone = _find(timeline, "2024-02-05", "Saedi")
    assert drone.expression == "last week" and drone.confidence < 0.9
    funerals = _find(timeline, "2024-02-07", "Karbala")
    assert funerals.expression and "Wednesday" in funerals.expression
    # deduplicated across the copies: one event per happening, from the first-ranked article
    for day, word in [("2024-01-28", "Jordan"), ("2024-01-30", "pledged"), ("2024-02-02", "Syria")]:
        same = [e for e in timeline if e.date == day and word in e.text]
        assert len(same) == 1 and same[0].article_id == a.id
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)


def test_dates_inside_urls_are_not_events() -> None:
    assert resolve("See https://www.example.com/world/2024/02/11/story/ for more.") == []


def test_timeline_merges_copies_across_languages_but_keeps_other_happenings() -> None:

    english = Event("2024-01-28", "day", "On January 28, three US soldiers were killed at Tower 22 in Jordan.", "en1")
    german = Event(
        "2024-01-28", "day", "Am 28. Januar wurden drei US-Soldaten am Tower 22 in Jordanien getötet.", "de1"
    )
    other = Event("2024-01-28", "day", "On January 28, the parliament in Baghdad voted on the budget.", "en2")
    timeline = merge_timeline(
        [german, english, other], {"en1": 0, "de1": 1, "en2": 2}, {"en1": "en", "de1": "de", "en2": "en"}
    )
    assert timeline == [english, other]
