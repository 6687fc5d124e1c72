"""The story page's value: the story as `newsfold story ID --json` prints it (its JSON twin), with what its page
shows beside it (the publishers' highlights, related stories, the articles' timeline, how the copies differ); and
the story's two JSON parts, its differences and its related stories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import ClassVar

from newsfold.errors import GoneError, NotFoundError
from newsfold.language.reader import ReaderTranslator
from newsfold.model import Article, Story
from newsfold.serialize import derived_title, story_json
from newsfold.store import articles as articles_db
from newsfold.store import pages as pages_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Connection
from newsfold.store.enrichment import add_enrichment
from newsfold.store.term_counts import TermCounts
from newsfold.text.dates import iso, utc
from newsfold.web.story import parts
from newsfold.web.story.differences import Comparison, comparison_json, comparisons
from newsfold.web.story.related import related_cards
from newsfold.web.story.translated import compared_languages, differing_rows, timeline_events
from newsfold.web.translated import (
    PageTranslation,
    ReaderSummary,
    Shown,
    article_titles,
    publisher_languages,
    story_cards,
    story_parts,
    translate_page,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def story_detail(conn: Connection, story_id: str) -> tuple[Story, list[Article]]:
    """A story (merged ids followed) with its full member articles, in relation order; NotFoundError if unknown."""
    story = stories_db.get_story(conn, story_id)
    if story is None:
        raise NotFoundError(f"story {story_id}: no such story")
    if not story.members:
        raise GoneError(f"story {story_id}: removed (every article of it was taken down)")
    members = articles_db.get_articles(conn, [m.article_id for m in story.members])
    add_enrichment(conn, story)
    return story, members


def story_stamp(conn: Connection, story_id: str) -> tuple[object, ...] | None:
    """What a story page depends on in its own row (members, times, title, highlights); None if unknown."""
    return stories_db.story_stamp(conn, story_id)


def story_document(story: Story, members: Sequence[Article]) -> Shown:
    """The story as `newsfold story ID --json` prints it."""
    return story_json(story, {a.id: a for a in members})


def timeline(members: Sequence[Article]) -> list[Shown]:
    """The story's articles in publication order (undated ones last)."""
    # by instant (members keep their own offsets), undated last
    dated = sorted(members, key=lambda a: (a.published is None, utc(a.published) or _EPOCH, a.id))
    known = {a.id: a for a in members}
    out = []
    for a in dated:
        item: Shown = {
            "time": iso(a.published),
            "article_id": a.id,
            "title": a.title,
            "source": {"name": a.source.name, "url": a.source.url or a.canonical_url},
            "relation": a.relation,
            "language": a.language,
        }
        derived = derived_title(a, known)
        if derived is not None:
            item["derived_title"] = derived
        out.append(item)
    return out


@dataclass(frozen=True)
class StoryPage:
    """A story's page: its document (the twin, `newsfold story ID --json`) and the parts its page shows.

    The twin has the document's own shape (to_json), not the page value's fields; `differences` holds the
    comparisons as the differences part shows them, filled when their rows are shown in the reader's language.
    """

    template: ClassVar[str] = "story.html"
    family: ClassVar[str] = "story"
    story: Shown
    publisher_highlights: list[str]
    related: list[Shown]
    timeline: list[Shown]
    comparisons: list[Comparison]
    differences: list[Shown] | None = None
    publisher_highlights_translated: list[Shown | None] | None = None
    reader: ReaderSummary | None = None

    def to_json(self) -> Shown:
        """The twin: the story's document, with the reader summary when translated."""
        return self.story if self.reader is None else {**self.story, "reader": self.reader}

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> StoryPage:
        """The page with the story's and its parts' texts also in the reader's language."""
        if target is None:
            return self
        page = PageTranslation(translator, target)
        story = self.story
        story_parts(page, story, None)
        shown = {"id": story["id"], "articles": story["articles"], "publisher_highlights": self.publisher_highlights}
        holder: Shown = {"publisher_highlights": list(self.publisher_highlights)}
        page.texts(holder, "publisher_highlights", publisher_languages(conn, [shown]).get(story["id"]))
        article_titles(page, story["articles"])
        timeline_events(page, story)
        article_titles(page, self.timeline)
        story_cards(page, conn, self.related)
        differences = None
        if any(c.a.language != target or c.b.language != target for c in self.comparisons):
            differences = [comparison_json(c) for c in self.comparisons]  # their differing rows shown translated too
            differing_rows(page, differences, {a["id"]: a.get("language") for a in story["articles"]})
        reader = page.apply()
        translated = holder.get("publisher_highlights_translated")
        return replace(self, differences=differences, publisher_highlights_translated=translated, reader=reader)


def story_page(story: Story, members: list[Article], related: list[Shown], found: list[Comparison]) -> StoryPage:
    """The story page's value from the story, its members, the related stories' cards and the copies' comparisons."""
    document = story_document(story, members)
    publisher = [] if document["highlights"] else next((list(m.highlights) for m in members if m.highlights), [])
    return StoryPage(document, publisher[:3], related, timeline(members), found)


def story_view(conn: Connection, story_id: str, counts: TermCounts, whole: bool = True) -> StoryPage:
    """A story's page, its parts from the stored page while current (else computed now); not whole: the document
    alone (what the twin shows), the parts left empty."""
    story, members = story_detail(conn, story_id)
    if not whole:
        return StoryPage(story_document(story, members), [], [], [], [])
    stored = pages_db.stored_parts(conn, story.id, members)
    found = parts.comparisons_from(stored.comparisons, members) if stored is not None else None
    related = related_cards(conn, story, stored, counts)
    return story_page(story, members, related, comparisons(members) if found is None else found)


@dataclass(frozen=True)
class DifferencesPart:
    """The differences between the story's copies: aligned sentences with the differing words."""

    story_id: str
    comparisons: list[Shown]
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> DifferencesPart:
        """The comparisons with both sides of each differing row also in the reader's language."""

        def ask(page: PageTranslation) -> None:
            """Ask for the differing rows, each side in its article's language."""
            differing_rows(page, self.comparisons, compared_languages(conn, self.comparisons))

        return translate_page(self, translator, target, ask)


@dataclass(frozen=True)
class RelatedPart:
    """Related stories ("You may like") and the story's timeline of articles."""

    story_id: str
    related: list[Shown]
    timeline: list[Shown]
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> RelatedPart:
        """The related stories' cards and the timeline's titles also in the reader's language."""

        def ask(page: PageTranslation) -> None:
            """Ask for the cards, then the titles."""
            story_cards(page, conn, self.related)
            article_titles(page, self.timeline)

        return translate_page(self, translator, target, ask)


def story_comparisons(conn: Connection, story: Story, members: list[Article]) -> list[Comparison]:
    """The comparisons between a story's copies: the stored ones when still current, else computed now."""
    stored = pages_db.stored_parts(conn, story.id, members)
    found = parts.comparisons_from(stored.comparisons, members) if stored is not None else None
    return comparisons(members) if found is None else found


def differences_view(conn: Connection, story_id: str) -> DifferencesPart:
    """The comparisons between a story's copies."""
    story, members = story_detail(conn, story_id)
    found = story_comparisons(conn, story, members)
    return DifferencesPart(story.id, [comparison_json(c) for c in found])


def related_view(conn: Connection, story_id: str, counts: TermCounts) -> RelatedPart:
    """A story's related stories (stored when current) and its timeline of articles, without its differences."""
    story, members = story_detail(conn, story_id)
    stored = pages_db.stored_parts(conn, story.id, members)
    return RelatedPart(story.id, related_cards(conn, story, stored, counts), timeline(members))
