"""What the extraction models' training scripts share (train_containers.py, train_paragraphs.py): the publisher
halves, a standardised logistic regression written as the package stores it, and whole HTML extraction scored."""

from __future__ import annotations

import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsfold.extract.dispatch import Extractor  # noqa: E402
from newsfold.extract.evaluate import DevPage, Score, score, scored_text  # noqa: E402
from newsfold.model import Origin, RawInput  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
# the shipped files' numbers are rounded to this many decimals (the models read them back as they are)
DECIMALS = 6


def half_of(page: DevPage) -> int:
    """The page's half: by its publisher (country/Publisher), so that a publisher's pages stay together."""
    return zlib.crc32(page.name.split("_")[0].encode()) % 2


def logistic_weights(  # noqa: PLR0913  the data, the feature names and the regression's settings
    x: NDArray[np.float64],
    y: NDArray[np.int64] | NDArray[np.float64],
    features: Sequence[str],
    *,
    c: float,
    max_iter: int,
    balanced: bool = False,
) -> dict[str, object]:
    """A logistic regression on standardised rows (a constant column keeps scale 1), rounded as the shipped weight
    files hold it: features, mean, scale, coef, intercept (newsfold.learned reads them)."""
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=max_iter)
    model.fit((x - scaler.mean_) / scale, y)
    return {
        "features": list(features),
        "mean": [round(float(v), DECIMALS) for v in scaler.mean_],
        "scale": [round(float(v), DECIMALS) for v in scale],
        "coef": [round(float(v), DECIMALS) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), DECIMALS),
    }


def extraction_scores(extractor: Extractor, pages: Sequence[DevPage]) -> list[Score]:
    """Each page's whole HTML extraction by extractor, scored against its expected body (an 'other' document
    scores as an empty body; captions are not scored)."""
    out = []
    for page in pages:
        raw = RawInput(Origin(page.name, media_type="text/html"), page.html, media_type="text/html", url=page.url)
        paragraphs = [p for d in extractor(raw) if d.kind != "other" for p in d.paragraphs]
        out.append(score(scored_text(paragraphs), "\n".join(page.body)))
    return out
