"""Provenance within a story: which member is the original, what each copy copies, which members are reports.

story_placements() is a pure function of a story's member rows and the copy edges between them: the store path
(assign, after each fold batch) and the batch fold's per-component path (fold/batch/outcome.py, on the workers) both
call it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsfold.model import Relation
from newsfold.store import fold_state as fold_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Connection
from newsfold.store.stories import RowLike

MEMBER_COLUMNS = ("id", "source_url", "canonical_url", "original", "machine_translated", "published")


@dataclass(slots=True)
class _Member:
    """What provenance needs of one member."""

    id: str
    urls: frozenset[str]
    cited: str | None
    cited_url: str | None
    translated: bool
    published: str


@dataclass(slots=True, frozen=True)
class Placement:
    """A member's relation in its story and, for a copy, what it copies (a member id or an outside URL)."""

    relation: Relation
    copy_of: str | None


def _member(row: RowLike) -> _Member:
    """What provenance needs of one member's article row (MEMBER_COLUMNS)."""
    cited = json.loads(row["original"]).get("url") if row["original"] else None
    urls = frozenset(_clean(u) for u in (row["source_url"], row["canonical_url"]) if u)
    clean = _clean(cited) if cited else None
    return _Member(row["id"], urls, clean, cited, bool(row["machine_translated"]), row["published"] or "~")


def _clean(url: str) -> str:
    """A URL compared loosely: no scheme, no www., no trailing slash, case-folded."""
    url = url.strip().casefold().split("#")[0]
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    return url.removeprefix("www.").rstrip("/")


def _components(members: list[_Member], edges: list[tuple[str, str]]) -> list[list[_Member]]:
    """Groups of members joined by copy edges (union-find), each in time order, larger groups first."""
    parent = {m.id: m.id for m in members}

    def find(x: str) -> str:
        """The representative of x's group."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    groups: dict[str, list[_Member]] = {}
    for member in members:
        groups.setdefault(find(member.id), []).append(member)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0].published, g[0].id))


def _root(group: list[_Member], cited: frozenset[str]) -> _Member | None:
    """A group's original: the member whose URL the story's members cite, else the earliest that cites nothing
    and is not a machine translation; None when the group holds only copies of an outside original."""
    for member in group:
        if member.urls & cited:
            return member
    for member in group:
        if member.cited is None and not member.translated:
            return member
    if any(m.cited for m in group):
        return None
    return group[0]


def placements(members: list[_Member], edges: list[tuple[str, str]]) -> dict[str, Placement]:
    """Relations for every member: the main group's root is the original, other groups' roots are reports."""
    out: dict[str, Placement] = {}
    cited = frozenset(m.cited for m in members if m.cited)  # once per story: a story has many groups
    for rank, group in enumerate(_components(members, edges)):
        root = _root(group, cited)
        if root is not None:
            for member in group:
                own = member is root
                out[member.id] = Placement(
                    ("original" if rank == 0 else "report") if own else "copy", None if own else root.id
                )
            continue
        outside = Counter(m.cited_url for m in group if m.cited_url).most_common(1)[0][0]
        for member in group:
            out[member.id] = Placement("copy", member.cited_url or outside)
    return out


def story_placements(rows: Iterable[RowLike], edges: Sequence[tuple[str, str]]) -> dict[str, Placement]:
    """Relations of a story's members from their article rows (MEMBER_COLUMNS) and the copy edges (a, b) that
    start at a member (edges to non-members are ignored): the one definition both fold paths use."""
    members = sorted(map(_member, rows), key=lambda m: (m.published, m.id))
    return placements(members, list(edges))


def assign(conn: Connection, story_id: str) -> None:
    """Recompute and store the relation and copy_of of every member of a story."""
    rows = fold_db.story_member_rows(conn, story_id, (*MEMBER_COLUMNS, "relation", "copy_of", "score"))
    if not rows:
        return
    edges = fold_db.copy_edges_from(conn, [row["id"] for row in rows])
    current = {row["id"]: row for row in rows}
    for member_id, place in story_placements(rows, edges).items():
        row = current[member_id]
        if (row["relation"], row["copy_of"]) != (place.relation, place.copy_of):
            stories_db.set_member(conn, member_id, story_id, place.relation, place.copy_of, row["score"])
