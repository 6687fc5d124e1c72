"""A timeline tells happenings: a dateline is not one, and one happening told in two copies is one event."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfold.enrich.timeline import TimelineExtractor, at_precision, merge_timeline
from newsfold.model import Article, Event, Origin, Paragraph


def _article(name: str, text: str, published: datetime) -> Article:
    """An English article of one paragraph per line."""
    return Article(
        origin=Origin(name),
        paragraphs=[Paragraph(line, language="en") for line in text.splitlines()],
        published=published,
        language="en",
    )


def test_a_dateline_is_not_an_event() -> None:
    article = _article(
        "dateline",
        "Monday, January 7, 2019\n"
        "Posted Monday, January 7, 2019 by John Smith\n"
        "KARBALA, Iraq, January 7, 2019\n"
        "On January 5, 2019, protesters blocked the road to the port.",
        datetime(2019, 1, 7, 9, 0, tzinfo=UTC),
    )
    events = TimelineExtractor().events(article)
    assert [(e.date, e.text) for e in events] == [
        ("2019-01-05", "On January 5, 2019, protesters blocked the road to the port.")
    ]


def test_short_event_sentences_stay_events() -> None:
    article = _article("short", "On January 28, soldiers were killed.", datetime(2024, 2, 12, tzinfo=UTC))
    assert [e.date for e in TimelineExtractor().events(article)] == ["2024-01-28"]


def test_one_happening_told_in_two_copies_is_one_event() -> None:
    sentence = "But then came the drone strike in Baghdad last week that killed a senior commander of the militia."
    month = "Formal negotiations on the withdrawal of coalition troops began in February."
    first = _article("first", f"{sentence}\n{month}", datetime(2024, 2, 12, 8, 0, tzinfo=UTC))  # a Monday
    second = _article(  # the copy of the day before: "last week" is another week, February 2 a finer date
        "second",
        f"{sentence}\nFormal negotiations on the withdrawal of coalition troops began on February 2.",
        datetime(2024, 2, 11, 20, 0, tzinfo=UTC),
    )
    extractor = TimelineExtractor()
    events = extractor.events(first) + extractor.events(second)
    assert len({(e.date, e.precision) for e in events}) == 4  # each copy dates them its own way
    merged = merge_timeline(events, {first.id: 0, second.id: 1}, {first.id: "en", second.id: "en"})
    assert len(merged) == 2
    assert {e.article_id for e in merged} == {first.id}


def test_different_happenings_on_near_dates_stay_apart() -> None:
    one = Event(
        date="2024-02-05",
        precision="day",
        text="A drone strike in Baghdad killed a commander.",
        article_id="a",
        confidence=0.4,
    )
    other = Event(
        date="2024-02-07",
        precision="day",
        text="Funerals were held in Karbala for militiamen.",
        article_id="b",
        confidence=0.8,
    )
    assert len(merge_timeline([one, other], {"a": 0, "b": 1}, {"a": "en", "b": "en"})) == 2


def test_dates_at_their_precision() -> None:
    assert at_precision("2003-01-01", "year") == ("2003", "2003")
    assert at_precision("2024-01-01", "month") == ("2024-01", "January 2024")
    assert at_precision("2024-01-28", "day") == ("2024-01-28", "January 28, 2024")
