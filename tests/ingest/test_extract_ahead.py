"""An ingest extracting in a worker process stores what an ingest extracting in its own process stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pytest import MonkeyPatch

from newsfold import extract_ahead
from newsfold.engine import IngestReport, ingest
from newsfold.enrich.hook import EnrichHook
from newsfold.errors import InputError
from newsfold.model import Origin, RawInput
from newsfold.steps import default_pipeline
from newsfold.store.db import Database

PROMO = "Sie lesen gerade auf die zweitbeste Art, in unserer App lesen Sie bequemer."
TOPICS = [
    "den Haushalt",
    "die Schulen",
    "den Busverkehr",
    "das Hallenbad",
    "die Bibliothek",
    "den Marktplatz",
    "die Feuerwehr",
    "den Stadtpark",
    "die Kläranlage",
    "das Theater",
    "den Friedhof",
    "die Radwege",
    "das Rathaus",
    "den Hafen",
]


def _page(n: int) -> bytes:
    """A page of one site: its name, a story, and a promo line (furniture once a few pages were seen)."""
    topic = TOPICS[n % len(TOPICS)]
    first = (
        f"Der Stadtrat hat am Dienstag über {topic} beraten, und die Mehrheit der Mitglieder stimmte nach einer "
        f"langen Debatte für den Entwurf Nummer {n}, den die Verwaltung im Frühjahr vorgelegt hatte."
    )
    second = (
        f"Die Opposition kritisierte, dass für {topic} zu wenig Geld vorgesehen sei, und kündigte an, im Herbst "
        "einen eigenen Antrag einzubringen, über den dann erneut beraten werden soll."
    )
    return "\n\n".join(["Stadtblatt Online", f"Beschluss über {topic} ({n})", first, PROMO, second]).encode()


def _inputs() -> list[RawInput | InputError]:
    """28 pages of one site (in several chunks), one empty input and one unreadable one among them."""
    items: list[RawInput | InputError] = [
        RawInput(Origin(f"page{n}.txt"), _page(n), media_type="text/plain", url=f"https://stadtblatt.example/{n}")
        for n in range(28)
    ]
    items.insert(5, RawInput(Origin("empty.txt"), b"  \n", media_type="text/plain"))
    items.insert(11, InputError("missing.txt", "no such file"))
    return items


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The rows ingest writes (times of writing left out), sorted."""
    queries = {
        "articles": "SELECT id, story_id, relation, copy_of, title, text, language, paragraphs FROM articles",
        "stories": "SELECT id, title, size, merged_into FROM stories",
        "furniture_sources": "SELECT * FROM furniture_sources",
        "furniture_lines": "SELECT * FROM furniture_lines",
        "furniture_pages": "SELECT * FROM furniture_pages",
    }
    conn = sqlite3.connect(path)
    try:
        return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
    finally:
        conn.close()


def _ingest(path: Path, workers: int) -> IngestReport:
    """Ingest the inputs into a new store at path with this many extraction workers."""
    db = Database(str(path))
    try:
        return ingest(db, _inputs(), batch_size=4, extract_workers=workers, prepare_workers=0)
    finally:
        db.close()


def test_extracting_in_a_worker_stores_the_same_rows(tmp_path: Path) -> None:
    here = _ingest(tmp_path / "here.db", workers=0)
    ahead = _ingest(tmp_path / "ahead.db", workers=1)
    assert (ahead.inputs, ahead.documents, ahead.new) == (here.inputs, here.documents, here.new) == (29, 28, 28)
    assert [str(f) for f in ahead.failures] == [str(f) for f in here.failures]
    assert len(here.failures) == 2
    rows = _rows(tmp_path / "here.db")
    assert rows == _rows(tmp_path / "ahead.db")
    assert rows["furniture_lines"]
    later = [r for r in rows["articles"] if "(27)" in str(r[4])]
    assert later and PROMO not in str(later[0][5])  # learned as furniture, in the worker as here
    assert [s.name for s in ahead.run.steps] == [s.name for s in here.run.steps]
    assert ahead.run.steps[0].seen == here.run.steps[0].seen == 28


def _entity_rows(path: Path) -> list[tuple[object, ...]]:
    """What enrichment stored, comparable: entities with their counts and the articles naming them."""
    conn = sqlite3.connect(path)
    try:
        entities = conn.execute("SELECT id, name, kind, mentions, stories FROM entities").fetchall()
        mentions = conn.execute("SELECT * FROM entity_mentions").fetchall()
        return sorted([*entities, *mentions], key=repr)
    finally:
        conn.close()


def test_recognising_ahead_in_the_worker_stores_the_same_entities(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(extract_ahead, "LEAD", 0)  # every chunk recognised ahead, however close the writer is
    stored = {}
    for workers in (0, 1):
        hook = EnrichHook()
        db = Database(str(tmp_path / f"{workers}.db"))
        try:
            ingest(
                db, _inputs(), default_pipeline(hooks=[hook]), batch_size=4, extract_workers=workers, prepare_workers=0
            )
        finally:
            db.close()
        stored[workers] = _entity_rows(tmp_path / f"{workers}.db")
        memo = hook.enricher.memo
        if workers:
            assert memo.misses == 0, "every article's mentions as the worker found them (or some sentences again)"
        else:
            assert memo.misses == 28, "each article recognised once, here"
    assert stored[0] and stored[0] == stored[1]
