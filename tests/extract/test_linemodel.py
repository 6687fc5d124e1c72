"""The scraped-text line model: its numpy evaluation is scikit-learn's, the shipped weights fit the evidence, and
the lines of a page of menus around a story are told apart."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

from newsfold.extract import extract
from newsfold.extract.linemodel import FEATURES, LineModel, line_features
from newsfold.model import Origin, RawInput

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import train_lines  # the training script's own export of the trees


def test_numpy_trees_are_scikit_learns() -> None:
    """The exported trees give the probabilities scikit-learn gives, on lines it has not seen."""
    rng = np.random.default_rng(16)
    x = rng.normal(size=(400, len(FEATURES)))
    y = (x[:, 0] + 0.5 * x[:, 3] - x[:, 7] * x[:, 2] > 0).astype(float)
    rows = [train_lines.Lines(None, x[i : i + 40], y[i : i + 40]) for i in range(0, 400, 40)]  # type: ignore[arg-type]
    weights = train_lines.fit(rows)
    fitted = GradientBoostingClassifier(
        n_estimators=train_lines.TREES, max_depth=train_lines.DEPTH, learning_rate=train_lines.RATE,
        subsample=0.8, random_state=16,
    ).fit(x, y)  # fmt: skip
    test = rng.normal(size=(50, len(FEATURES)))
    assert np.allclose(LineModel(weights).probabilities(test), fitted.predict_proba(test)[:, 1], atol=1e-4)


def test_packaged_model_fits_the_evidence() -> None:
    """The shipped weights load, name the evidence line_features computes and answer for every line."""
    model = LineModel.packaged()
    assert 0.0 < model.threshold < 1.0
    x = line_features(["Home", "A line of text."], [False, False], [None, None], ["short", "short"],
                      ["bad", "good"], [0.0, 0.5], ["home", "a line of text."])  # fmt: skip
    assert x.shape == (2, len(FEATURES))
    assert model.probabilities(x).shape == (2,)
    assert model.probabilities(np.zeros((0, len(FEATURES)))).shape == (0,)


STORY = [
    "The council approved the new budget on Tuesday after a debate that lasted well into the evening, with "
    "members of every party speaking for and against the plan.",
    "The mayor said the money would go to schools and roads, and that the city had waited long enough for both. "
    "Opponents said the tax rise would hurt families who were already struggling.",
    "A final vote on the details is expected next month, when the council meets again to settle what each "
    "district receives and how the work will be phased over the coming years.",
]


def test_menus_and_links_around_a_story_are_dropped() -> None:
    """A story in a page of menus, share buttons and headline links keeps its paragraphs and loses the rest."""
    menu = ["Home", "News", "Sport", "Business", "Weather", "Sign in", "Share", "Tweet"]
    related = [f"Other headline about something else entirely, number {i}" for i in range(8)]
    text = "\n".join([*menu, "City council approves budget", *STORY, "Related", *related, "© 2026 The Paper"])
    (article,) = extract(RawInput(Origin("page.txt"), text.encode(), media_type="text/plain"))
    assert article.kind == "article"
    body = article.text
    assert all(paragraph in body for paragraph in STORY)
    assert not any(line in body for line in [*menu, *related])
