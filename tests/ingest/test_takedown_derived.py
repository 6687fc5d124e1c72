"""A taken-down article leaves nothing derived behind: its terms leave folding's document frequencies (and the
document count), the machine translations of its texts leave the translation cache, and `repair` counts the
frequencies again from what is stored."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newsfold.fold.link.index import DF_BUCKETS, stored_df
from newsfold.language import cache
from newsfold.store import integrity as integrity_db
from newsfold.store.db import Database
from newsfold.store.translations import keep_translations
from tests.ingest.helpers import article_html, invoke

SECRET = "Quentin Zarkovsky, the harbour master of Velmora, said the quokka exports would resume on Tuesday."
TITLE = "Harbour reopens after storm"


def _page(url: str, extra: str = "") -> str:
    """A saved page of the harbour story at url (optionally with one more paragraph)."""
    page = article_html(TITLE, seed=71, url=url)
    return page.replace("</article>", f"<p>{escape(extra)}</p></article>") if extra else page


@dataclass
class Pages:
    """The original, its copy carrying SECRET, and an unrelated page, as files."""

    original: Path
    copy: Path
    other: Path


@pytest.fixture
def pages(tmp_path: Path) -> Pages:
    """Write the three pages."""
    out = Pages(tmp_path / "original.html", tmp_path / "copy.html", tmp_path / "other.html")
    out.original.write_text(_page("https://a.example/news/7"))
    out.copy.write_text(_page("https://b.example/copy/7", SECRET))
    out.other.write_text(article_html("Glacier melt record", seed=42, url="https://c.example/g/1"))
    return out


def _ingest(runner: CliRunner, db: Path, *files: Path) -> None:
    """Ingest files into db through the CLI."""
    status, out = invoke(runner, ["ingest", *map(str, files), "--db", str(db)])
    assert status == 0, out


def _frequencies(path: Path) -> tuple[np.ndarray, int]:
    """The document frequencies and document count a store holds."""
    db = Database(path)
    with db.read() as conn:
        state = integrity_db.fold_state(conn)
    db.close()
    df = stored_df(state)
    assert df is not None
    return df, int(state["ndocs"].decode())


def _bucket(word: str) -> int:
    """The frequency bucket of a word (folding's terms: crc32 of the lower-cased token)."""
    return zlib.crc32(word.encode("utf-8")) & (DF_BUCKETS - 1)


def test_a_takedown_takes_its_terms_out_of_the_frequencies(pages: Pages, runner: CliRunner, tmp_path: Path) -> None:
    """After the copy is taken down the store's frequencies and count equal those of a store that never had it."""
    db, clean = tmp_path / "t.db", tmp_path / "clean.db"
    _ingest(runner, db, pages.original, pages.copy, pages.other)
    _ingest(runner, clean, pages.original, pages.other)
    before, count_before = _frequencies(db)
    assert before[_bucket("quokka")] >= 1 and count_before == 3
    status, _ = invoke(runner, ["takedown", "https://b.example/copy/7", "--db", str(db)])
    assert status == 0
    after, count = _frequencies(db)
    want, want_count = _frequencies(clean)
    assert count == want_count == 2
    assert after[_bucket("quokka")] == 0
    assert np.array_equal(after, want)


def test_a_takedown_empties_the_translation_cache_of_its_texts(pages: Pages, runner: CliRunner, tmp_path: Path) -> None:
    """The cached translations of the copy's own paragraph go; its title, which the original shares, and the other
    story's texts stay."""
    db_path = tmp_path / "t.db"
    _ingest(runner, db_path, pages.original, pages.copy, pages.other)
    db = Database(db_path)
    other_text = "Glacier melt record"
    with db.write() as conn:
        for text in (SECRET, TITLE, other_text):
            keep_translations(conn, [(cache.text_hash(text), f"[de] {text}")], "opus-mt-en-de", "en", "de")
            keep_translations(conn, [(cache.text_hash(text), f"[fr] {text}")], "opus-mt-en-fr", "en", "fr")
    invoke(runner, ["takedown", "https://b.example/copy/7", "--db", str(db_path)])
    with db.read() as conn:
        rows = conn.execute("SELECT text_hash, target FROM translations").fetchall()
    db.close()
    left = {(r[0], r[1]) for r in rows}
    assert not any(h == cache.text_hash(SECRET) for h, _ in left)
    assert {(cache.text_hash(TITLE), "de"), (cache.text_hash(other_text), "fr")} <= left


def test_repair_counts_the_frequencies_again(pages: Pages, runner: CliRunner, tmp_path: Path) -> None:
    """A store whose frequencies still count a deleted article (a takedown before this was fixed) gets exact ones
    back from `repair`."""
    db_path, clean = tmp_path / "t.db", tmp_path / "clean.db"
    _ingest(runner, db_path, pages.original, pages.copy, pages.other)
    _ingest(runner, clean, pages.original, pages.other)
    db = Database(db_path)
    with db.write() as conn:
        copy_id = conn.execute("SELECT id FROM articles WHERE canonical_url = 'https://b.example/copy/7'").fetchone()
        integrity_db.remove_articles(conn, [copy_id[0]])  # the rows only, as a takedown did before
    db.close()
    assert _frequencies(db_path)[0][_bucket("quokka")] >= 1
    status, out = invoke(runner, ["repair", "--db", str(db_path)])
    assert status == 0, out
    after, count = _frequencies(db_path)
    want, want_count = _frequencies(clean)
    assert count == want_count
    assert np.array_equal(after, want)
