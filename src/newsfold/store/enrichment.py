"""Enrichment in the store: story highlights, entities linked across stories, their mentions, and timelines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, cast

from newsfold.model import Entity, EntityKind, Event, Precision, Story
from newsfold.store.base import Connection, Row
from newsfold.store.dialects import json_array_agg, json_elements
from newsfold.text.names import span_key


class NamedInArticle(Protocol):
    """An entity as one article names it (enrich.story.ArticleEntity): with which names, how often, where."""

    @property
    def entity(self) -> Entity:
        """The story's entity (its id becomes the stored one when saved)."""
        ...

    @property
    def article_id(self) -> str:
        """The article naming it."""
        ...

    @property
    def names(self) -> Sequence[str]:
        """The names the article uses for it."""
        ...

    @property
    def mentions(self) -> int:
        """How often the article names it."""
        ...

    @property
    def sentences(self) -> Sequence[str]:
        """Example sentences naming it."""
        ...


class HighlightSentences(Protocol):
    """A story's highlights (enrich.highlights.Highlights) as stored: their sentences."""

    @property
    def sentences(self) -> Sequence[str]:
        """The highlight sentences, best first."""
        ...


class StoryEnrichmentRecord(Protocol):
    """What the enrich stage derived for one story (enrich.story.StoryEnrichment), as the store keeps it."""

    @property
    def highlights(self) -> HighlightSentences:
        """The story's highlights."""
        ...

    @property
    def entities(self) -> Sequence[Entity]:
        """The story's entities."""
        ...

    @property
    def by_article(self) -> Sequence[NamedInArticle]:
        """Each entity as each article names it."""
        ...

    @property
    def events(self) -> Sequence[Event]:
        """Every dated event found in the story's articles."""
        ...

    @property
    def timeline(self) -> Sequence[Event]:
        """The events merged into the story's timeline (a subset of events)."""
        ...


@dataclass(slots=True, frozen=True)
class EntityStory:
    """A live story naming an entity, as its entity page lists it."""

    id: str
    title: str
    first_published: str | None
    last_updated: str | None
    mentions: int
    sentences: list[str]


@dataclass(slots=True)
class EntityPage:
    """An entity with the stories that name it, oldest first."""

    entity: Entity
    stories: list[EntityStory] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass(slots=True, frozen=True)
class EntityEntry:
    """One entity of the entity index: its names, counts and first and last dates."""

    id: str
    name: str
    kind: str
    aliases: list[str]
    mentions: int
    stories: int
    first_seen: str | None
    last_seen: str | None


def _link(conn: Connection, entity: Entity) -> str:
    """The id of the stored entity this one is (same kind, same full name or multi-word alias), else its own."""
    # one-word aliases are ambiguous for people (surnames) but not for places (Irak = Iraq)
    keys = [span_key(entity.name)] + [span_key(a) for a in entity.aliases if " " in a.strip() or entity.kind == "place"]
    for key in keys:
        row = conn.execute(
            "SELECT entity_id FROM entity_aliases WHERE key = ? AND kind = ? ORDER BY entity_id LIMIT 1",
            (key, entity.kind),
        ).fetchone()
        if row:
            return str(row[0])
    return entity.id


def _register(conn: Connection, entity: Entity, entity_id: str) -> None:
    """Create or update the stored entity and its alias keys."""
    row = conn.execute("SELECT name, aliases FROM entities WHERE id = ?", (entity_id,)).fetchone()
    names = {entity.name, *entity.aliases}
    if row is None:
        conn.execute(
            "INSERT INTO entities (id, name, kind, key, aliases) VALUES (?, ?, ?, ?, ?)",
            (entity_id, entity.name, entity.kind, span_key(entity.name), "[]"),
        )
        known: set[str] = set()
        name = entity.name
    else:
        known = set(json.loads(row["aliases"])) | {row["name"]}
        name = min(row["name"], entity.name, key=_name_rank)
    aliases = sorted((known | names) - {name})
    conn.execute(
        "UPDATE entities SET name = ?, key = ?, aliases = ? WHERE id = ?",
        (name, span_key(name), json.dumps(aliases, ensure_ascii=False), entity_id),
    )
    # in the names' rank order: the first spelling of a key is the one kept, and a set's order changes with the
    # process's hash seed (two runs stored "AYTAÇ KARA" and "Aytaç Kara")
    for alias in sorted(names, key=_name_rank):
        if " " in alias.strip() or alias == entity.name or entity.kind == "place":
            conn.execute(
                "INSERT INTO entity_aliases (key, kind, entity_id, alias) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (span_key(alias), entity.kind, entity_id, alias),
            )


def _name_rank(name: str) -> tuple[int, int, str]:
    """The order of a stored entity's names, best first: more words, then longer, then alphabetical; the name is
    the best of the names its stories gave it, whichever story came first (a restarted ingest enriches stories in
    another order than a clean run)."""
    return (-len(name.split()), -len(name), name)


def _recount(conn: Connection, entity_ids: Iterable[str]) -> None:
    """Refresh the counts and first/last dates of entities; remove those no story names any more."""
    for entity_id in set(entity_ids):
        row = conn.execute(
            "SELECT coalesce(sum(m.mentions), 0) AS mentions, count(DISTINCT m.story_id) AS stories, "
            "min(s.first_published) AS first, max(s.last_updated) AS last "
            "FROM entity_mentions m LEFT JOIN stories s ON s.id = m.story_id WHERE m.entity_id = ?",
            (entity_id,),
        ).fetchone()
        if not row["stories"]:
            conn.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
            continue
        conn.execute(
            "UPDATE entities SET mentions = ?, stories = ?, first_seen = ?, last_seen = ? WHERE id = ?",
            (row["mentions"], row["stories"], row["first"], row["last"], entity_id),
        )


def clear_story_enrichment(conn: Connection, story_id: str, article_ids: Sequence[str] = ()) -> None:
    """Remove a story's (and its articles') enrichment, e.g. when it was merged into another."""
    old = [r[0] for r in conn.execute("SELECT DISTINCT entity_id FROM entity_mentions WHERE story_id = ?", (story_id,))]
    conn.execute("DELETE FROM entity_mentions WHERE story_id = ?", (story_id,))
    conn.execute("DELETE FROM events WHERE story_id = ?", (story_id,))
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        old += [
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT entity_id FROM entity_mentions WHERE article_id IN ({marks})", chunk
            )
        ]
        conn.execute(f"DELETE FROM entity_mentions WHERE article_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM events WHERE article_id IN ({marks})", chunk)
    conn.execute("UPDATE stories SET highlights = '[]' WHERE id = ?", (story_id,))
    _recount(conn, old)


def save_story_enrichment(
    conn: Connection, story_id: str, article_ids: Sequence[str], result: StoryEnrichmentRecord
) -> None:
    """Replace a story's enrichment with result; entity ids in result become the stored (cross-story) ids."""
    clear_story_enrichment(conn, story_id, article_ids)
    conn.execute(
        "UPDATE stories SET highlights = ? WHERE id = ?",
        (json.dumps(list(result.highlights.sentences), ensure_ascii=False), story_id),
    )
    for entity in result.entities:
        entity_id = _link(conn, entity)
        _register(conn, entity, entity_id)
        entity.id = entity_id
    conn.executemany(
        "INSERT INTO entity_mentions "
        "(entity_id, article_id, story_id, name, aliases, mentions, sentences) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (entity_id, article_id) DO UPDATE SET story_id = excluded.story_id, name = excluded.name, "
        "aliases = excluded.aliases, mentions = excluded.mentions, sentences = excluded.sentences",
        [
            (
                entity_id,
                article_id,
                story_id,
                name,
                json.dumps(names, ensure_ascii=False),
                mentions,
                json.dumps(sentences, ensure_ascii=False),
            )
            for (entity_id, article_id), (name, names, mentions, sentences) in _mentions(result.by_article).items()
        ],
    )
    timeline = {id(e) for e in result.timeline}
    seqs: dict[str, int] = {}
    rows = []
    for event in result.events:
        seq = seqs.get(event.article_id, 0)
        seqs[event.article_id] = seq + 1
        rows.append(
            (
                story_id,
                event.article_id,
                seq,
                event.date,
                event.precision,
                event.text,
                event.confidence,
                event.expression,
                int(id(event) in timeline),
            )
        )
    conn.executemany(
        "INSERT INTO events (story_id, article_id, seq, date, precision, text, confidence, expression, "
        "in_timeline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (article_id, seq) DO UPDATE SET story_id = excluded.story_id, date = excluded.date, "
        "precision = excluded.precision, text = excluded.text, confidence = excluded.confidence, "
        "expression = excluded.expression, in_timeline = excluded.in_timeline",
        rows,
    )
    _recount(conn, [e.id for e in result.entities])


def _mentions(by_article: Sequence[NamedInArticle]) -> dict[tuple[str, str], tuple[str, list[str], int, list[str]]]:
    """Per stored entity and article: its best name, the names used, how often, example sentences. Two of a
    story's entities that link to one stored entity add up (before, the second overwrote the first's row)."""
    out: dict[tuple[str, str], tuple[str, list[str], int, list[str]]] = {}
    for named in by_article:
        key = (named.entity.id, named.article_id)
        if key not in out:
            out[key] = (named.entity.name, list(named.names), named.mentions, list(named.sentences))
            continue
        name, names, mentions, sentences = out[key]
        out[key] = (
            min(name, named.entity.name, key=_name_rank),
            list(dict.fromkeys([*names, *named.names])),
            mentions + named.mentions,
            list(dict.fromkeys([*sentences, *named.sentences]))[:5],
        )
    return out


def story_entities(conn: Connection, story_id: str) -> list[Entity]:
    """A story's entities: stored name and kind, the names this story uses, its mention count."""
    rows = conn.execute(
        "SELECT e.id, e.name, e.kind, m.aliases, m.mentions, m.sentences FROM entity_mentions m "
        "JOIN entities e ON e.id = m.entity_id WHERE m.story_id = ?",
        (story_id,),
    ).fetchall()
    return _merged_entities(rows)


def _merged_entities(rows: Sequence[Row]) -> list[Entity]:
    """One story's entity mention rows merged per entity, most mentioned first."""
    merged: dict[str, Entity] = {}
    for row in rows:
        entity = merged.setdefault(
            row["id"], Entity(id=row["id"], name=row["name"], kind=cast(EntityKind, row["kind"]))
        )
        entity.mentions += int(row["mentions"])
        for alias in json.loads(row["aliases"]):
            if alias != entity.name and alias not in entity.aliases:
                entity.aliases.append(alias)
        for sentence in json.loads(row["sentences"]):
            if sentence not in entity.sentences and len(entity.sentences) < 5:
                entity.sentences.append(sentence)
    out = sorted(merged.values(), key=lambda e: (-e.mentions, e.name))
    for entity in out:
        entity.aliases.sort()
    return out


def _event(row: Row) -> Event:
    """An Event from its row in the events table."""
    return Event(
        date=row["date"],
        precision=cast(Precision, row["precision"]),
        text=row["text"],
        article_id=row["article_id"],
        confidence=row["confidence"],
        expression=row["expression"],
    )


def story_timeline(conn: Connection, story_id: str) -> list[Event]:
    """A story's merged timeline, by date."""
    return [
        _event(row)
        for row in conn.execute(
            "SELECT * FROM events WHERE story_id = ? AND in_timeline = 1 ORDER BY date, article_id, seq", (story_id,)
        )
    ]


def article_entities(conn: Connection, article_id: str) -> list[Entity]:
    """The entities one article names: its own spellings, count and sentences."""
    rows = conn.execute(
        "SELECT e.id, e.name, e.kind, m.aliases, m.mentions, m.sentences FROM entity_mentions m "
        "JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.mentions DESC, e.name",
        (article_id,),
    ).fetchall()
    return [
        Entity(
            id=row["id"],
            name=row["name"],
            kind=cast(EntityKind, row["kind"]),
            aliases=[a for a in json.loads(row["aliases"]) if a != row["name"]],
            mentions=int(row["mentions"]),
            sentences=json.loads(row["sentences"]),
        )
        for row in rows
    ]


def article_events(conn: Connection, article_id: str) -> list[Event]:
    """Every dated event found in one article, in text order (merged into the timeline or not)."""
    return [
        _event(row) for row in conn.execute("SELECT * FROM events WHERE article_id = ? ORDER BY seq", (article_id,))
    ]


def add_enrichment(conn: Connection, story: Story) -> Story:
    """Fill a story's highlights, entities and timeline from the store; return it."""
    row = conn.execute("SELECT highlights FROM stories WHERE id = ?", (story.id,)).fetchone()
    if row is not None:
        story.highlights = json.loads(row[0])
    story.entities = story_entities(conn, story.id)
    story.timeline = story_timeline(conn, story.id)
    return story


def add_enrichments(conn: Connection, stories: Sequence[Story], chunk: int = 400) -> None:
    """Fill many stories' highlights, entities and timelines as add_enrichment does, in three queries per chunk."""
    for start in range(0, len(stories), chunk):
        part = stories[start : start + chunk]
        ids = [s.id for s in part]
        marks = ",".join("?" * len(ids))
        highlights = dict(conn.execute(f"SELECT id, highlights FROM stories WHERE id IN ({marks})", ids).fetchall())
        mentions: dict[str, list[Row]] = {i: [] for i in ids}
        for row in conn.execute(
            "SELECT m.story_id, e.id, e.name, e.kind, m.aliases, m.mentions, m.sentences FROM entity_mentions m "
            f"JOIN entities e ON e.id = m.entity_id WHERE m.story_id IN ({marks})",
            ids,
        ):
            mentions[row["story_id"]].append(row)
        events: dict[str, list[Event]] = {i: [] for i in ids}
        for row in conn.execute(
            f"SELECT * FROM events WHERE story_id IN ({marks}) AND in_timeline = 1 ORDER BY date, article_id, seq",
            ids,
        ):
            events[row["story_id"]].append(_event(row))
        for story in part:
            if story.id in highlights:
                story.highlights = json.loads(highlights[story.id])
            story.entities = _merged_entities(mentions[story.id])
            story.timeline = events[story.id]


def entity_page(conn: Connection, entity_id: str, limit: int = 200) -> EntityPage | None:
    """The entity page's content, or None for an unknown id."""
    row = conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    entity = Entity(
        id=row["id"],
        name=row["name"],
        kind=cast(EntityKind, row["kind"]),
        aliases=json.loads(row["aliases"]),
        mentions=row["mentions"],
    )
    page = EntityPage(entity=entity, first_seen=row["first_seen"], last_seen=row["last_seen"])
    rows = conn.execute(
        "SELECT s.id, s.title, s.first_published, s.last_updated, sum(m.mentions) AS mentions, "
        f"{json_array_agg(conn, 'm.sentences')} AS sentences "
        "FROM entity_mentions m JOIN stories s ON s.id = m.story_id "
        "WHERE m.entity_id = ? AND s.merged_into IS NULL GROUP BY s.id "
        "ORDER BY coalesce(s.first_published, s.last_updated, ''), s.id LIMIT ?",
        (entity_id, limit),
    ).fetchall()
    for story in rows:
        sentences: list[str] = []
        for chunk in json.loads(story["sentences"]):
            sentences.extend(s for s in json.loads(chunk) if s not in sentences)
        page.stories.append(
            EntityStory(
                id=story["id"],
                title=story["title"],
                first_published=story["first_published"],
                last_updated=story["last_updated"],
                mentions=story["mentions"],
                sentences=sentences[:3],
            )
        )
    return page


def _like(text: str) -> str:
    """A LIKE pattern matching text anywhere (its own % and _ escaped with backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def entity_index(
    conn: Connection, query: str | None, kind: str | None, limit: int, offset: int
) -> tuple[list[EntityEntry], int]:
    """Entities named in live stories, most stories first; with query, those whose name, a spelling or its
    transliteration key contains it (Sudani finds al-Sudani and Soudani). The page of them and how many match."""
    where = ["e.stories > 0"]
    params: list[object] = []
    if kind:
        where.append("e.kind = ?")
        params.append(kind)
    if query:
        key = span_key(query)
        where.append(
            "(e.name LIKE ? ESCAPE '\\' OR e.aliases LIKE ? ESCAPE '\\' OR e.key LIKE ? ESCAPE '\\' "
            "OR EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id AND a.key LIKE ? ESCAPE '\\'))"
        )
        params += [_like(query), _like(query), _like(key or query), _like(key or query)]
    clause = " AND ".join(where)
    total = int(conn.execute(f"SELECT count(*) FROM entities e WHERE {clause}", params).fetchone()[0])
    rows = conn.execute(
        f"SELECT e.* FROM entities e WHERE {clause} ORDER BY (lower(e.name) = lower(?)) DESC, e.stories DESC, "
        "e.mentions DESC, e.name, e.id LIMIT ? OFFSET ?",
        [*params, query or "", limit, offset],
    ).fetchall()
    found = [
        EntityEntry(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            aliases=json.loads(row["aliases"]),
            mentions=row["mentions"],
            stories=row["stories"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
        )
        for row in rows
    ]
    return found, total


def entities_named(conn: Connection, name: str) -> list[str]:
    """The ids of the entities called name, or spelled so (case and transliteration aside), most stories first."""
    key = span_key(name)
    rows = conn.execute(
        "SELECT e.id FROM entities e WHERE e.stories > 0 AND (lower(e.name) = lower(?) OR e.key = ? "
        "OR EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id AND a.key = ?) "
        f"OR EXISTS (SELECT 1 FROM {json_elements(conn, 'e.aliases', 'j')} WHERE lower(j.value) = lower(?))) "
        "ORDER BY (lower(e.name) = lower(?)) DESC, e.stories DESC, e.mentions DESC, e.id",
        (name, key, key, name, name),
    ).fetchall()
    return [str(row[0]) for row in rows]


class KnownEntity(NamedTuple):
    """A stored entity's name, kind and other spellings, as a gazetteer learns it."""

    name: str
    kind: EntityKind
    aliases: list[str]


def entities_in_several_stories(conn: Connection, limit: int) -> list[KnownEntity]:
    """The (up to limit) stored entities named in at least two stories, most stories first."""
    return [
        KnownEntity(row["name"], cast(EntityKind, row["kind"]), json.loads(row["aliases"]))
        for row in conn.execute(
            "SELECT e.name, e.kind, e.aliases FROM entities e WHERE e.stories >= 2 ORDER BY e.stories DESC LIMIT ?",
            (limit,),
        )
    ]


def _recent_distinct(conn: Connection, column: str, limit: int) -> list[str]:
    """The (up to limit) distinct values of an articles column, latest stored first."""
    if conn.dialect == "sqlite":
        sql = f"SELECT DISTINCT {column} FROM articles WHERE {column} IS NOT NULL ORDER BY seq DESC LIMIT ?"
    else:
        # PostgreSQL orders DISTINCT rows only by what they select: each value by its latest row
        sql = (
            f"SELECT {column} FROM articles WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY max(seq) DESC LIMIT ?"
        )
    return [str(row[0]) for row in conn.execute(sql, (limit,))]


def recent_datelines(conn: Connection, limit: int) -> list[str]:
    """The (up to limit) distinct datelines of the stored articles, latest stored first."""
    return _recent_distinct(conn, "dateline", limit)


def recent_outlet_names(conn: Connection, limit: int) -> list[str]:
    """The (up to limit) distinct outlet names of the stored articles, latest stored first."""
    return _recent_distinct(conn, "source_name", limit)


def recent_authors(conn: Connection, limit: int) -> list[list[str]]:
    """The author lists of the (up to limit) latest stored articles that name any."""
    return [
        json.loads(row[0])
        for row in conn.execute(
            "SELECT authors FROM articles WHERE authors != '[]' ORDER BY seq DESC LIMIT ?", (limit,)
        )
    ]
