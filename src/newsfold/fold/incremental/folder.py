"""The folder: places each new article in a story, inside the ingest's write transaction, in two phases: link
(fold/link/link.py: candidates and verified edges) and place (fold/link/place.py: join, start or merge stories)."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from newsfold.config import Config
from newsfold.errors import ConfigError, StoreError
from newsfold.fold.features.embed import Embedder, make_embedder
from newsfold.fold.features.features import Features, features, key_slots
from newsfold.fold.features.pivoted import compared, keep_compared
from newsfold.fold.features.prepared import Prepared, prepare
from newsfold.fold.link import provenance
from newsfold.fold.link.index import FoldIndex, hash_key, load_new, save_docs
from newsfold.fold.link.link import Edge, Leads, LinkSettings, link_block, neighbour_pool, neighbours
from newsfold.fold.link.pairs import PairModel, load_pair_model
from newsfold.fold.link.place import Decision, PlaceSettings, apply, decide
from newsfold.language.pivot import USEM3_LANGUAGES, InstalledTranslators, PivotComparer
from newsfold.language.translate import TranslateSettings
from newsfold.model import Article
from newsfold.store import articles as articles_db
from newsfold.store import fold_state as fold_db
from newsfold.store import integrity as integrity_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Connection

log = logging.getLogger(__name__)
DATED_REPORTS = ("score", "model")  # fold.dated_reports: the evidence score or the learned pair model


@dataclass(slots=True, frozen=True)
class FoldSettings:
    """How folding decides (see config.SETTINGS fold.*)."""

    window_days: float = 7.0
    max_story_days: float = 45.0
    copy_cosine: float = 0.7
    copy_containment: float = 0.8
    report_score: float = 1.0
    report_score_cross: float = 0.7
    dated_reports: str = "score"  # score or model: what decides a report between two dated articles
    pair_model: str = ""  # a pair-model JSON file (fold/link/pairs.py); empty: the shipped one
    centroid_floor: float = 0.45
    story_share: float = 2 / 3  # a report joins a story with edges to this share of its members (or near its centroid)
    neighbour_floor: float = 0.35
    undated_floor: float = 0.15  # the lead-neighbour floor when either date is unknown
    candidates: int = 12
    embedder: str = "usem3"

    @classmethod
    def from_config(cls, config: Config) -> FoldSettings:
        """Settings from a loaded Config (fold.* names)."""
        dated = str(config["fold.dated_reports"])
        if dated not in DATED_REPORTS:
            raise ConfigError(f"fold.dated_reports {dated!r}: expected one of {', '.join(DATED_REPORTS)}")
        return cls(
            window_days=float(config["fold.window_days"]),
            max_story_days=float(config["fold.max_story_days"]),
            copy_cosine=float(config["fold.copy_cosine"]),
            report_score=float(config["fold.report_score"]),
            report_score_cross=float(config["fold.report_score_cross"]),
            dated_reports=dated,
            pair_model=str(config["fold.pair_model"]),
            candidates=int(config["fold.candidates"]),
            embedder=str(config["fold.embedder"]),
        )


def fold_pivot(config: Config) -> PivotComparer | None:
    """How folding compares languages its encoder does not read (fold.encoder_languages): through their translation
    into translate.pivot by the models installed in models.dir; None where the encoder reads every language."""
    spec = str(config["fold.encoder_languages"]).strip().lower()
    pivot = str(config["translate.pivot"]).strip()
    if spec == "all" or not pivot:
        return None
    if spec == "auto":
        if str(config["fold.embedder"]) != "usem3":
            return None  # another encoder's languages are not known: it reads them all unless it is told
        covered = USEM3_LANGUAGES
    else:
        covered = frozenset(part.strip() for part in spec.split(",") if part.strip())
        if not covered or not all(part.isalpha() and len(part) <= 3 for part in covered):
            raise ConfigError(f"fold.encoder_languages {spec!r}: expected auto, all or language codes (en,de,...)")
    models = InstalledTranslators(config.get_path("models.dir"), TranslateSettings.from_config(config))
    return PivotComparer(models, pivot, covered)


class Folder:
    """Incremental folding: a new article joins a story (as copy or report) or starts one; bridges merge stories."""

    name = "fold"

    def __init__(
        self,
        settings: FoldSettings | None = None,
        embedder: Embedder | None = None,
        pivot: PivotComparer | None = None,
    ) -> None:
        """Keep the settings; the embedder and the index are made on first use (the index from the store); pivot
        translates the texts of languages the encoder does not read (None: they are compared as they are)."""
        self.settings = settings or FoldSettings()
        self.pivot = pivot
        self._embedder = embedder
        self._index: FoldIndex | None = None
        self._cache: OrderedDict[int, Features] = OrderedDict()
        self._blas: ThreadpoolController | None = None
        self._model: PairModel | None = None
        self._removals = 0  # the store's count of removals (takedowns) the index was loaded after

    @classmethod
    def from_config(cls, config: Config) -> Folder:
        """A folder with the fold.* settings of a loaded configuration."""
        return cls(FoldSettings.from_config(config), pivot=fold_pivot(config))

    @property
    def link_settings(self) -> LinkSettings:
        """The settings linking uses."""
        s = self.settings
        if self._model is None:
            self._model = load_pair_model(s.pair_model)
        return LinkSettings(
            s.window_days,
            s.copy_cosine,
            s.copy_containment,
            s.report_score,
            s.report_score_cross,
            s.neighbour_floor,
            s.candidates,
            self._model,
            s.undated_floor,
            s.dated_reports == "model",
        )

    @property
    def place_settings(self) -> PlaceSettings:
        """The settings placement uses."""
        return PlaceSettings(self.settings.max_story_days, self.settings.centroid_floor, self.settings.story_share)

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
        conn: Connection,
        articles: Sequence[Article],
        prepared: Mapping[str, Prepared] | None = None,
    ) -> set[str]:
        """Assign each (already stored) new article to a story; return the ids of stories that changed.

        prepared (by article id) holds what prepare() computed ahead for some articles (a batch job's workers);
        the rest are prepared here.
        """
        if not articles:
            return set()
        if self._blas is None:
            self._blas = ThreadpoolController()  # finds numpy's BLAS once
        try:
            # one BLAS thread: folding's products are small, and a second thread spinning on a core that the
            # prepare worker (or another process) uses cost ~40% more CPU a document (hashing embedder, 2 cores)
            with self._blas.limit(limits=1, user_api="blas"):
                return self._fold(conn, articles, prepared or {})
        except BaseException:
            # the transaction will roll back: forget the in-memory state, reload it from the store next time
            self.reset()
            raise

    def reset(self) -> None:
        """Forget the in-memory index (after a rolled-back transaction); the next fold reloads it from the store."""
        self._index, self._cache = None, OrderedDict()

    def _prepared(
        self, articles: Sequence[Article], ids: Sequence[str], given: Mapping[str, Prepared]
    ) -> list[Prepared]:
        """Each article's prepared inputs (ids: the articles' ids): the given ones, the missing ones computed here
        in one call."""
        missing = [a for a, i in zip(articles, ids, strict=True) if i not in given]
        made = {p.features.article_id: p for p in prepare(missing, self.embedder, datetime.now(UTC), self.pivot)}
        return [given[i] if i in given else made[i] for i in ids]

    def _fold(self, conn: Connection, articles: Sequence[Article], given: Mapping[str, Prepared]) -> set[str]:
        """fold() proper: link every new document, then place each in order and write the store."""
        removals = integrity_db.generation(conn)
        if removals != self._removals:
            self.reset()  # articles were taken down since the index was loaded: it still holds them
            self._removals = removals
        if (
            self._index is not None
            and self._index.size
            and fold_db.fold_doc_number(conn, self._index.article_ids[-1]) is None
        ):
            self.reset()  # a batch this folder folded was rolled back after fold() returned
        index = self.index
        load_new(conn, index)
        ids = [a.id for a in articles]  # Article.id hashes the whole text: once per article here
        ready = self._prepared(articles, ids, given)
        items = [p.features for p in ready]
        if self.pivot is not None:
            keep_compared(conn, articles, items, self.pivot)  # a later process reads candidates' translations back
        keys = np.vstack([p.keys for p in ready])
        vectors = np.vstack([p.vector for p in ready]).astype(np.float32, copy=False)
        docs = list(range(index.size, index.size + len(items)))
        lsh_hits = self.lsh_candidates(keys, docs)  # before the batch is indexed
        index.add(
            [f.article_id for f in items],
            [f.group for f in items],
            [f.at for f in items],
            [f.text_hash for f in items],
            keys,
            vectors,
            key_slots([f.name_keys for f in items]),
        )
        for doc, item in zip(docs, items, strict=True):
            self._remember(doc, item)
        edges = self.link(conn, docs, items, lsh_hits)
        changed: set[str] = set()
        for doc, article, article_id, own in zip(docs, articles, ids, edges, strict=True):
            article.story_id = self._place(conn, doc, article_id, article.title, own, changed)
        fold_db.save_fold_edges(
            conn,
            [
                (index.article_ids[doc], index.article_ids[cand], rel, score)
                for doc, own in zip(docs, edges, strict=True)
                for cand, rel, score in own
            ],
        )
        save_docs(conn, index, docs, [f.text_hash for f in items], keys)
        live = {s for s in changed if index.members.get(s)}
        for story_id in sorted(live):
            provenance.assign(conn, story_id)
            stories_db.refresh_story(conn, story_id)
        placed = articles_db.placements(conn, ids)
        for article, article_id in zip(articles, ids, strict=True):
            article.relation, article.copy_of = placed[article_id]
        return changed

    def lsh_candidates(self, keys: NDArray[np.uint64], docs: Sequence[int]) -> list[list[tuple[int, int]]]:
        """The LSH candidates of a batch about to be indexed (see LshIndex.query_earlier)."""
        return self.index.lsh.query_earlier(keys, docs, self.settings.candidates)

    def link(
        self,
        conn: Connection,
        docs: Sequence[int],
        items: Sequence[Features],
        lsh_hits: Sequence[Sequence[tuple[int, int]]],
    ) -> list[list[Edge]]:
        """Folding's first phase for a batch already in the index: candidates (LSH, lead neighbours, exact text)
        verified into edges. Reads no story state; the given edges of a distributed fold replace it."""
        index = self.index
        end = docs[-1] + 1
        pool = neighbour_pool(index.times, docs[0], end, index.times[docs[0] : end], self.settings.window_days)
        block = Leads(
            np.asarray(docs, dtype=np.int64),
            index.vectors[docs[0] : end],
            index.times[docs[0] : end],
            index.groups[docs[0] : end],
            index.slots[docs[0] : end],
        )
        groups = [index.groups[p] for p in pool.tolist()]
        among = Leads(pool, index.vectors[pool], index.times[pool], groups, index.slots[pool])
        near = neighbours(block, among, self.link_settings)
        candidates: list[list[int]] = []
        for row, (doc, item) in enumerate(zip(docs, items, strict=True)):
            found = [d for d, _ in lsh_hits[row]] + near[row]
            exact = index.by_hash.get(hash_key(item.group, item.text_hash)) if item.text_hash else None
            if exact is not None and exact < doc:
                found.append(exact)
            candidates.append(found)
        known = {cand: (self._features_of(conn, cand), index.vectors[cand]) for found in candidates for cand in found}
        settings = self.link_settings
        vectors = index.vectors[docs[0] : end]
        edges = link_block(
            docs, items, vectors, candidates, known, index.df, index.ndocs, settings, self.embedder.encode
        )
        index.ndocs += len(docs)
        return edges

    def decide(self, doc: int, edges: Sequence[Edge]) -> Decision:
        """Folding's second phase for one document (the index's stories are current): where it goes."""
        return decide(self.index, doc, edges, self.place_settings)

    def _remember(self, doc: int, item: Features) -> None:
        """Keep a recent article's features for verifying later candidates (a bounded cache)."""
        self._cache[doc] = item
        self._cache.move_to_end(doc)
        while len(self._cache) > 20000:
            self._cache.popitem(last=False)

    def _features_of(self, conn: Connection, doc: int) -> Features:
        """A candidate's features: from the cache, else recomputed from the stored article."""
        item = self._cache.get(doc)
        if item is None:
            article = articles_db.get_article(conn, self.index.article_ids[doc])
            if article is None:
                raise StoreError(f"article {self.index.article_ids[doc]} is in the fold index but not in the store")
            item = compared([features(article, datetime.now(UTC))], self.pivot, conn)[0]
            item.at = float(self.index.times[doc])
            self._remember(doc, item)
        return item

    def _place(  # noqa: PLR0913  one document's placement: its number, id, title, edges, and what the batch changed
        self,
        conn: Connection,
        doc: int,
        article_id: str,
        title: str | None,
        edges: list[Edge],
        changed: set[str],
    ) -> str:
        """Place one document: bring its candidates' stories up to date, decide, write the decision to the store."""
        index = self.index
        for cand, _, _ in edges:
            story = index.story_of[cand]
            live = stories_db.resolve_story_id(conn, story) or story
            if live != story:  # another process merged stories since this index was loaded
                index.merge(live, story)
        decision = self.decide(doc, edges)
        if decision.created:
            stories_db.create_story(conn, decision.story, title or "(untitled)")
        elif decision.absorbed:
            stories_db.merge_stories(conn, decision.story, list(decision.absorbed))
            changed.update(decision.absorbed)
        apply(index, doc, decision)
        stories_db.set_member(conn, article_id, decision.story, "report")
        changed.add(decision.story)
        return decision.story
