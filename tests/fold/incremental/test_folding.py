"""Incremental folding: reports across languages, bridges that merge stories, stable ids, kinds kept apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from tests.fold.conftest import fold_all

T0 = datetime(2023, 2, 6, 8, tzinfo=UTC)


def article(  # noqa: PLR0913  a test article's fields, most with defaults
    name: str, title: str | None, text: str, language: str = "en", when: datetime | None = T0, kind: str = "article"
) -> Article:
    """A small article from a named outlet."""
    return Article(
        origin=Origin(f"test:{name}"),
        kind=kind,  # type: ignore[arg-type]
        title=title,
        paragraphs=[Paragraph(p) for p in text.split("\n\n")],
        language=language,
        published=when,
        source=SourceRef(name=name, url=f"https://{name}.example/{abs(hash(text)) % 10**8}"),
    )


QUAKE_ES = article(
    "elpais",
    "Un terremoto de magnitud 7,8 sacude Turquía y Siria",
    "Un terremoto de magnitud 7,8 sacudió el sur de Turquía y el norte de Siria este lunes y dejó miles de muertos.",
    "es",
)
QUAKE_AR = article(
    "aljazeera",
    "زلزال بقوة 7.8 درجات يضرب تركيا وسوريا",
    "ضرب زلزال بقوة 7.8 درجات جنوب تركيا وشمال سوريا يوم الاثنين وأودى بحياة الآلاف.",
    "ar",
    T0 + timedelta(hours=3),
)
ELECTION_FR = article(
    "lemonde",
    "Le parti au pouvoir remporte les élections législatives au Japon",
    "Le parti libéral-démocrate a remporté dimanche la majorité des sièges à la chambre basse du Japon.",
    "fr",
    T0 + timedelta(hours=5),
)

PART_A = (
    "The city council approved a new budget for public transport on Tuesday, adding forty electric buses, "
    "extending night services across the northern districts and freezing ticket prices for students and pensioners."
)
PART_B = (
    "Flooding along the river closed three bridges and forced the evacuation of hundreds of residents from "
    "riverside neighbourhoods, while emergency crews pumped water from basements and reinforced embankments overnight."
)


def test_arabic_and_spanish_reports_are_one_story(db: Database, folder: Folder) -> None:
    """Reports of the same event in Arabic and Spanish fold together; another event stays apart."""
    fold_all(db, folder, [QUAKE_ES, QUAKE_AR, ELECTION_FR])
    assert QUAKE_ES.story_id == QUAKE_AR.story_id
    assert ELECTION_FR.story_id != QUAKE_ES.story_id
    with db.read() as conn:
        story = stories_db.get_story(conn, QUAKE_ES.story_id or "")
    assert story is not None
    assert sorted(story.languages) == ["ar", "es"]
    assert {m.relation for m in story.members} == {"original", "report"}


def test_a_bridging_article_merges_stories_and_old_ids_still_lead_there(db: Database, folder: Folder) -> None:
    """Two unrelated stories merge when an article holding both texts arrives; the older id is kept."""
    first = article("a", "Transport budget", PART_A, when=T0)
    second = article("b", "River floods", PART_B, when=T0 + timedelta(hours=1))
    fold_all(db, folder, [first])
    fold_all(db, folder, [second])
    assert first.story_id != second.story_id
    old_second = second.story_id
    bridge = article("c", "City news roundup", PART_A + "\n\n" + PART_B, when=T0 + timedelta(hours=2))
    changed = fold_all(db, folder, [bridge])
    assert bridge.story_id == first.story_id
    assert old_second in changed
    with db.read() as conn:
        merged = stories_db.get_story(conn, old_second or "")
        assert merged is not None and merged.id == first.story_id
        assert {m.article_id for m in merged.members} == {first.id, second.id, bridge.id}
        assert stories_db.count_stories(conn) == 1


def test_copy_of_an_ingested_original_names_it(db: Database, folder: Folder) -> None:
    """A later re-publication of an ingested article is its copy; the article is the story's original."""
    original = article("wire", "Transport budget approved", PART_A, when=T0)
    copy = article(
        "reprint", "Council approves transport budget", "Advertisement\n\n" + PART_A, when=T0 + timedelta(days=1)
    )
    fold_all(db, folder, [original, copy])
    assert original.story_id == copy.story_id
    assert (original.relation, copy.relation, copy.copy_of) == ("original", "copy", original.id)
    with db.read() as conn:
        story = stories_db.get_story(conn, original.story_id or "")
    assert story is not None and story.original is not None and story.original.name == "wire"


def test_press_releases_do_not_fold_with_news(db: Database, folder: Folder) -> None:
    """The same text as a press release and as a news article gives two stories."""
    news = article("news", "Transport budget", PART_A)
    release = article("pr", "Transport budget", PART_A + " Contact: press office.", kind="press_release")
    fold_all(db, folder, [news, release])
    assert news.story_id != release.story_id


def test_copies_outside_the_window_start_new_stories(db: Database, folder: Folder) -> None:
    """The same report a year later is another story (fold.window_days)."""
    now = article("x", "Floods", PART_B, when=T0)
    later = article("y", "Floods again", PART_B + " Again.", when=T0 + timedelta(days=365))
    fold_all(db, folder, [now, later])
    assert now.story_id != later.story_id


class _AbortError(Exception):
    """Raised to roll a write transaction back."""


def test_a_rolled_back_batch_leaves_folding_consistent(db: Database, folder: Folder, embedder: object) -> None:
    """A batch whose transaction rolls back after folding is forgotten; later batches and new processes agree."""
    original = article("w", "Transport budget approved", PART_A, when=T0)
    copy = article("r", "Council budget", "Advertisement\n\n" + PART_A, when=T0 + timedelta(hours=1))
    fold_all(db, folder, [original])
    try:
        with db.write() as conn:
            folder.fold(conn, articles_db.insert_articles(conn, [copy]))
            raise _AbortError
    except _AbortError:
        pass
    fold_all(db, folder, [copy])
    assert copy.story_id == original.story_id
    later = article("l", "Budget", PART_A + "\n\nShare this article", when=T0 + timedelta(hours=2))
    fold_all(db, Folder(FoldSettings(), embedder=embedder), [later])  # type: ignore[arg-type]
    assert later.story_id == original.story_id
