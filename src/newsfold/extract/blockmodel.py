"""Which blocks of the chosen container are the story: general evidence about each block (its length, links, tag,
the names of the elements between it and the container, where it stands in the reading, how it ends, whether its
text stands elsewhere on the page, its neighbours') and a logistic model learned from the extraction-dev pages
(benchmarks/train_paragraphs.py, cross-validated by publisher), evaluated with numpy.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from newsfold.errors import NewsfoldError
from newsfold.extract.lines import ends_sentence
from newsfold.learned import logistic_file, packaged_weights

MODEL_FILE = "paragraphs.json"
_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_DIGITS = string.digits.encode()
_ASCII_CAPITALS = string.ascii_uppercase.encode()
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_TAGS = ("p", "heading", "blockquote", "figcaption")
OWN_FEATURES = (
    "log_chars",
    "log_words",
    "link_share",
    "links",
    *(f"tag_{tag}" for tag in _TAGS),
    "log_depth",
    "noise_above",
    "keep_above",
    "in_list",
    "from_start",
    "from_end",
    "first",
    "last",
    "share_of_reading",
    "ends_sentence",
    "capitalised",
    "digits",
    "repeated",
)
_NEIGHBOURS = ("log_chars", "link_share", "noise_above", "ends_sentence")
FEATURES = OWN_FEATURES + tuple(f"prev_{n}" for n in _NEIGHBOURS) + tuple(f"next_{n}" for n in _NEIGHBOURS)


class BlockModelError(NewsfoldError):
    """The packaged block model is missing or does not fit the evidence."""


@dataclass(slots=True, frozen=True)
class Block:
    """What the page shows of one block read from the container (gathered by extract/dom.py)."""

    text: str
    tag: str  # p, heading, blockquote, figcaption or another block tag
    link_chars: int  # characters of its text inside links
    links: int  # links inside it
    depth: int  # elements between it and the container
    noise_above: bool  # an element between it and the container is named like furniture (related, promo, ...)
    keep_above: bool  # ... or like content (article, body, story, ...)
    in_list: bool  # it stands in a list item
    repeated: bool  # its text stands more than once in the page


def char_counts(text: str, words: list[str]) -> tuple[int, int, int]:
    """How many of a text's characters are letters and digits (str.isalpha, str.isdigit) and how many of its words
    begin with a capital (str.isupper): the ASCII characters counted in C by bytes.translate, and only the others
    one by one (most of a page in a Latin script is ASCII)."""
    firsts = "".join([word[0] for word in words])
    letters, digits = _ascii_counts(text)
    capitals = _ascii_capitals(firsts)
    if not text.isascii():
        others = "".join(_NON_ASCII.findall(text))
        letters += sum(map(str.isalpha, others))
        digits += sum(map(str.isdigit, others))
        if not firsts.isascii():
            capitals += sum(map(str.isupper, "".join(_NON_ASCII.findall(firsts))))
    return letters, digits, capitals


def _ascii_counts(text: str) -> tuple[int, int]:
    """The ASCII letters and digits of a text."""
    raw = text.encode("ascii", "ignore")
    size = len(raw)
    return size - len(raw.translate(None, _ASCII_LETTERS)), size - len(raw.translate(None, _ASCII_DIGITS))


def _ascii_capitals(text: str) -> int:
    """The ASCII capitals of a text."""
    raw = text.encode("ascii", "ignore")
    return len(raw) - len(raw.translate(None, _ASCII_CAPITALS))


def _own(block: Block) -> list[float]:
    """The block's own evidence, before its place in the reading."""
    text = block.text
    words = text.split()
    letters, digits, capitals = char_counts(text, words)
    tag = "heading" if block.tag in ("h2", "h3", "h4", "h5", "h6") else block.tag
    return [
        math.log1p(len(text)),
        math.log1p(len(words)),
        min(block.link_chars / len(text), 1.0) if text else 0.0,
        math.log1p(block.links),
        *(1.0 if tag == name else 0.0 for name in _TAGS),
        math.log1p(block.depth),
        1.0 if block.noise_above else 0.0,
        1.0 if block.keep_above else 0.0,
        1.0 if block.in_list else 0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0 if ends_sentence(text) else 0.0,
        capitals / len(words) if words else 0.0,
        digits / (letters + 1),
        1.0 if block.repeated else 0.0,
    ]


def block_rows(blocks: list[Block]) -> NDArray[np.float64]:
    """The FEATURES of each block of one reading, one row each (in reading order)."""
    n = len(blocks)
    own = np.array([_own(b) for b in blocks], dtype=np.float64).reshape(n, len(OWN_FEATURES))
    if n:
        total = float(sum(len(b.text) for b in blocks)) or 1.0
        place = np.arange(n, dtype=np.float64)
        own[:, OWN_FEATURES.index("from_start")] = place / n
        own[:, OWN_FEATURES.index("from_end")] = (n - 1 - place) / n
        own[0, OWN_FEATURES.index("first")] = 1.0
        own[-1, OWN_FEATURES.index("last")] = 1.0
        own[:, OWN_FEATURES.index("share_of_reading")] = [len(b.text) / total for b in blocks]
    pick = [OWN_FEATURES.index(name) for name in _NEIGHBOURS]
    prev = np.zeros((n, len(pick)))
    nxt = np.zeros((n, len(pick)))
    if n > 1:
        prev[1:] = own[:-1, pick]
        nxt[:-1] = own[1:, pick]
    out: NDArray[np.float64] = np.hstack([own, prev, nxt])
    return out


class BlockModel:
    """A standardised logistic model over blocks' features and the probability below which a block is dropped."""

    def __init__(self, weights: object) -> None:
        """Take the weights written by benchmarks/train_paragraphs.py."""
        self._model = logistic_file(weights, FEATURES, "block model", BlockModelError)
        self.threshold = self._model.threshold

    @classmethod
    def packaged(cls) -> BlockModel:
        """The model shipped with newsfold (src/newsfold/data/paragraphs.json)."""
        return cls(packaged_weights(MODEL_FILE, "block model", BlockModelError))

    def probabilities(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each block's probability of being the story's text."""
        return self._model.probability(rows)

    def keeps(self, blocks: list[Block]) -> list[bool]:
        """For each block of a reading: True to keep it as the story's."""
        if not blocks:
            return []
        return [bool(p >= self.threshold) for p in self.probabilities(block_rows(blocks))]


class KeepEveryBlock(BlockModel):
    """No filter: every block of the container is kept (the reading before the model, to compare in one run)."""

    def __init__(self) -> None:
        """Nothing to load."""
        self.threshold = 0.0

    def keeps(self, blocks: list[Block]) -> list[bool]:
        """Every block kept."""
        return [True] * len(blocks)
