"""Which element holds the article: general evidence about each candidate container (the paragraph text it holds,
the other text beside it, where it sits among the other candidates, its tag and names) and a logistic model learned
from the extraction-dev pages (benchmarks/train_containers.py, cross-validated by publisher), evaluated with numpy.

The rule it replaced (most paragraph text less 0.7 times the other text) picked a container within 0.005 F1 of the
best candidate's on most pages but fell short where one widget (a paywall notice, a block of visually hidden labels)
stood inside the article, or the story was split over sibling blocks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from newsfold.errors import NewsfoldError
from newsfold.learned import logistic_file, packaged_weights

MODEL_FILE = "containers.json"
# what one candidate shows; the model reads these and their differences from the hand-set rule's choice
OWN_FEATURES = (
    "log_inside",
    "share_of_best",
    "log_other",
    "other_share",
    "page_share",
    "paragraph_share",
    "rule_score",
    "rule_choice",
    "rule_rank",
    "below",
    "above",
    "tag_article",
    "tag_main",
    "tag_body",
    "tag_section",
    "keep_name",
    "noise_name",
)
FEATURES = OWN_FEATURES + tuple(f"{name}_vs_rule" for name in OWN_FEATURES)


class ContainerModelError(NewsfoldError):
    """The packaged container model is missing or does not fit the evidence."""


@dataclass(slots=True, frozen=True)
class Candidate:
    """What the page shows of one candidate container (counts gathered while paragraphs vote)."""

    inside: float  # characters of voting paragraphs under it
    text: float  # characters of all its text
    paragraphs: int  # voting paragraphs under it
    tag: str
    keep_name: bool  # a class or id part says article, body, content, story ...
    noise_name: bool  # a class or id part says share, related, promo ...
    below: int  # candidates inside it
    above: int  # candidates around it


def rule_score(candidate: Candidate) -> float:
    """The hand-set score the model replaced: paragraph text less 0.7 times the other text."""
    return candidate.inside - 0.7 * max(candidate.text - candidate.inside, 0.0)


def candidate_rows(candidates: list[Candidate], page_chars: int, voting_paragraphs: int) -> NDArray[np.float64]:
    """The FEATURES of each candidate of one page, one row each: its own, then their differences from those of the
    candidate the hand-set rule would choose (a page's candidates are judged against one another)."""
    best = max(c.inside for c in candidates)
    scores = [rule_score(c) for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])
    rank = {index: place for place, index in enumerate(order)}
    rows = np.zeros((len(candidates), len(OWN_FEATURES)), dtype=np.float64)
    for i, c in enumerate(candidates):
        other = max(c.text - c.inside, 0.0)
        rows[i] = (
            math.log1p(c.inside),
            c.inside / best if best else 0.0,
            math.log1p(other),
            other / c.text if c.text else 0.0,
            min(c.inside / page_chars, 1.0) if page_chars else 0.0,
            c.paragraphs / voting_paragraphs if voting_paragraphs else 0.0,
            scores[i] / best if best else 0.0,
            1.0 if rank[i] == 0 else 0.0,
            math.log1p(rank[i]),
            math.log1p(c.below),
            math.log1p(c.above),
            1.0 if c.tag == "article" else 0.0,
            1.0 if c.tag == "main" else 0.0,
            1.0 if c.tag == "body" else 0.0,
            1.0 if c.tag == "section" else 0.0,
            1.0 if c.keep_name else 0.0,
            1.0 if c.noise_name else 0.0,
        )
    out: NDArray[np.float64] = np.hstack([rows, rows - rows[order[0]]])
    return out


class ContainerModel:
    """A standardised logistic model over candidates' features: how likely each holds the article best."""

    def __init__(self, weights: object) -> None:
        """Take the weights written by benchmarks/train_containers.py (no threshold: the best candidate is chosen)."""
        self._model = logistic_file(weights, FEATURES, "container model", ContainerModelError, threshold=0.5)

    @classmethod
    def packaged(cls) -> ContainerModel:
        """The model shipped with newsfold (src/newsfold/data/containers.json)."""
        return cls(packaged_weights(MODEL_FILE, "container model", ContainerModelError))

    def scores(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each candidate's log-odds of holding the article best."""
        return self._model.logits(rows)

    def choose(self, candidates: list[Candidate], page_chars: int, voting_paragraphs: int) -> int:
        """The index of the candidate most likely to hold the article."""
        return int(np.argmax(self.scores(candidate_rows(candidates, page_chars, voting_paragraphs))))


class HandSetRule(ContainerModel):
    """The hand-set rule the model replaced, as a container model (to compare the two in the same run)."""

    def __init__(self) -> None:
        """Nothing to load."""

    def choose(self, candidates: list[Candidate], page_chars: int, voting_paragraphs: int) -> int:
        """The candidate of most paragraph text less 0.7 times the other text."""
        return max(range(len(candidates)), key=lambda i: rule_score(candidates[i]))
