"""Bad input stays sane: empty and tiny texts, name lists, floods of copies, odd dates, unknown scripts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from newsfold.fold.features.embed import HashingEmbedder
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from tests.fold.conftest import fold_all
from tests.fold.incremental.test_folding import PART_A, PART_B, T0, article
from tests.fold.test_translations import FIXTURES


def _story_sizes(db: Database) -> list[int]:
    """Sizes of the live stories, largest first."""
    with db.read() as conn:
        rows = conn.execute("SELECT size FROM stories WHERE merged_into IS NULL AND size > 0").fetchall()
    return sorted((r[0] for r in rows), reverse=True)


def test_empty_and_tiny_texts_each_get_a_story(db: Database, folder: Folder) -> None:
    """Empty, title-only and one-word articles fold without error and do not join each other."""
    items = [
        article("e1", None, ""),
        article("e2", None, ""),
        article("t1", "Photos", ""),
        article("t2", "Photos", "Yes."),
        article("t3", None, "Yes."),
        article("t4", "Video", "Watch."),
    ]
    fold_all(db, folder, items)
    assert all(a.story_id for a in items)
    assert _story_sizes(db) == [1] * len({a.id for a in items})


def test_pages_of_only_names_do_not_gather(db: Database, folder: Folder) -> None:
    """Pages that are nothing but names do not become one catch-all story."""
    rng = random.Random(2)
    syllables = ["an", "bo", "car", "de", "mek", "fa", "go", "ha", "iv", "jun", "ko", "le", "mi", "nu", "ra", "zi"]

    def name() -> str:
        """A made-up first and last name."""
        return " ".join("".join(rng.sample(syllables, 3)).title() for _ in range(2))

    pages = [article(f"n{i}", None, ", ".join(name() for _ in range(12))) for i in range(15)]
    fold_all(db, folder, pages)
    assert max(_story_sizes(db)) <= 3


def test_thousands_of_identical_copies_make_one_story_of_copies(db: Database) -> None:
    """1,500 identical copies: one story, one original, every other member a copy of it."""
    folder = Folder(FoldSettings(), embedder=HashingEmbedder())
    copies = [article(f"c{i}", "Floods", PART_B, when=T0 + timedelta(minutes=i)) for i in range(1500)]
    for i, item in enumerate(copies):
        item.canonical_url = f"https://mirror{i}.example/floods"
    fold_all(db, folder, copies, batch=250)
    assert _story_sizes(db) == [1500]
    with db.read() as conn:
        relations = dict(conn.execute("SELECT relation, count(*) FROM articles GROUP BY relation").fetchall())
    assert relations == {"original": 1, "copy": 1499}


def test_missing_and_future_dates_are_sane(db: Database, folder: Folder) -> None:
    """A copy with no date or a date in the future still joins its original; the story's times stay real."""
    original = article("o", "Budget", PART_A, when=T0)
    undated = article("u", "Budget", "Advertisement\n\n" + PART_A, when=None)
    future = article("f", "Budget", PART_A + "\n\nShare this article", when=datetime(2999, 1, 1, tzinfo=UTC))
    fold_all(db, folder, [original, undated, future])
    assert original.story_id == undated.story_id == future.story_id


def test_unknown_scripts_do_not_make_a_catch_all_story(db: Database, folder: Folder) -> None:
    """Texts in scripts the embedder never saw (Georgian, Ethiopic, Tibetan) are not folded as reports."""
    rng = random.Random(1)

    def text(lo: int, hi: int) -> str:
        """A sentence of random words in one script."""
        words = ("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(3, 8))) for _ in range(rng.randint(8, 20)))
        return " ".join(words) + "."

    scripts = [(0x10D0, 0x10F0), (0x1200, 0x1350), (0x0F40, 0x0F6C)]
    pages = [article(f"s{i}", None, text(*scripts[i % 3]), language=None) for i in range(12)]  # type: ignore[arg-type]
    fold_all(db, folder, pages)
    assert max(_story_sizes(db)) == 1


def test_a_story_growing_for_months_is_cut(db: Database) -> None:
    """Daily reports of one long-running topic do not chain into a story longer than fold.max_story_days."""
    folder = Folder(FoldSettings(max_story_days=30), embedder=HashingEmbedder())
    days = [article(f"d{i}", "River floods", PART_B + f" Update {i}.", when=T0 + timedelta(days=i)) for i in range(120)]
    fold_all(db, folder, days)
    with db.read() as conn:
        stories = stories_db.latest_stories(conn, limit=100)
    assert len(stories) >= 4
    for story in stories:
        assert story.first_published and story.last_updated
        assert story.last_updated - story.first_published <= timedelta(days=30)


def test_pages_of_random_words_do_not_look_alike(db: Database, folder: Folder) -> None:
    """55 pages of distinct random words (text no model reads; language ids as a detector would guess them) do
    not fold together: the encoder embeds such fragments all alike, so it must not embed them at all."""
    rng = random.Random(5)

    def words(count: int) -> str:
        """Random lower-case letter strings."""
        return " ".join(
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10))) for _ in range(count)
        )

    languages = ["en", "de", "nl", "fr", "it", "sv", "da"]
    pages = [
        article(f"r{i}", words(6).capitalize(), words(rng.randint(60, 200)) + ".", language=rng.choice(languages))
        for i in range(55)
    ]
    fold_all(db, folder, pages)
    assert max(_story_sizes(db)) <= 2


def test_hundreds_of_translations_of_one_text_make_one_story_of_copies(db: Database, folder: Folder) -> None:
    """300 undated versions of one article in three languages: one story, every member the original or a copy."""
    texts = {lang: (FIXTURES / f"{lang}.txt").read_text(encoding="utf-8") for lang in ("en", "fr", "es")}
    items = []
    for i in range(300):
        lang = ("en", "fr", "es")[i % 3]
        title, body = texts[lang].split("\n\n", 1)
        items.append(article(f"t{i}", title, body + f"\n\n{i}", language=lang, when=None))
    fold_all(db, folder, items)
    assert _story_sizes(db) == [300]
    with db.read() as conn:
        relations = dict(conn.execute("SELECT relation, count(*) FROM articles GROUP BY relation").fetchall())
    assert relations.get("report", 0) == 0 and relations["original"] == 1


@pytest.mark.parametrize(
    ("alphabet", "languages"),
    [
        ("абвгдежзийклмнопрстуфхцчшщыэюя", ["ru", "uk", "bg"]),
        ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", ["ar", "fa"]),
        ("abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюя", ["en", "ru"]),
    ],
)
@pytest.mark.parametrize("dated", [True, False])
def test_random_words_in_any_script_do_not_look_alike(
    db: Database, folder: Folder, alphabet: str, languages: list[str], dated: bool
) -> None:
    """55 pages of distinct random words in a script the encoder knows (Cyrillic, Arabic: its chars-a-piece test
    covers Latin only) folded into one story of 55 before the learned reading test; now no catch-all story."""
    rng = random.Random(5)

    def words(count: int) -> str:
        """Random words of the alphabet's letters."""
        return " ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 10))) for _ in range(count))

    pages = [
        article(
            f"r{i}",
            words(6).capitalize(),
            words(rng.randint(60, 200)) + ".",
            language=rng.choice(languages),
            when=T0 + timedelta(hours=i) if dated else None,
        )
        for i in range(55)
    ]
    fold_all(db, folder, pages)
    assert max(_story_sizes(db)) <= 5
