"""The differences between copies of one story: sentences aligned, the differing words marked."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from newsfold.model import Article
from newsfold.text.diff import AlignedPair, align

_TOKENS = re.compile(r"\w+|[^\w\s]+|\s+", re.UNICODE)
MAX_COMPARISONS = 3


@dataclass(slots=True, frozen=True)
class Segment:
    """A run of text and whether it differs from the other version."""

    text: str
    changed: bool


@dataclass(slots=True, frozen=True)
class Row:
    """One aligned row: the sentence in each version (as segments) and its status."""

    a: tuple[Segment, ...]
    b: tuple[Segment, ...]
    status: str
    similarity: float


@dataclass(slots=True)
class Comparison:
    """Two versions of the story side by side."""

    a: Article
    b: Article
    rows: list[Row]

    @property
    def changed(self) -> int:
        """How many rows differ."""
        return sum(1 for row in self.rows if row.status != "same")


def word_segments(a: str, b: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both sentences cut into runs, the words that differ between them marked."""
    ta, tb = _TOKENS.findall(a), _TOKENS.findall(b)
    matcher = difflib.SequenceMatcher(a=[t.lower() for t in ta], b=[t.lower() for t in tb], autojunk=False)
    out_a: list[Segment] = []
    out_b: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            out_a.append(Segment("".join(ta[i1:i2]), changed and not "".join(ta[i1:i2]).isspace()))
        if j2 > j1:
            out_b.append(Segment("".join(tb[j1:j2]), changed and not "".join(tb[j1:j2]).isspace()))
    return tuple(out_a), tuple(out_b)


def row_of(pair: AlignedPair) -> Row:
    """An aligned pair as a displayed row."""
    if pair.a is not None and pair.b is not None:
        if pair.status == "same":
            return Row((Segment(pair.a, False),), (Segment(pair.b, False),), pair.status, pair.similarity)
        seg_a, seg_b = word_segments(pair.a, pair.b)
        return Row(seg_a, seg_b, pair.status, pair.similarity)
    a = (Segment(pair.a, True),) if pair.a else ()
    b = (Segment(pair.b, True),) if pair.b else ()
    return Row(a, b, pair.status, pair.similarity)


def compare(a: Article, b: Article) -> Comparison:
    """Align two versions' texts and mark what differs."""
    return Comparison(a, b, [row_of(pair) for pair in align(a.text, b.text)])


def comparisons(members: Sequence[Article]) -> list[Comparison]:
    """Each copy against what it copies (or against the story's first version), a few at most."""
    articles = [m for m in members if m.text]
    by_id = {m.id: m for m in articles}
    copies = [m for m in articles if m.relation == "copy"]
    if not copies:
        return []
    anchor = next((m for m in articles if m.relation == "original"), copies[0])
    out: list[Comparison] = []
    for copy in copies:
        base = by_id.get(copy.copy_of or "") or anchor
        if base.id == copy.id:
            continue
        out.append(compare(base, copy))
        if len(out) == MAX_COMPARISONS:
            break
    return out


def segments_html(segments: Sequence[Segment]) -> Markup:
    """One version's cell of a diff row as HTML: the text escaped, changed runs in <mark>, an absent note if empty."""
    if not segments:
        return Markup('<span class="absent">(not in this version)</span>')
    return Markup("").join(Markup("<mark>%s</mark>") % s.text if s.changed else escape(s.text) for s in segments)


def comparison_json(comparison: Comparison) -> dict[str, object]:
    """A comparison as the API shows it."""
    return {
        "a": comparison.a.id,
        "b": comparison.b.id,
        "changed": comparison.changed,
        "rows": [
            {
                "status": row.status,
                "similarity": round(row.similarity, 3),
                "a": "".join(s.text for s in row.a) or None,
                "b": "".join(s.text for s in row.b) or None,
                "a_changed": [s.text for s in row.a if s.changed],
                "b_changed": [s.text for s in row.b if s.changed],
            }
            for row in comparison.rows
        ],
    }
