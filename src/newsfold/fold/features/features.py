"""What folding computes once per article: shingle signature, term bag, names, lead text, time, exact-text hash."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from newsfold.fold.features import lsh
from newsfold.fold.features.text import (
    NAME_KEYS,
    Terms,
    lead,
    name_keys,
    names,
    sentences,
    shingles,
    term_counts,
    title_words,
)
from newsfold.model import Article
from newsfold.plausible import is_future
from newsfold.text.words import folded_words, normalise

KEY_CHARS = 1000  # name keys are taken from the title and this much of the body
MIN_SHINGLES = 8  # fewer content words than this: too little text to call anything a copy of it


@dataclass(slots=True)
class Features:
    """One article's folding features."""

    article_id: str
    group: str
    at: float
    text_hash: str | None
    shingles: frozenset[str]
    terms: Terms
    names: frozenset[str]
    lead: str
    language: str | None
    title_words: frozenset[str] = frozenset()
    sentences: tuple[str, ...] = ()
    sentence_vectors: NDArray[np.int8] | None = None  # the sentences' embeddings, made when a pair needs them
    text_vector: NDArray[np.int8] | None = None  # the lead and first sentences embedded as one text, likewise
    name_keys: tuple[str, ...] = ()  # names and numbers of any script as ASCII keys (text.name_keys)


def timestamp(article: Article, now: datetime) -> float:
    """Publication time in seconds (NaN when unknown or implausibly in the future: it then constrains nothing)."""
    when = article.published or article.updated
    if when is None:
        return math.nan
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if is_future(when, now):
        return math.nan
    return when.timestamp()


def group_of(article: Article) -> str:
    """Which articles may share a story: news with news, press releases and other documents each apart."""
    return article.kind


def compared_texts(article: Article) -> tuple[str, tuple[str, ...]]:
    """What the encoder embeds of an article: its lead and first sentences (Features.lead and .sentences)."""
    body = article.text or article.full_text
    return lead(article), sentences(body[:4000])


def features(article: Article, now: datetime) -> Features:
    """Compute the folding features of one article."""
    body = article.text or article.full_text
    words = folded_words(body)
    normal = " ".join(normalise(body).split())
    return Features(
        article_id=article.id,
        group=group_of(article),
        at=timestamp(article, now),
        text_hash=hashlib.sha1(normal.encode("utf-8")).hexdigest() if len(words) >= MIN_SHINGLES else None,
        shingles=frozenset(shingles(body)),
        terms=term_counts(words),
        names=frozenset(names(f"{article.title or ''}\n{body[:2000]}")),
        lead=lead(article),  # with sentences: compared_texts(article)
        language=(article.language or "").split("-")[0] or None,
        title_words=title_words(article.title),
        sentences=sentences(body[:4000]),
        name_keys=name_keys(f"{article.title or ''}\n{body[:KEY_CHARS]}"),
    )


def key_slots(keys: Sequence[Sequence[str]]) -> NDArray[np.uint64]:
    """Each article's name keys (Features.name_keys) as NAME_KEYS 64-bit hashes (blake2b, stable across processes;
    0: an empty slot)."""
    out = np.zeros((len(keys), NAME_KEYS), dtype=np.uint64)
    for row, own in enumerate(keys):
        for col, key in enumerate(own[:NAME_KEYS]):
            out[row, col] = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") or 1
    return out


def band_matrix(items: Sequence[Features]) -> NDArray[np.uint64]:
    """LSH band keys for each article (no keys for articles with too little text)."""
    sigs = lsh.signatures([list(f.shingles) or ["\x00"] for f in items])
    empty = np.array([len(f.shingles) < MIN_SHINGLES for f in items], dtype=bool)
    return lsh.band_keys(sigs, empty)
