"""The same input ingested again is the same article, whatever extraction learned since (see docs/reliability.md)."""

from __future__ import annotations

import pytest

from newsfold.engine import ingest
from newsfold.model import Origin, RawInput
from newsfold.store.base import Backend
from tests.extract.test_furniture import _page, _raw

pytestmark = pytest.mark.both_backends


def _count(db: Backend) -> int:
    """Articles stored."""
    with db.read() as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_ingesting_the_same_inputs_twice_stores_nothing_new(db: Backend) -> None:
    """The first pass learns a promo line as furniture only after a few pages; the second pass would extract the
    first pages without it (another text, another content id): they are still the same inputs, nothing new."""
    first = ingest(db, [_raw(n) for n in range(6)], prepare_workers=0)
    assert first.new == 6
    with db.read() as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles ORDER BY seq")]
    assert "zweitbeste Art" in texts[0]  # learned only later: the first page kept it
    second = ingest(db, [_raw(n) for n in range(6)], prepare_workers=0)
    assert second.new == 0 and second.unchanged == 6
    assert _count(db) == 6


def test_changed_bytes_at_the_same_place_are_a_new_input(db: Backend) -> None:
    """A file edited in place (other bytes) is read again: its new text is stored beside the old."""
    ingest(db, [_raw(0)], prepare_workers=0)
    edited = RawInput(Origin("page0.txt"), _page(1), media_type="text/plain", url="https://stadtblatt.example/0")
    assert ingest(db, [edited], prepare_workers=0).new == 1
    assert _count(db) == 2
