"""Which lines of scraped text are the article's: general line evidence (length, words, stopword share, punctuation,
sentence ends, menu- and link-like shape, repetition on the page, position, the neighbours' evidence, the rules'
and the jusText classifier's verdicts) and gradient-boosted trees learned from it (benchmarks/train_lines.py),
evaluated with numpy over all of a document's lines at once."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from newsfold.errors import NewsfoldError
from newsfold.extract.lines import ends_sentence, is_list_header
from newsfold.extract.trees import BoostedTrees
from newsfold.text.words import plain_words, text_weight

MODEL_FILE = "lines.json"
_PUNCTUATION = re.compile(r"[,.;:!?、。，．！？；：]")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*(?:\s|$)")
_SEPARATOR = re.compile(r"[|»›•·]| :\S|\s/\s")
_DURATION = re.compile(r"\b\d{1,2}:\d\d\b|\b\d+\s*(?:min|sek|sec|s)\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b", re.I)
_KLASS_CODE = {"bad": 0.0, "short": 1.0, "neargood": 2.0, "good": 3.0}
# the furniture verdict of lines that carried metadata (classify.NEUTRAL)
_NEUTRAL = "metadata"

_BASE = (
    "chars", "words", "stopwords", "ends_sentence", "punctuation", "digits", "capitalised", "sentences",
    "furniture", "metadata", "good", "initial", "bullet", "title_like", "list_header", "repeated", "separator",
    "ellipsis", "duration", "chars_to_longest",
)  # fmt: skip
_SHIFTED = ("chars", "stopwords", "ends_sentence", "furniture", "metadata", "good")
_WINDOWED = ("chars", "ends_sentence", "good", "furniture", "stopwords")
WINDOWS = (3, 10)
_DOCUMENT = (
    "position", "mass_before", "mass_after", "prose_before", "prose_after", "prose_up", "prose_down",
    "since_list_header", "document_lines",
)  # fmt: skip
# a line of prose: this long (CJK characters count double) and ending a sentence
PROSE_CHARS = 100
FEATURES = (
    *_BASE,
    *(f"{name}_{side}{k}" for k in (1, 2) for side in ("prev", "next") for name in _SHIFTED),
    *(f"{name}_window{w}" for w in WINDOWS for name in _WINDOWED),
    *_DOCUMENT,
)


def _title_shape(text: str, words: int) -> bool:
    """True for a line shaped like a title or a crosshead (a few words, not ending a sentence with a full stop or
    a comma; a quoted sentence's closing quote is not a headline's end); furniture is told by its own evidence."""
    if not 3 <= words <= 30 or len(text) > 250:
        return False
    return not text.rstrip("\"'”’»)").endswith((".", "…", ",", ";"))


class LineModelError(NewsfoldError):
    """The packaged line model is missing or does not fit the evidence."""


def line_features(  # noqa: PLR0912, PLR0913  one feature column per line signal, in FEATURES order
    texts: Sequence[str],
    bullets: Sequence[bool],
    furniture: Sequence[str | None],
    initial: Sequence[str],
    final: Sequence[str],
    stopwords: Sequence[float],
    keys: Sequence[str],
) -> np.ndarray:
    """The evidence of every line of one document (rows in line order, columns as FEATURES): the lines' texts,
    list bullets, furniture verdicts, the classifier's first and final classes, stopword shares and normalised
    keys."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    repeats = Counter(keys)
    base = np.zeros((n, len(_BASE)))
    for i, text in enumerate(texts):
        length = text_weight(text)
        words = plain_words(text)
        rule = furniture[i]
        base[i] = (
            math.log1p(length),
            math.log1p(len(words)),
            stopwords[i],
            1.0 if ends_sentence(text) else 0.0,
            min(len(_PUNCTUATION.findall(text)) / max(len(text), 1) * 10, 1.0),
            sum(map(str.isdigit, text)) / max(len(text), 1),
            sum(1 for w in words if w[:1].isupper()) / len(words) if words else 0.0,
            math.log1p(len(_SENTENCE_END.findall(text))),
            1.0 if rule is not None and rule != _NEUTRAL else 0.0,
            1.0 if rule == _NEUTRAL else 0.0,
            1.0 if final[i] == "good" else 0.0,
            _KLASS_CODE.get(initial[i], 0.0),
            1.0 if bullets[i] else 0.0,
            1.0 if _title_shape(text, len(words)) else 0.0,
            1.0 if is_list_header(text) else 0.0,
            1.0 if repeats[keys[i]] > 1 else 0.0,
            1.0 if _SEPARATOR.search(text) else 0.0,
            1.0 if text.endswith(("...", "…")) else 0.0,
            1.0 if _DURATION.search(text) and len(text) < 40 else 0.0,
            0.0,
        )
    base[:, 19] = base[:, 0] - base[:, 0].max()
    column = {name: base[:, k] for k, name in enumerate(_BASE)}
    shifted = []
    for k in (1, 2):
        for side in (-1, 1):
            for name in _SHIFTED:
                values = np.zeros(n)
                if side < 0:
                    values[k:] = column[name][:-k] if n > k else values[k:]
                else:
                    values[:-k] = column[name][k:] if n > k else values[:-k]
                shifted.append(values)
    windowed = []
    for w in WINDOWS:
        for name in _WINDOWED:
            sums = np.concatenate(([0.0], np.cumsum(column[name])))
            low = np.clip(np.arange(n) - w, 0, n)
            high = np.clip(np.arange(n) + w + 1, 0, n)
            windowed.append((sums[high] - sums[low]) / (high - low))
    index = np.arange(n, dtype=np.float64)
    lengths = np.array([text_weight(t) for t in texts], dtype=np.float64)
    mass = np.where(base[:, 10] > 0, lengths, 0.0)
    total = mass.sum() or 1.0
    cumulative = np.cumsum(mass)
    prose = np.where((lengths >= PROSE_CHARS) & (base[:, 3] > 0) & (base[:, 8] == 0), lengths, 0.0)
    prose_total = prose.sum() or 1.0
    prose_cumulative = np.cumsum(prose)
    up, down = np.zeros(n), np.zeros(n)
    last_prose = -1000
    for i in range(n):
        up[i] = math.log1p(min(i - last_prose, 1000))
        if prose[i]:
            last_prose = i
    last_prose = n + 1000
    for i in range(n - 1, -1, -1):
        down[i] = math.log1p(min(last_prose - i, 1000))
        if prose[i]:
            last_prose = i
    since = np.zeros(n)
    last = -1000
    for i in range(n):
        if base[i, 14]:
            last = i
        since[i] = math.log1p(min(i - last, 1000))
    document = [
        index / max(n - 1, 1),
        (cumulative - mass) / total,
        (total - cumulative) / total,
        (prose_cumulative - prose) / prose_total,
        (prose_total - prose_cumulative) / prose_total,
        up,
        down,
        since,
        np.full(n, math.log1p(n)),
    ]
    return np.column_stack([base, *shifted, *windowed, *document])


class LineModel:
    """Gradient-boosted trees over the line evidence: the probability that a line is the article's."""

    def __init__(self, weights: dict[str, Any]) -> None:
        """Take the weights written by benchmarks/train_lines.py."""
        if tuple(weights.get("features", ())) != FEATURES:
            raise LineModelError(f"line model: features {weights.get('features')} do not match {FEATURES}")
        try:
            self._trees = BoostedTrees(weights)
        except (KeyError, TypeError, ValueError) as exc:
            raise LineModelError(f"line model: {exc!r}") from exc
        self.threshold = float(weights.get("threshold", 0.5))

    @classmethod
    def packaged(cls) -> LineModel:
        """The model shipped with newsfold (src/newsfold/data/lines.json)."""
        try:
            text = (resources.files("newsfold") / "data" / MODEL_FILE).read_text("utf-8")
        except OSError as exc:
            raise LineModelError(f"line model {MODEL_FILE}: {exc}") from exc
        return cls(json.loads(text))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """For every row of evidence (line_features), the probability that the line is the article's."""
        return self._trees.probabilities(x)
