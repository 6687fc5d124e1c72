"""Translators: CTranslate2 models (OPUS-MT Marian, NLLB, Argos packages) with sentencepiece, identity, pivot.

A translator turns a batch of texts from one language into another. Texts keep their paragraphs; each paragraph is
split into sentences, sentences longer than the model's limit are cut at commas (else hard), all sentences of the
batch are translated together, and sentences the model cannot read (a script it never saw) pass through unchanged.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from newsfold.config import Config
from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.modelinfo import FLORES, ModelInfo
from newsfold.language.split import chunk_pieces
from newsfold.text.sentences import split_paragraphs, split_sentences

if TYPE_CHECKING:
    import ctranslate2
    import sentencepiece

log = logging.getLogger(__name__)

MAX_UNKNOWN_SHARE = 0.5  # a sentence with more of its characters unknown to the model is shown as it is


class Translator(Protocol):
    """Translates texts from one language into another; name says which model did it."""

    name: str

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The texts translated from source into target, in order."""
        ...


@dataclass(slots=True, frozen=True)
class TranslateSettings:
    """How models run: device, precision, batch and beam sizes, the longest text accepted."""

    device: str = "auto"
    compute_type: str = "auto"
    batch_size: int = 16
    beam_size: int = 2
    max_words: int = 20_000
    threads: int = 0

    @classmethod
    def from_config(cls, config: Config) -> TranslateSettings:
        """The settings named translate.* in the configuration."""
        return cls(
            device=str(config["translate.device"]),
            compute_type=str(config["translate.compute_type"]),
            batch_size=int(config["translate.batch_size"]),
            beam_size=int(config["translate.beam_size"]),
            max_words=int(config["translate.max_words"]),
            threads=int(config["translate.threads"]),
        )


class IdentityTranslator:
    """The translator for a text already in the reader's language: returns it as it is."""

    name = "identity"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The texts unchanged (source and target must match)."""
        if source != target:
            raise TranslationError(f"identity cannot translate {source} into {target}")
        return list(texts)


class PivotTranslator:
    """Two translators in a row through a pivot language (e.g. de -> en -> fr)."""

    def __init__(self, first: Translator, second: Translator, pivot: str) -> None:
        """Chain first (source -> pivot) and second (pivot -> target)."""
        self.first, self.second, self.pivot = first, second, pivot
        self.name = f"{first.name}+{second.name}"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate into the pivot, then into target."""
        return self.second.translate(self.first.translate(texts, source, self.pivot), self.pivot, target)


def cpu_threads(threads: int) -> int:
    """Threads for one model: as asked, else the cores this process may use (CTranslate2's own default is 4,
    and on a 2-core machine 4 threads ran 10x slower than 1)."""
    if threads > 0:
        return threads
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def resolve_device(device: str) -> str:
    """'auto' becomes 'cuda' when CTranslate2 sees a GPU, else 'cpu'."""
    if device != "auto":
        return device
    import ctranslate2  # noqa: PLC0415  ctranslate2 is the optional [translate] extra

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def input_limit(info: ModelInfo) -> int:
    """Most sentencepiece pieces of one input chunk: half the model's positions, less the special tokens."""
    return max(4, info.max_tokens // 2 - 2)


def decoding_limit(info: ModelInfo, longest_input: int) -> int:
    """Longest output allowed: 1.5 times the input and 10 tokens, within the model's positions."""
    return max(4, min(info.max_tokens - 2, int(longest_input * 1.5) + 10))


@dataclass(slots=True)
class _Segment:
    """One piece of one input text: a translatable chunk (tokens) or text passed through as it is."""

    text_index: int
    paragraph_index: int
    tokens: list[str] | None
    original: str


class CTranslate2Translator:
    """A CTranslate2 model with its sentencepiece tokenizer(s), loaded on first use."""

    def __init__(self, info: ModelInfo, settings: TranslateSettings | None = None) -> None:
        """Prepare (but do not load) the model described by info."""
        self.info = info
        self.name = info.name
        self.settings = settings or TranslateSettings()
        self._translator: ctranslate2.Translator | None = None
        self._source_sp: sentencepiece.SentencePieceProcessor | None = None
        self._target_sp: sentencepiece.SentencePieceProcessor | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model and tokenizers once (thread-safe); a broken model folder raises ModelError."""
        with self._lock:
            if self._translator is None:
                self._load()

    def _load(self) -> None:
        """Load the model and tokenizers."""
        try:
            import ctranslate2  # noqa: PLC0415  ctranslate2 is the optional [translate] extra
            import sentencepiece  # noqa: PLC0415  the [translate] extra's tokenizer, checked with ctranslate2
        except ImportError as exc:
            needs = "translation needs ctranslate2 and sentencepiece (pip install 'newsfold[translate]')"
            raise ModelError(self.name, needs) from exc
        location = str(self.info.path)
        try:
            folder = self.info.path
            self._source_sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / self.info.source_spm))
            self._target_sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / self.info.target_spm))
        except (OSError, RuntimeError) as exc:
            raise ModelError(location, f"cannot load the sentencepiece tokenizer ({exc})") from exc
        device = resolve_device(self.settings.device)
        try:
            self._translator = ctranslate2.Translator(
                str(self.info.model_dir),
                device=device,
                compute_type=self.settings.compute_type,
                intra_threads=cpu_threads(self.settings.threads),
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(location, f"cannot load the CTranslate2 model ({exc})") from exc
        log.info("loaded %s on %s (%s)", self.name, device, self.settings.compute_type)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate texts, keeping paragraphs; unreadable sentences pass through; too-long texts are refused."""
        if not self.info.translates(source, target):
            raise TranslationError(f"{self.name} does not translate {source} into {target}")
        for text in texts:
            words = len(text.split())
            if words > self.settings.max_words:
                raise TranslationError(
                    f"text of {words:,} words is longer than translate.max_words ({self.settings.max_words:,})"
                )
        if not any(text.strip() for text in texts):
            return [text.strip() for text in texts]
        self.load()
        segments = self._segments(texts)
        sources = [s.tokens for s in segments if s.tokens is not None]
        outputs = iter(self._run(sources, source, target))
        return self._assemble(len(texts), segments, outputs)

    def _segments(self, texts: Sequence[str]) -> list[_Segment]:
        """Split texts into paragraphs, sentences and chunks of tokens the model accepts."""
        assert self._source_sp is not None
        sp = self._source_sp
        places = [
            (t_index, p_index, sentence)
            for t_index, text in enumerate(texts)
            for p_index, paragraph in enumerate(split_paragraphs(text))
            for sentence in split_sentences(paragraph)
        ]
        sentences = [sentence for _, _, sentence in places]
        all_pieces: list[list[str]] = sp.encode(sentences, out_type=str)  # one call each: the loop is C++
        all_ids: list[list[int]] = sp.encode(sentences, out_type=int)
        unk, limit = sp.unk_id(), input_limit(self.info)
        segments = []
        for (t_index, p_index, sentence), pieces, ids in zip(places, all_pieces, all_ids, strict=True):
            unknown = sum(len(piece) for piece, piece_id in zip(pieces, ids, strict=True) if piece_id == unk)
            if not pieces or unknown > MAX_UNKNOWN_SHARE * len(sentence.replace(" ", "")):
                segments.append(_Segment(t_index, p_index, None, sentence))
                continue
            for chunk in chunk_pieces(pieces, limit):
                segments.append(_Segment(t_index, p_index, chunk, sentence))
        return segments

    def _run(self, batch: list[list[str]], source: str, target: str) -> list[str]:
        """Translate token sequences with the model, returning detokenized text for each."""
        assert self._translator is not None and self._target_sp is not None
        if not batch:
            return []
        kind = self.info.kind
        prefix: list[list[str]] | None = None
        if kind == "marian":
            batch = [[*tokens, "</s>"] for tokens in batch]
        elif kind == "nllb":
            batch = [[FLORES[source], *tokens, "</s>"] for tokens in batch]
            prefix = [[FLORES[target]] for _ in batch]
        longest = max(len(tokens) for tokens in batch)
        options: dict[str, Any] = {
            "max_batch_size": self.settings.batch_size,
            "beam_size": self.settings.beam_size,
            "max_decoding_length": decoding_limit(self.info, longest),
            "max_input_length": self.info.max_tokens - 2,
        }
        try:
            results = self._translator.translate_batch(batch, target_prefix=prefix, **options)
        except (RuntimeError, ValueError) as exc:
            raise TranslationError(f"{self.name} failed: {exc}") from exc
        out = []
        for result in results:
            tokens = [t for t in result.hypotheses[0] if t not in ("</s>", "<s>", "<pad>", "<unk>")]
            if kind == "nllb" and tokens and tokens[0] == FLORES[target]:
                tokens = tokens[1:]
            out.append(self._target_sp.decode(tokens))
        return out

    @staticmethod
    def _assemble(count: int, segments: list[_Segment], outputs: Any) -> list[str]:
        """Put translated chunks back into sentences, paragraphs and texts."""
        paragraphs: list[dict[int, list[str]]] = [{} for _ in range(count)]
        for segment in segments:
            text = segment.original if segment.tokens is None else next(outputs)
            paragraphs[segment.text_index].setdefault(segment.paragraph_index, []).append(text.strip())
        return ["\n\n".join(" ".join(p for p in parts if p) for _, parts in sorted(d.items())) for d in paragraphs]
