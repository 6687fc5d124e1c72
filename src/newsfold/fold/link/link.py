"""Linking, folding's first phase: for each new document, its candidates and the verified edges to them.

Every function here is pure (arrays and features in, candidates or edges out) and reads no story state, so the
incremental folder and the distributed batch fold run the same code. What a document links to depends only on
the fold order, not on how documents are cut into batches or blocks:

- LSH candidates: lsh.LshIndex.query_earlier / lsh.bucket_pairs + lsh.top_candidates;
- lead-embedding neighbours: earlier documents of the same group, lead cosine >= neighbour_floor, within
  window_days of the document's time (when either is undated: lead cosine >= undated_floor, among the previous
  RECENT documents); the first `candidates` by cosine, then newest;
- name-key neighbours, for a pair of which one lead is unread (a script the encoder does not know): earlier
  documents of the same group, in the same window, sharing >= KEY_SHARED name keys (features.key_slots); the
  first `candidates` by keys shared, then newest;
- the exact text hash: the first earlier document with the same normalised text;
- verification with tf-idf weights from the document frequencies of documents <= d (a prefix of the order).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from newsfold.fold.features.features import MIN_SHINGLES, Features
from newsfold.fold.link.index import DF_BUCKETS
from newsfold.fold.link.pairs import PAIR_FEATURES, Embed, PairModel, cross_language, pair_features, text_vectors
from newsfold.fold.link.verify import DAY, containment, name_overlap, report_score, tfidf_cosines, time_factor
from newsfold.model import Relation

Edge = tuple[int, Relation, float]
ALIGNED = PAIR_FEATURES.index("aligned")
SHORT_TEXT = 60  # content words: below this, a text is short and the copy bar is lower
MIN_LEAD = 20  # characters: a shorter lead (a bare "Photos") says too little to report anything
KEY_SHARED = 2  # name keys two documents share to be candidates across scripts (a name gives a key and a skeleton)
RECENT = 5000  # an undated document's neighbours are looked for among this many previous documents
SCALE = 127.0  # lead embeddings travel as int8 (unit vectors * 127)


@dataclass(slots=True, frozen=True)
class LinkSettings:
    """What linking needs of the fold settings."""

    window_days: float
    copy_cosine: float
    copy_containment: float
    report_score: float
    report_score_cross: float
    neighbour_floor: float
    candidates: int
    model: PairModel
    undated_floor: float = 0.15  # the neighbour floor when either date is unknown (the learned model decides then)
    learned_dated: bool = False  # the learned model decides reports between dated articles too (fold.dated_reports)


@dataclass(slots=True, frozen=True)
class Leads:
    """Documents' lead vectors with their numbers in the fold order, times and groups, row by row: the block whose
    neighbours are sought, or the pool they are sought in."""

    docs: NDArray[np.int64]
    vectors: NDArray[np.int8]
    times: NDArray[np.float64]
    groups: Sequence[str]
    slots: NDArray[np.uint64] | None = None  # name keys (features.key_slots); None: no name-key neighbours


def lead_dots(query: NDArray[np.int8], pool: NDArray[np.int8]) -> NDArray[np.float64]:
    """Cosines of int8 lead vectors, computed exactly (integer products summed below 2**24 in float32: no rounding,
    so the result does not depend on how a BLAS cuts the product into blocks)."""
    if query.shape[-1] * 127 * 127 >= 1 << 24:
        exact: NDArray[np.float64] = (query.astype(np.float64) @ pool.astype(np.float64).T) / (SCALE * SCALE)
        return exact
    dots = query.astype(np.float32) @ pool.astype(np.float32).T
    out: NDArray[np.float64] = dots.astype(np.float64) / (SCALE * SCALE)
    return out


def neighbour_pool(
    times: NDArray[np.float64], first: int, end: int, block_times: NDArray[np.float64], window_days: float
) -> NDArray[np.int64]:
    """Documents before end that may be a neighbour of a document in [first, end): dated ones within the window of
    the block's dated times, and the RECENT documents before the block (for undated pairs)."""
    window = window_days * DAY
    head = times[:end]
    mask = np.zeros(end, dtype=bool)
    dated = block_times[~np.isnan(block_times)]
    if len(dated):
        mask |= (head >= dated.min() - window) & (head <= dated.max() + window)
    mask[max(0, first - RECENT) :] = True
    return np.flatnonzero(mask).astype(np.int64)


def neighbours(block: Leads, among: Leads, settings: LinkSettings) -> list[list[int]]:
    """For each document of block: its lead-embedding neighbours among the pool, then its name-key neighbours not
    already among them (see the module's definition)."""
    near = lead_neighbours(block, among, settings)
    for row, extra in enumerate(key_neighbours(block, among, settings)):
        if extra:
            seen = set(near[row])
            near[row] += [d for d in extra if d not in seen]
    return near


def lead_neighbours(block: Leads, among: Leads, settings: LinkSettings) -> list[list[int]]:
    """For each document of block: its lead-embedding neighbours among the pool (see the module's definition)."""
    docs, times, groups = block.docs, block.times, block.groups
    pool, pool_times, pool_groups = among.docs, among.times, among.groups
    out: list[list[int]] = [[] for _ in range(len(docs))]
    if len(pool) == 0 or not np.any(block.vectors):
        return out
    sims = lead_dots(block.vectors, among.vectors)
    # the pairs over the floor first (few), then the other conditions on those pairs only
    # the undated floor only where an undated pair can be (a lower floor lets many more pairs through to the filters)
    undated_pairs = bool(np.isnan(times).any() or np.isnan(pool_times).any())
    floor = min(settings.neighbour_floor, settings.undated_floor) if undated_pairs else settings.neighbour_floor
    rows, cols = np.nonzero(sims >= floor)
    codes: dict[str, int] = {}
    pool_codes = np.fromiter((codes.setdefault(g, len(codes)) for g in pool_groups), dtype=np.int64, count=len(pool))
    row_codes = np.fromiter((codes.setdefault(g, len(codes)) for g in groups), dtype=np.int64, count=len(docs))
    doc_of = docs[rows]
    found = pool[cols]
    keep = (found < doc_of) & (pool_codes[cols] == row_codes[rows])
    recent = doc_of - found <= RECENT
    t, other = times[rows], pool_times[cols]
    near = np.where(np.isnan(other), recent, np.abs(other - t) <= settings.window_days * DAY)
    keep &= np.where(np.isnan(t), recent, near)
    undated = np.isnan(t) | np.isnan(other)
    keep &= sims[rows, cols] >= np.where(undated, settings.undated_floor, settings.neighbour_floor)
    rows, cols = rows[keep], cols[keep]
    bounds = np.searchsorted(rows, np.arange(len(docs) + 1))
    for row in range(len(docs)):
        hits = cols[bounds[row] : bounds[row + 1]]
        if len(hits) > settings.candidates:
            hits = _best(hits, sims[row, hits], pool[hits], settings.candidates)
        out[row] = pool[hits].tolist()
    return out


def _eligible(
    doc: int, t: float, found: NDArray[np.int64], times: NDArray[np.float64], window: float
) -> NDArray[np.bool_]:
    """Which found documents may be doc's candidates by time: earlier, and within the window of its time (among the
    RECENT documents before it when either is undated)."""
    recent = doc - found <= RECENT
    near = np.where(np.isnan(times), recent, np.abs(times - t) <= window)
    out: NDArray[np.bool_] = (found < doc) & (recent if math.isnan(t) else near)
    return out


def key_neighbours(block: Leads, among: Leads, settings: LinkSettings) -> list[list[int]]:
    """For each document of block: its name-key neighbours among the pool (see the module's definition)."""
    out: list[list[int]] = [[] for _ in range(len(block.docs))]
    if block.slots is None or among.slots is None or len(among.docs) == 0:
        return out
    read_block, read_pool = np.any(block.vectors, axis=1), np.any(among.vectors, axis=1)
    unread_pool = np.flatnonzero(~read_pool)
    everyone = np.arange(len(among.docs))
    if not len(unread_pool) and bool(read_block.all()):
        return out
    pool_groups = np.asarray(among.groups, dtype=object)
    for row, doc in enumerate(block.docs.tolist()):
        own = block.slots[row][block.slots[row] != 0]
        if len(own) < KEY_SHARED:
            continue
        cols = unread_pool if read_block[row] else everyone
        if not len(cols):
            continue
        cols = cols[pool_groups[cols] == block.groups[row]]
        shared = np.isin(among.slots[cols], own).sum(axis=1)
        cols, shared = cols[shared >= KEY_SHARED], shared[shared >= KEY_SHARED]
        found = among.docs[cols]
        ok = _eligible(doc, float(block.times[row]), found, among.times[cols], settings.window_days * DAY)
        cols, shared, found = cols[ok], shared[ok], found[ok]
        if len(cols):
            order = np.lexsort((-found, -shared))[: settings.candidates]
            out[row] = found[order].tolist()
    return out


def _best(
    hits: NDArray[np.int64], sims: NDArray[np.float64], numbers: NDArray[np.int64], count: int
) -> NDArray[np.int64]:
    """The count hits of highest cosine, the newest first among equal cosines, in that order: a partition finds
    them (a full sort of thousands of hits per document cost more than the rest of the neighbour search)."""
    kth = np.partition(sims, len(sims) - count)[len(sims) - count]
    above = np.flatnonzero(sims > kth)
    tied = np.flatnonzero(sims == kth)
    tied = tied[np.argsort(-numbers[tied], kind="stable")[: count - len(above)]]
    chosen = np.concatenate([above, tied])
    out: NDArray[np.int64] = hits[chosen[np.lexsort((-numbers[chosen], -sims[chosen]))]]
    return out


def count_terms(df: NDArray[np.int32], item: Features) -> None:
    """Add one document's terms to the document frequencies (a bucket counts once per document)."""
    df[np.unique(item.terms[0] & (len(df) - 1))] += 1


def term_counts(items: Sequence[Features], buckets: int = DF_BUCKETS) -> NDArray[np.int32]:
    """Document frequencies of a block of documents (the driver sums blocks into each block's df prefix)."""
    df = np.zeros(buckets, dtype=np.int32)
    for item in items:
        count_terms(df, item)
    return df


def verify(  # noqa: PLR0912, PLR0913  the pair decision in the module docstring's order (copy, learned, report)
    item: Features,
    vector: NDArray[np.int8],
    others: Sequence[tuple[int, Features, NDArray[np.int8]]],
    df: NDArray[np.int32],
    ndocs: int,
    settings: LinkSettings,
    lead_cosines: Sequence[float] | None = None,
    embed: Embed | None = None,
) -> list[Edge]:
    """Decide each candidate (number, features, lead vector): a copy edge, a report edge, or nothing.

    A copy: the same text (exact hash); in one language, the string evidence (tf-idf cosine or shingle
    containment); in two languages, the learned copy model (fold/link/pairs.py) over sentences that were aligned. A
    report: the evidence score (lead cosine, shared names, closeness in time) past its bar, or, when a date is
    unknown (so closeness in time says nothing) or a lead unread (so there is no lead cosine), the learned
    same-story model. lead_cosines (one per candidate, as
    lead_dots gives them) spares computing them here; embed (the lead embedder) aligns sentences for the models."""
    edges: list[Edge] = []
    kept: list[tuple[int, Features, NDArray[np.int8], float]] = []
    rows: list[int] = []
    for row, (cand, other, other_vector) in enumerate(others):
        if other.group != item.group:
            continue
        t = time_factor(item.at, other.at, settings.window_days)
        if t == 0.0 and not (item.text_hash and item.text_hash == other.text_hash):
            continue
        kept.append((cand, other, other_vector, t))
        rows.append(row)
    if not kept:
        return edges
    cosines = tfidf_cosines(item.terms, [other.terms for _, other, _, _ in kept], df, ndocs)
    pool = np.vstack([v for _, _, v, _ in kept])
    if lead_cosines is None:
        leads = lead_dots(vector[None, :], pool)[0].tolist()
    else:
        leads = [lead_cosines[row] for row in rows]
    size, lead_words = len(item.shingles), len(item.lead.split())
    undated_item, read, own_keys = math.isnan(item.at), bool(np.any(vector)), set(item.name_keys)
    # each candidate's lead read or not (a zero vector: unread), in one pass over the pool
    others_read: list[bool] = np.any(pool, axis=1).tolist()
    for (cand, other, _, t), cosine, emb, other_read in zip(kept, cosines.tolist(), leads, others_read, strict=True):
        shortest = min(size, len(other.shingles))
        # a short text (a blurb) moves far with a few changed words; a long one at the same cosine is another
        # article of a series (measured on itn-dev and wikinews-copies)
        bar = settings.copy_cosine - (0.2 if shortest < SHORT_TEXT else 0.0)
        if (item.text_hash and item.text_hash == other.text_hash) or (
            shortest >= MIN_SHINGLES
            and (cosine >= bar or containment(item.shingles, other.shingles) >= settings.copy_containment)
        ):
            edges.append((cand, "copy", cosine))
            continue
        cross = cross_language(item, other)
        undated = undated_item or math.isnan(other.at)
        both_read = read and other_read
        lead = emb if both_read else 0.0
        # a pair with an unread lead has only its names and numbers to go on: the model decides it when it shares
        # as many name keys as make a name-key candidate (most such pairs share none, and skip the model)
        keyed = not both_read and len(own_keys.intersection(other.name_keys)) >= KEY_SHARED
        if (cross or undated or keyed or settings.learned_dated) and shortest >= MIN_SHINGLES:
            dated = not (cross or undated or keyed)  # two dated texts in one language: the dated model decides
            p_same, p_copy, aligned = _learned(item, other, lead, cosine, settings, embed, dated)
            if cross and aligned and p_copy >= settings.model.copy.threshold:
                edges.append((cand, "copy", p_copy))
                continue
            # the model decides when closeness in time says nothing, or a lead is unread (the evidence score
            # stands on the lead cosine), and for every pair where fold.dated_reports chooses it
            if undated or keyed or settings.learned_dated:
                needed = settings.model.same_model(dated).threshold
                if p_same >= needed and min(len(item.lead), len(other.lead)) >= MIN_LEAD:
                    edges.append((cand, "report", p_same))
                continue
        if emb <= 0:
            continue
        # in one language, two reports of one event name someone or something in common
        substantial = min(len(item.lead), len(other.lead)) >= MIN_LEAD and (
            cross or (min(lead_words, len(other.lead.split())) >= 4 and bool(item.names & other.names))
        )
        if not substantial:
            continue
        score = report_score(emb, name_overlap(item.names, other.names), t)
        if score >= (settings.report_score_cross if cross else settings.report_score):
            edges.append((cand, "report", score))
    return edges


def _learned(  # noqa: PLR0913  a pair and the figures the learned models read
    item: Features,
    other: Features,
    lead: float,
    tfidf: float,
    settings: LinkSettings,
    embed: Embed | None,
    dated: bool = False,
) -> tuple[float, float, bool]:
    """The learned models' P(same story) (dated: two dated texts in one language) and P(copy) of a pair, and whether
    its sentences were aligned."""
    row = pair_features(item, other, lead, tfidf, settings.window_days, embed)
    same, copy = settings.model.decide(row[None, :], dated)
    return float(same[0]), float(copy[0]), bool(row[ALIGNED] > 0)


def link_block(  # noqa: PLR0913  a block's documents, candidates and frequencies, as verify takes them
    docs: Sequence[int],
    items: Sequence[Features],
    vectors: NDArray[np.int8],
    candidates: Sequence[Sequence[int]],
    known: dict[int, tuple[Features, NDArray[np.int8]]],
    df: NDArray[np.int32],
    ndocs: int,
    settings: LinkSettings,
    embed: Embed | None = None,
) -> list[list[Edge]]:
    """Verify a block of consecutive documents against their candidates (features and vectors in known), counting
    each document's terms into df (which holds the frequencies of every document before the block) just before it
    is verified; df is updated in place. embed aligns the sentences of pairs in two languages (verify)."""
    out: list[list[Edge]] = []
    chosen = [[c for c in sorted(set(cands)) if c < docs[row]] for row, cands in enumerate(candidates)]
    cosines = block_lead_cosines(vectors, chosen, known)
    if embed is not None:
        text_vectors(_model_texts(items, vectors, chosen, known, settings), embed)
    for row, (item, cands) in enumerate(zip(items, chosen, strict=True)):
        count_terms(df, item)
        ndocs += 1
        others = [(c, *known[c]) for c in cands]
        out.append(verify(item, vectors[row], others, df, ndocs, settings, cosines[row], embed))
    return out


def _model_texts(
    items: Sequence[Features],
    vectors: NDArray[np.int8],
    chosen: Sequence[Sequence[int]],
    known: dict[int, tuple[Features, NDArray[np.int8]]],
    settings: LinkSettings,
) -> list[Features]:
    """The texts of the pairs whose learned model may compare text vectors (both leads read, long enough, in one
    group and window, decided by the model: verify's tests before its copy test), so that one call embeds them all;
    a pair left out here is embedded by verify itself, one left in costs one text's embedding."""
    out: list[Features] = []
    for row, (item, cands) in enumerate(zip(items, chosen, strict=True)):
        if not np.any(vectors[row]):
            continue
        for cand in cands:
            other, other_vector = known[cand]
            undated = math.isnan(item.at) or math.isnan(other.at)
            same_text = bool(item.text_hash) and item.text_hash == other.text_hash
            if (
                other.group == item.group
                and min(len(item.shingles), len(other.shingles)) >= MIN_SHINGLES
                and (time_factor(item.at, other.at, settings.window_days) > 0.0 or same_text)
                and (settings.learned_dated or undated or cross_language(item, other))
                and np.any(other_vector)
            ):
                out += (item, other)
    return out


def block_lead_cosines(
    vectors: NDArray[np.int8], chosen: Sequence[Sequence[int]], known: dict[int, tuple[Features, NDArray[np.int8]]]
) -> list[list[float]]:
    """Each document's lead cosines with its candidates, every pair of the block in one pass (not one product per
    document; nor a product of the whole block with every candidate, most of which one document never needs).
    Equal to lead_dots: the sums of int8 products are exact integers either way."""
    order = sorted({c for cands in chosen for c in cands})
    if not order:
        return [[] for _ in chosen]
    column = {c: i for i, c in enumerate(order)}
    rows = np.repeat(np.arange(len(chosen)), [len(cands) for cands in chosen])
    cols = np.fromiter((column[c] for cands in chosen for c in cands), dtype=np.int64, count=len(rows))
    pool = np.vstack([known[c][1] for c in order])
    wide = vectors.shape[-1] * 127 * 127 >= 1 << 24  # as lead_dots: float32 sums stay exact below 2**24
    kind = np.float64 if wide else np.float32
    dots = np.einsum("ij,ij->i", vectors[rows].astype(kind), pool[cols].astype(kind)).astype(np.float64)
    flat = (dots / (SCALE * SCALE)).tolist()
    bounds = np.cumsum([0] + [len(cands) for cands in chosen]).tolist()
    return [flat[bounds[i] : bounds[i + 1]] for i in range(len(chosen))]
