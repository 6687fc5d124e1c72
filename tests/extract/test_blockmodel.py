"""The fast path's block filter: the packaged model, its checks, and a teaser inside the article dropped."""

from __future__ import annotations

import json
import random
from importlib import resources

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsfold.extract.blockmodel import (
    FEATURES,
    BlockModel,
    BlockModelError,
    KeepEveryBlock,
    char_counts,
)
from newsfold.extract.containers import ContainerModel
from newsfold.extract.dom import read_dom

STORY = [
    "The city council voted on Tuesday to close the old bridge over the river for two years of repairs, after "
    "engineers found deep cracks in two of its piers.",
    "Drivers will be sent over the northern ring road, which the council says can take the extra traffic if the "
    "lights at three crossings are retimed.",
    'Shops near the bridge fear a drop in trade. "We live from the people who walk across," said one baker, who has '
    "run her shop there for thirty years.",
    "Work is due to start in March.",
    "The council will hold a public meeting about the plans next week, and residents can send written comments "
    "until the end of the month.",
    "A new footbridge beside the old one is also being considered, though no money has been set aside for it yet.",
]
TEASER = "Related: Mayor Jones Names New Head Of Transport Board, 12.06.2024 14:30"


def _page() -> str:
    """An article with a related-story card (in a list inside a box, named like nothing) among its paragraphs."""
    card = f"<div class='box'><ul><li><div><div><p>{TEASER}</p></div></div></li></ul></div>"
    paragraphs = [f"<p>{text}</p>" for text in STORY]
    return (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Bridge to close</h1>"
        + "".join(paragraphs[:4])
        + card
        + "".join(paragraphs[4:])
        + "</article></body></html>"
    )


def _read(blocks: BlockModel) -> list[str]:
    """The texts the fast path reads from the page with this block filter."""
    found = read_dom(LexborHTMLParser(_page()), model=ContainerModel.packaged(), blocks=blocks)
    return [p.text for p in found.paragraphs]


def test_teaser_dropped_and_short_story_paragraph_kept() -> None:
    """The packaged filter drops the related-story card and keeps every story paragraph, the short one too."""
    assert TEASER in _read(KeepEveryBlock())
    kept = _read(BlockModel.packaged())
    assert TEASER not in kept
    assert kept == STORY


def test_packaged_model_matches_the_features() -> None:
    """The shipped weights name the features the runtime computes, with an operating point below one."""
    weights = json.loads((resources.files("newsfold") / "data" / "paragraphs.json").read_text("utf-8"))
    assert tuple(weights["features"]) == FEATURES
    assert len(weights["coef"]) == len(FEATURES)
    assert 0.0 <= weights["threshold"] < 1.0
    assert weights["made_by"] == "benchmarks/train_paragraphs.py"


def _weights(**change: object) -> dict[str, object]:
    """Valid weights with some fields changed."""
    n = len(FEATURES)
    weights: dict[str, object] = {
        "features": list(FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": [0.0] * n,
        "intercept": 0.0,
        "threshold": 0.5,
    }
    weights.update(change)
    return weights


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"features": ["log_chars"]}, "do not match"),
        ({"scale": [0.0] * len(FEATURES)}, "positive scales"),
        ({"coef": [0.0]}, "positive scales"),
        ({"threshold": 1.5}, "below 1"),
        ({"intercept": "x"}, "block model"),
    ],
)
def test_bad_weights_refused(change: dict[str, object], reason: str) -> None:
    """Weights that do not fit the features are refused with a line saying why."""
    with pytest.raises(BlockModelError, match=reason):
        BlockModel(_weights(**change))


def test_even_odds_at_zero_weights() -> None:
    """With zero weights every block is at even odds and kept at an operating point of one half."""
    model = BlockModel(_weights())
    assert model.keeps([]) == []
    found = read_dom(LexborHTMLParser(_page()), model=ContainerModel.packaged(), blocks=model)
    assert TEASER in [p.text for p in found.paragraphs]


@pytest.mark.parametrize(
    "text",
    ["The Fox, 2024: 12 tails.", "Быстрая Лиса — ²2024 прыгает", "中文 ABC ١٢٣ Ⅻ", "", "x"],
)
def test_letters_digits_and_capitals_are_counted_as_python_counts_them(text: str) -> None:
    words = text.split()
    expected = (
        sum(ch.isalpha() for ch in text),
        sum(ch.isdigit() for ch in text),
        sum(word[:1].isupper() for word in words),
    )
    assert char_counts(text, words) == expected


# ASCII and the characters beside it that str.isalpha, str.isdigit and str.isupper answer differently from the
# ASCII tables: accented and non-Latin capitals, non-ASCII digits (Arabic-Indic, superscript, fullwidth), letters
# that are not cased, marks, spaces
_MIXED = "aZ09 .,-_'Éé ßΣσЖж中あ١²９Ⅻ\u0301\u00a0\u2009\t"


def test_counts_agree_with_python_on_random_mixed_text() -> None:
    """char_counts (ASCII in C, only the other characters one by one) against the counts character by character, on
    random text mixing ASCII with everything else; a version that skipped the non-ASCII part fails here."""
    rng = random.Random(1616)
    non_ascii = 0
    for _ in range(5_000):
        text = "".join(rng.choice(_MIXED) for _ in range(rng.randint(0, 40)))
        words = text.split()
        expected = (
            sum(ch.isalpha() for ch in text),
            sum(ch.isdigit() for ch in text),
            sum(word[:1].isupper() for word in words),
        )
        assert char_counts(text, words) == expected, text
        ascii_only = (
            sum(ch.isalpha() for ch in text if ch.isascii()),
            sum(ch.isdigit() for ch in text if ch.isascii()),
            sum(word[:1].isupper() for word in words if word[:1].isascii()),
        )
        non_ascii += expected != ascii_only
    assert non_ascii > 1_000
