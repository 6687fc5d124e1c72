"""Lines that recur on many pages of one source are learned as furniture, kept in the store across runs."""

from __future__ import annotations

import json

from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureLog, FurnitureMemory
from newsfold.model import Origin, RawInput
from newsfold.store.db import Database

PROMO = "Sie lesen gerade auf die zweitbeste Art, in unserer App lesen Sie bequemer."
TOPICS = ["den Haushalt", "die Schulen", "den Busverkehr", "das Hallenbad", "die Bibliothek", "den Marktplatz"]
STORIES = [
    (
        f"Der Stadtrat hat am Dienstag über {topic} beraten, und die Mehrheit der Mitglieder stimmte nach einer "
        "langen Debatte für den Entwurf, den die Verwaltung im Frühjahr vorgelegt hatte.",
        f"Die Opposition kritisierte, dass für {topic} zu wenig Geld vorgesehen sei, und kündigte an, im Herbst "
        "einen eigenen Antrag einzubringen, über den dann erneut beraten werden soll.",
    )
    for topic in TOPICS
]


def _page(n: int) -> bytes:
    """A page of the same site: its name, a story, and a promo line that no rule knows, in the middle."""
    first, second = STORIES[n]
    return "\n\n".join(["Stadtblatt Online", f"Beschluss über {TOPICS[n]}", first, PROMO, second]).encode("utf-8")


def _raw(n: int) -> RawInput:
    """Page n as an input from the site's host."""
    return RawInput(Origin(f"page{n}.txt"), _page(n), media_type="text/plain", url=f"https://stadtblatt.example/{n}")


def test_recurring_line_is_learned() -> None:
    """Before the source is known the promo is body text; after a few pages it is furniture."""
    memory = FurnitureMemory()
    extractor = Extractor(memory)
    (first,) = extractor(_raw(0))
    assert PROMO in first.text
    for n in range(1, 4):
        extractor(_raw(n))
    (later,) = extractor(_raw(4))
    assert PROMO not in later.text
    assert STORIES[4][0] in later.text and STORIES[4][1] in later.text


def test_same_page_twice_counts_once() -> None:
    """Seeing one page again teaches nothing (its lines are not furniture for it)."""
    memory = FurnitureMemory()
    extractor = Extractor(memory)
    for _ in range(5):
        (document,) = extractor(_raw(0))
    assert PROMO in document.text


def test_memory_persists_in_the_store(db: Database) -> None:
    """What one run learned is saved in the store and loaded by the next."""
    memory = FurnitureMemory()
    for n in range(4):
        memory.observe("stadtblatt.example", [PROMO.lower(), f"line {n}"], f"page {n}")
    with db.write() as conn:
        memory.save(conn)
    assert "0006_furniture.sql" in db.applied_migrations
    again = FurnitureMemory()
    with db.read() as conn:
        again.load(conn)
    assert again.known("stadtblatt.example") == frozenset({PROMO.lower()})
    assert again.known("other.example") == frozenset()
    # the same pages seen again in a later run are not counted again
    for n in range(4):
        again.observe("stadtblatt.example", [PROMO.lower(), f"line {n}"], f"page {n}")
    with db.write() as conn:
        again.save(conn)
        pages = conn.execute("SELECT pages FROM furniture_sources WHERE source = 'stadtblatt.example'").fetchone()
    assert pages is not None and pages[0] == 4


def _replayed(raws: list[RawInput]) -> list[str]:
    """Texts as `newsfold batch` gets them: each input extracted alone with a FurnitureLog, the records replayed
    in input order, the inputs whose furniture that changes extracted again from the replay's seed."""
    log = FurnitureLog()
    extractor = Extractor(log)
    first = []
    for raw in raws:
        documents = extractor(raw)
        first.append((documents, log.take()))
    memory = FurnitureMemory()
    texts = []
    for raw, (extracted, record) in zip(raws, first, strict=True):
        documents = extracted
        seed = memory.replay(record)
        if seed is not None:
            extractor.use_memory(FurnitureMemory.from_seed(seed))
            documents = extractor(raw)
            extractor.use_memory(log)
        texts.extend(d.text for d in documents)
    return texts


def test_replayed_records_give_what_sequential_learning_gives() -> None:
    """Pages extracted apart and replayed in order equal pages extracted one after another with one memory,
    repeated pages and a page glued to another included."""
    glued = RawInput(
        Origin("glued.txt"),
        _page(5) + b"\n\n\n" + _page(2),
        media_type="text/plain",
        url="https://stadtblatt.example/g",
    )
    raws = [_raw(0), _raw(1), _raw(1), _raw(2), glued, _raw(3), _raw(4), _raw(0), _raw(5)]
    sequential = Extractor(FurnitureMemory())
    expected = [d.text for raw in raws for d in sequential(raw)]
    assert sum(PROMO in text for text in expected) < len(expected), "the promo is learned as furniture"
    assert _replayed(raws) == expected


def test_replay_seed_holds_only_what_the_input_asks_about() -> None:
    """An input untouched by earlier inputs needs no second extraction; a touched one gets a seed that holds the
    source's page count and the counts of its own short lines."""
    memory = FurnitureMemory()
    log = FurnitureLog()
    extractor = Extractor(log)
    seeds = []
    for n in range(5):
        extractor(_raw(n))
        seeds.append(memory.replay(log.take()))
    assert seeds[:3] == [None, None, None]
    assert seeds[3] is not None and seeds[4] is not None
    seed = json.loads(seeds[4])
    assert seed["pages"] == {"stadtblatt.example": 4}
    assert seed["lines"]["stadtblatt.example"][PROMO.lower()] == 4
    assert all(len(key) <= 200 for key in seed["lines"]["stadtblatt.example"])
    assert memory.replay(None) is None
