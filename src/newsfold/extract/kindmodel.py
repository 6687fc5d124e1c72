"""Article or not: general evidence about a page (text and link density, markup roles, structured data, paragraph
counts and lengths) and gradient-boosted trees learned from it (benchmarks/train_kinds.py), evaluated with numpy."""

from __future__ import annotations

import json
import math
import re
from dataclasses import astuple, dataclass, fields
from importlib import resources
from typing import Any

import numpy as np

from newsfold.errors import NewsfoldError
from newsfold.extract.trees import BoostedTrees
from newsfold.model import Paragraph
from newsfold.text.words import text_weight

# a paragraph of prose: at least this long (CJK characters count double) and ending a sentence
PROSE_CHARS = 100
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*(?:\s|$)")
_ENDS_SENTENCE = re.compile(r"[.!?。！？…:;][\"'”’»)\]]*\s*$")
MODEL_FILE = "kinds.json"


class KindModelError(NewsfoldError):
    """The packaged kind model is missing or does not fit the evidence."""


@dataclass(slots=True, frozen=True)
class KindEvidence:
    """What a page shows about whether it holds an article (the model's inputs, in this order)."""

    body_chars: float
    body_paragraphs: float
    longest: float
    median: float
    prose_share: float
    prose_chars: float
    sentences_per_paragraph: float
    page_chars: float
    link_density: float
    headline_links: float
    container_links: float
    text_share: float
    ld_article: float
    og_article: float
    og_website: float
    published: float
    dateline: float

    def vector(self) -> np.ndarray:
        """The evidence as the model's input vector."""
        return np.asarray(astuple(self), dtype=np.float64)


FEATURES = tuple(f.name for f in fields(KindEvidence))


@dataclass(slots=True, frozen=True)
class PageCounts:
    """Counts read from the page's tree around the text found."""

    page_chars: int
    link_chars: int
    headline_links: int
    container_links: int


def evidence(  # noqa: PLR0913  the kind model's evidence, one keyword-only signal each
    paragraphs: list[Paragraph],
    counts: PageCounts,
    *,
    article_type: str | None,
    og_type: str | None,
    published: bool,
    dateline: bool,
) -> KindEvidence:
    """The evidence of one page from the text found in it and counts of its markup."""
    body = [p.text for p in paragraphs if p.role in ("body", "quote", "standfirst")]
    lengths = sorted(text_weight(text) for text in body)
    chars = sum(lengths)
    prose = sum(text_weight(t) for t in body if text_weight(t) >= PROSE_CHARS and _ENDS_SENTENCE.search(t))
    per_paragraph = [max(1, len(_SENTENCE_END.findall(t))) for t in body]
    # paragraphs of several sentences: what a story is told in (a teaser is one sentence)
    told = sum(
        text_weight(t) for t, n in zip(body, per_paragraph, strict=True) if n >= 2 and text_weight(t) >= PROSE_CHARS
    )
    sentences = sum(per_paragraph)
    types = set((article_type or "").split(","))
    return KindEvidence(
        body_chars=math.log1p(chars),
        body_paragraphs=math.log1p(len(body)),
        longest=math.log1p(lengths[-1] if lengths else 0),
        median=math.log1p(lengths[len(lengths) // 2] if lengths else 0),
        prose_share=prose / chars if chars else 0.0,
        prose_chars=math.log1p(told),
        sentences_per_paragraph=min(sentences / len(body), 10.0) if body else 0.0,
        page_chars=math.log1p(counts.page_chars),
        link_density=min(counts.link_chars / counts.page_chars, 1.0) if counts.page_chars else 0.0,
        headline_links=math.log1p(counts.headline_links),
        container_links=math.log1p(counts.container_links),
        text_share=min(chars / counts.page_chars, 1.0) if counts.page_chars else 1.0,
        ld_article=1.0 if types - {"", "webpage"} else 0.0,
        og_article=1.0 if og_type == "article" else 0.0,
        og_website=1.0 if og_type == "website" else 0.0,
        published=1.0 if published else 0.0,
        dateline=1.0 if dateline else 0.0,
    )


class KindModel:
    """Gradient-boosted trees over the evidence: the probability that a page holds no article."""

    def __init__(self, weights: dict[str, Any]) -> None:
        """Take the weights written by benchmarks/train_kinds.py."""
        if tuple(weights.get("features", ())) != FEATURES:
            raise KindModelError(f"kind model: features {weights.get('features')} do not match {FEATURES}")
        try:
            self._trees = BoostedTrees(weights)
        except (KeyError, TypeError, ValueError) as exc:
            raise KindModelError(f"kind model: {exc!r}") from exc
        self.threshold = float(weights.get("threshold", 0.5))

    @classmethod
    def packaged(cls) -> KindModel:
        """The model shipped with newsfold (src/newsfold/data/kinds.json)."""
        try:
            text = (resources.files("newsfold") / "data" / MODEL_FILE).read_text("utf-8")
        except OSError as exc:
            raise KindModelError(f"kind model {MODEL_FILE}: {exc}") from exc
        return cls(json.loads(text))

    def other_probability(self, found: KindEvidence) -> float:
        """How likely the page holds no article (a listing, a home or tag page, an index, an error page)."""
        return self.other_probability_of(found.vector())

    def other_probability_of(self, vector: np.ndarray) -> float:
        """other_probability of an evidence vector."""
        return float(self._trees.probabilities(np.asarray(vector, dtype=np.float64)[None, :])[0])

    def is_article(self, found: KindEvidence) -> bool:
        """True when the page's main text reads as an article."""
        return self.other_probability(found) < self.threshold
