"""The runner: lazy chaining, per-step counts and batching."""

from __future__ import annotations

from newsfold.model import Article, Origin, Paragraph
from newsfold.pipeline import MapStep, RunReport, batched, run


def make(n: int) -> list[Article]:
    """n small articles."""
    return [Article(origin=Origin("t", i), paragraphs=[Paragraph(f"text {i}")]) for i in range(n)]


def test_steps_chain_and_count() -> None:
    report = RunReport()
    upper = MapStep("upper", lambda a: Article(origin=a.origin, title=a.text.upper(), paragraphs=a.paragraphs))
    odd_only = MapStep("odd", lambda a: a if a.origin.index % 2 else None)
    out = list(run([upper, odd_only], make(10), report))
    assert [a.title for a in out] == [f"TEXT {i}" for i in range(1, 10, 2)]
    assert [(s.name, s.seen, s.emitted) for s in report.steps] == [("upper", 10, 10), ("odd", 10, 5)]


def test_batched() -> None:
    assert [len(b) for b in batched(range(10), 4)] == [4, 4, 2]
    assert list(batched([], 3)) == []


def test_article_id_is_content_addressed() -> None:
    a, b = make(1)[0], make(1)[0]
    assert a.id == b.id
    b.paragraphs.append(Paragraph("more"))
    assert a.id != b.id
