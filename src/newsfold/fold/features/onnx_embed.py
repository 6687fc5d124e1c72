"""Sentence embedders run by ONNX Runtime from a model folder, as sentence-transformers exports them (model.onnx or
onnx/model.onnx beside tokenizer.json): multilingual encoders without torch."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.errors import ConfigError
from newsfold.fold.features.vectors import normalised

# where an exported model's graph stands in its folder (sentence-transformers and optimum exports)
MODEL_FILES = ("model.onnx", "onnx/model.onnx")
POOLINGS = ("mean", "cls", "max")
# tokens a text is cut to when the folder does not say (sentence_bert_config.json's max_seq_length)
DEFAULT_MAX_TOKENS = 256
BATCH = 32


def onnx_model(folder: str) -> Path | None:
    """The model graph of a folder that holds an exported ONNX model and its tokenizer, or None."""
    base = Path(folder).expanduser()
    if not base.is_dir():
        return None
    return next((base / name for name in MODEL_FILES if (base / name).is_file()), None)


def _json(path: Path, setting: str) -> dict[str, Any]:
    """A model folder's JSON settings file ({} when absent); a broken one is a ConfigError."""
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"fold.embedder {setting!r}: {path.name} is not readable JSON ({exc})") from exc
    return loaded if isinstance(loaded, dict) else {}


def _pooling(folder: Path, setting: str) -> str:
    """How token vectors become one text vector: the folder's 1_Pooling/config.json, else the mean."""
    config = _json(folder / "1_Pooling" / "config.json", setting)
    if config.get("pooling_mode_cls_token"):
        return "cls"
    if config.get("pooling_mode_max_tokens"):
        return "max"
    return "mean"


def pool(hidden: NDArray[np.float32], mask: NDArray[np.int64], pooling: str) -> NDArray[np.float32]:
    """One vector per text from its tokens' vectors (batch, tokens, dim) and attention mask (batch, tokens)."""
    if pooling == "cls":
        return hidden[:, 0, :]
    weights = mask[:, :, None].astype(np.float32)
    if pooling == "max":
        masked = np.where(weights > 0, hidden, np.float32(-np.inf))
        out: NDArray[np.float32] = np.where(mask.any(axis=1, keepdims=True), masked.max(axis=1), 0.0).astype(np.float32)
        return out
    counts = np.maximum(weights.sum(axis=1), 1.0)
    mean: NDArray[np.float32] = ((hidden * weights).sum(axis=1) / counts).astype(np.float32)
    return mean


class OnnxEmbedder:
    """A sentence encoder exported to ONNX, run by ONNX Runtime with its Hugging Face tokenizer (fold.embedder
    names its folder; needs the onnxruntime and tokenizers packages: pip install 'newsfold[onnx]')."""

    def __init__(self, folder: str, threads: int = 1, batch: int = BATCH) -> None:
        """Load the folder's graph, tokenizer, pooling and length cap; any missing or broken part is one
        ConfigError naming the setting and the reason."""
        try:
            import onnxruntime  # noqa: PLC0415  optional: pip install 'newsfold[onnx]'
            import tokenizers  # noqa: PLC0415  optional, as above
        except ImportError as exc:
            raise ConfigError(
                f"fold.embedder {folder!r}: the onnxruntime and tokenizers packages are not installed "
                "(pip install 'newsfold[onnx]')"
            ) from exc
        graph = onnx_model(folder)
        if graph is None:
            raise ConfigError(f"fold.embedder {folder!r}: no {' or '.join(MODEL_FILES)} in that folder")
        base = Path(folder).expanduser()
        self.folder, self.threads, self.batch = folder, max(1, min(threads, os.cpu_count() or 1)), max(1, batch)
        self.name = f"onnx:{base.resolve()}"
        self.pooling = _pooling(base, folder)
        max_tokens = _json(base / "sentence_bert_config.json", folder).get("max_seq_length", DEFAULT_MAX_TOKENS)
        self.max_tokens = int(max_tokens) if isinstance(max_tokens, int) and max_tokens > 0 else DEFAULT_MAX_TOKENS
        try:
            self._tokenizer = tokenizers.Tokenizer.from_file(str(base / "tokenizer.json"))
        except Exception as exc:  # the Rust library raises its own exception types
            raise ConfigError(f"fold.embedder {folder!r}: tokenizer.json could not be loaded ({exc})") from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = self.threads, 1
        try:
            self._session = onnxruntime.InferenceSession(
                str(graph), options, providers=onnxruntime.get_available_providers()
            )
        except Exception as exc:  # ONNX Runtime raises its own exception types for a file it cannot read
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConfigError(f"fold.embedder {folder!r}: {graph.name} could not be loaded ({reason})") from exc
        self._inputs = [item.name for item in self._session.get_inputs()]
        unknown = set(self._inputs) - {"input_ids", "attention_mask", "token_type_ids"}
        if "input_ids" not in self._inputs or unknown:
            raise ConfigError(f"fold.embedder {folder!r}: the model's inputs {self._inputs} are not a text encoder's")
        output = self._session.get_outputs()[0]
        self._pooled = len(output.shape) == 2  # a graph that pools itself (a "sentence_embedding" output)
        width = output.shape[-1]  # a name where the export left it symbolic: then one text says
        self.dim = width if isinstance(width, int) else int(self._forward(["a"]).shape[1])

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only (a worker process loads the model again from the same folder)."""
        return {"folder": self.folder, "threads": self.threads, "batch": self.batch}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Load the model again from its folder."""
        self.__init__(state["folder"], state["threads"], state["batch"])  # type: ignore[misc]

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed texts: unit rows, a zero row for an empty text; texts of similar length are batched together."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = sorted((i for i, text in enumerate(texts) if text.strip()), key=lambda i: len(texts[i]))
        for start in range(0, len(todo), self.batch):
            chunk = todo[start : start + self.batch]
            out[chunk] = self._forward([texts[i] for i in chunk])
        return normalised(out)

    def _forward(self, texts: list[str]) -> NDArray[np.float32]:
        """The pooled vectors of one batch of non-empty texts."""
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        types = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = encoding.ids, encoding.attention_mask, encoding.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = np.asarray(self._session.run(None, {name: feeds[name] for name in self._inputs})[0], np.float32)
        return hidden if self._pooled else pool(hidden, mask, self.pooling)
