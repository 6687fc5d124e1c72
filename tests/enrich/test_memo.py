"""Enrichment at a cost proportional to what changed: each article recognised once, the same results as anew."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime

from newsfold.enrich.ahead import RecognizeAhead
from newsfold.enrich.entities import EntityResolver
from newsfold.enrich.gazetteer import DEMONYM_SUFFIXES, Gazetteer, demonym_keys
from newsfold.enrich.recognize import Mention, RuleRecognizer
from newsfold.enrich.story import StoryEnricher, StoryEnrichment
from newsfold.enrich.text import Sentence
from newsfold.enrich.timeline import TimelineExtractor
from newsfold.model import Article, Origin, Paragraph
from tests.enrich.seeds import seed_article, seed_limited


class CountingRecognizer(RuleRecognizer):
    """The rule recogniser, counting the articles it reads."""

    def __init__(self) -> None:
        """Start at zero."""
        super().__init__()
        self.read: list[str] = []

    def reading(self, article: Article) -> tuple[list[Sentence], set[str]]:
        """Count, then read the article's sentences (what recognising any of them starts with)."""
        self.read.append(article.id)
        return super().reading(article)


def report(n: int, text: str) -> Article:
    """A dated article with this text."""
    return Article(
        origin=Origin(f"r{n}"),
        paragraphs=[Paragraph(p) for p in text.split("\n\n")],
        language="en",
        published=datetime(2025, 3, 4, tzinfo=UTC),
    )


REPORTS = [
    report(0, "Prime Minister Mohammed Shia al-Sudani met Kurdish leaders in Erbil on Monday, officials said."),
    report(1, "Sudani told reporters in Baghdad that the Popular Mobilization Forces (PMF) would stay."),
    report(2, "The PMF said on March 2 that Iraqi forces had left Mosul. Soudani did not comment."),
]


def summary(result: StoryEnrichment) -> tuple[object, ...]:
    """Everything a story's enrichment holds, comparable."""
    return (
        result.highlights.sentences,
        [dataclasses.astuple(e) for e in result.entities],
        [(a.entity.id, a.article_id, a.names, a.mentions, a.sentences) for a in result.by_article],
        [dataclasses.astuple(e) for e in result.events],
        [dataclasses.astuple(e) for e in result.timeline],
    )


def fresh(articles: list[Article], gazetteer: Gazetteer) -> StoryEnrichment:
    """The enrichment by an enricher that has seen nothing before."""
    return StoryEnricher().enrich(articles, gazetteer)


def test_a_growing_story_recognises_only_its_new_article() -> None:
    recognizer = CountingRecognizer()
    enricher = StoryEnricher(recognizer=recognizer)
    for size in range(1, len(REPORTS) + 1):
        recognizer.read.clear()
        articles = REPORTS[:size]
        result = enricher.enrich(articles, Gazetteer.default())
        assert recognizer.read == [REPORTS[size - 1].id]
        assert summary(result) == summary(fresh(articles, Gazetteer.default()))


def test_an_answer_the_gazetteer_changed_recognises_again() -> None:
    recognizer = CountingRecognizer()
    enricher = StoryEnricher(recognizer=recognizer)
    enricher.enrich(REPORTS, Gazetteer.default())
    learned = Gazetteer.default()
    learned.add("Erbil", "organization")  # what the store might have learnt: it changes a lookup of REPORTS[0]
    recognizer.read.clear()
    result = enricher.enrich(REPORTS, learned)
    assert recognizer.read == [REPORTS[0].id]
    again = Gazetteer.default()
    again.add("Erbil", "organization")
    assert summary(result) == summary(fresh(REPORTS, again))


def test_the_same_text_in_another_language_or_on_another_day_is_read_again() -> None:
    recognizer = CountingRecognizer()
    enricher = StoryEnricher(recognizer=recognizer)
    enricher.enrich(REPORTS, Gazetteer.default())
    relabelled = dataclasses.replace(REPORTS[1], language="de")
    redated = dataclasses.replace(REPORTS[2], published=datetime(2025, 6, 1, tzinfo=UTC))
    assert (relabelled.id, redated.id) == (REPORTS[1].id, REPORTS[2].id)
    recognizer.read.clear()
    articles = [REPORTS[0], relabelled, redated]
    result = enricher.enrich(articles, Gazetteer.default())
    assert recognizer.read == [relabelled.id, redated.id]
    assert summary(result) == summary(fresh(articles, Gazetteer.default()))
    assert {e.date[:7] for e in result.events if e.article_id == redated.id} == {"2025-03"}


def test_the_seed_story_enriched_twice_is_the_same_story() -> None:
    enricher = StoryEnricher()
    first = summary(enricher.enrich([seed_article(), seed_limited()]))
    assert summary(enricher.enrich([seed_article(), seed_limited()])) == first


def _demonym_by_scan(key: str, places: list[str]) -> bool:
    """The place-adjective rule as a scan over every place (what the table replaces)."""
    for place in places:
        if " " in place or key == place or not key.startswith(place[: max(3, len(place) - 1)]):
            continue
        rest = key[len(place) :] if key.startswith(place) else key[len(place) - 1 :]
        if rest in DEMONYM_SUFFIXES or key[len(place) - 1 :] in DEMONYM_SUFFIXES:
            return True
    return False


def test_the_demonym_table_reads_every_key_as_the_scan_does() -> None:
    gazetteer = Gazetteer.default(("en", "de", "fr", "ar"))
    places = [*sorted(gazetteer.places), "io", "x", "peru", "chad"]
    table = {d for p in places for d in demonym_keys(p)}
    candidates = {p + s for p in places for s in (*DEMONYM_SUFFIXES, "", "s", "ns", "e")}
    candidates |= {p[:-1] + s for p in places for s in (*DEMONYM_SUFFIXES, "a", "")}
    candidates |= {p[:k] for p in places for k in range(1, len(p))}
    assert len(candidates) > 5000
    disagree = [k for k in sorted(candidates) if (k in table) != _demonym_by_scan(k, places)]
    assert disagree == []
    assert gazetteer.demonyms == {d for p in gazetteer.places for d in demonym_keys(p)}


def test_story_places_still_make_demonyms() -> None:
    mentions = [
        Mention("Zorbania", "a", "Troops left Zorbania.", votes=Counter({"place": 5})),
        Mention("Zorbanian", "a", "Zorbanian troops left.", votes=Counter()),
        Mention("Zorbanian", "a", "The Zorbanian army said.", votes=Counter()),
    ]
    names = [e.name for e in EntityResolver(Gazetteer.default()).resolve(mentions)]
    assert names == ["Zorbania"]


def test_what_a_worker_found_is_used_where_it_holds() -> None:
    worker = RecognizeAhead(RuleRecognizer(), Gazetteer.default(), TimelineExtractor())
    found = worker(REPORTS)
    assert [f.article_id for f in found] == [a.id for a in REPORTS]
    recognizer = CountingRecognizer()
    enricher = StoryEnricher(recognizer=recognizer)
    enricher.memo.keep(found)
    result = enricher.enrich(REPORTS, Gazetteer.default())
    assert recognizer.read == [] and enricher.memo.hits == 3
    assert summary(result) == summary(fresh(REPORTS, Gazetteer.default()))
    learned = Gazetteer.default()
    learned.add("Erbil", "organization")  # an answer of one sentence of REPORTS[0] changed meanwhile
    writer = StoryEnricher(recognizer=CountingRecognizer())
    writer.memo.keep(found)
    result = writer.enrich(REPORTS, learned)
    assert (writer.memo.hits, writer.memo.partial, writer.memo.misses) == (2, 1, 0)
    again = Gazetteer.default()
    again.add("Erbil", "organization")
    assert summary(result) == summary(fresh(REPORTS, again))


def test_the_calendar_words_read_decide_not_the_languages_known() -> None:
    widely = RuleRecognizer(("de", "fr", "es"))  # a process that has seen German, French and Spanish pages
    found = RecognizeAhead(widely, Gazetteer.default(), TimelineExtractor())(REPORTS)
    enricher = StoryEnricher(recognizer=CountingRecognizer())  # knows English only
    enricher.memo.keep(found)
    result = enricher.enrich(REPORTS, Gazetteer.default())
    assert enricher.memo.hits == 3, "no sentence asked about a word whose answer differs between the two"
    assert summary(result) == summary(fresh(REPORTS, Gazetteer.default()))
    dated = report(9, "Officials met in Erbil. Mai 12 delegates came, Sudani said.")
    german = RecognizeAhead(RuleRecognizer(("de",)), Gazetteer.default(), TimelineExtractor())([dated])
    english = StoryEnricher(recognizer=CountingRecognizer())
    english.memo.keep(german)
    result = english.enrich([dated], Gazetteer.default())
    assert english.memo.partial == 1, "a calendar word read ('mai') answers otherwise here: its sentence is read again"
    assert summary(result) == summary(fresh([dated], Gazetteer.default()))
