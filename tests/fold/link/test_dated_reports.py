"""fold.dated_reports: between two dated articles, a report is decided by the evidence score or by the pair model."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from newsfold.config import load_config
from newsfold.errors import ConfigError
from newsfold.fold.features.embed import HashingEmbedder
from newsfold.fold.features.features import Features, features
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.fold.link.index import quantise
from newsfold.fold.link.link import LinkSettings, verify
from newsfold.fold.link.pairs import PAIR_FEATURES, Logistic, PairModel
from newsfold.model import Article, Origin, Paragraph, SourceRef

NOW = datetime(2024, 3, 1, 12, tzinfo=UTC)
FIRST = (
    "Maria Lopez, the mayor of Valencia, opened the new tram line on Monday morning. The line links the port with the "
    "university and carries eight thousand riders a day, the city said. Work took three years."
)
SECOND = (
    "Valencia's mayor Maria Lopez cut the ribbon on a tram route to the harbour, which city officials expect to serve "
    "commuters and students alike after construction lasting since the last election."
)


def _constant(p: float) -> Logistic:
    """A model giving every pair probability p (threshold 0.5)."""
    size = len(PAIR_FEATURES)
    logit = float(np.log(p / (1 - p)))
    return Logistic(np.zeros(size), np.ones(size), np.zeros(size), logit, 0.5)


def _item(key: str, text: str) -> tuple[Features, np.ndarray]:
    """An article's features (dated, English) and its lead vector."""
    article = Article(
        origin=Origin(key),
        title=text.split(".", maxsplit=1)[0],
        paragraphs=[Paragraph(text)],
        language="en",
        published=NOW,
        source=SourceRef(url=f"https://{key}.example/a"),
    )
    item = features(article, NOW)
    return item, quantise(HashingEmbedder().encode([item.lead]))[0]


def _edges(learned: bool, same: float, dated: float | None = None) -> list[tuple[int, str, float]]:
    """verify's edges for the second text against the first, lead cosine 0.8, with a constant same-story model (and
    a constant dated one, unless None)."""
    (first, first_vector), (second, second_vector) = _item("a", FIRST), _item("b", SECOND)
    model = PairModel(_constant(same), _constant(0.01), None if dated is None else _constant(dated))
    settings = LinkSettings(7.0, 0.7, 0.8, 1.0, 0.7, 0.35, 12, model, undated_floor=0.15, learned_dated=learned)
    df = np.zeros(1 << 16, dtype=np.int32)
    return [(c, r, s) for c, r, s in verify(second, second_vector, [(0, first, first_vector)], df, 2, settings, [0.8])]


def test_by_score_two_dated_reports_naming_one_person_join_whatever_the_model_says() -> None:
    """The default: the evidence score (lead cosine + shared names + same day) decides, not the model."""
    for same in (0.01, 0.99):
        edges = _edges(learned=False, same=same)
        assert [r for _, r, _ in edges] == ["report"]


def test_by_model_the_learned_probability_decides_a_dated_report() -> None:
    """With fold.dated_reports = model the same pair is a report exactly when the model says so."""
    assert [r for _, r, _ in _edges(learned=True, same=0.99)] == ["report"]
    assert _edges(learned=True, same=0.01) == []


def test_by_model_a_dated_model_decides_two_dated_texts_in_one_language() -> None:
    """A pair model with a dated model: it, not the same-story model, decides the dated pair; the score ignores it."""
    assert _edges(learned=True, same=0.01, dated=0.99)[0][1] == "report"
    assert _edges(learned=True, same=0.99, dated=0.01) == []
    assert [r for _, r, _ in _edges(learned=False, same=0.99, dated=0.01)] == ["report"]


def test_the_setting_reaches_linking_and_a_wrong_value_is_refused() -> None:
    """fold.dated_reports from the configuration sets LinkSettings.learned_dated; an unknown value is one line."""
    assert Folder(replace(FoldSettings(), dated_reports="model")).link_settings.learned_dated
    assert not Folder().link_settings.learned_dated
    config = load_config(None, {"fold.dated_reports": "model"})
    assert FoldSettings.from_config(config).dated_reports == "model"
    with pytest.raises(ConfigError, match=r"fold\.dated_reports 'always'"):
        FoldSettings.from_config(load_config(None, {"fold.dated_reports": "always"}))
