"""The reader's language: what showing pages translated costs, against the same pages in the original language.

Builds a database of synthetic German stories (a title, three story highlights and a publisher's highlight each),
installs the tiny model of tests/fixtures as German -> English, and times page views through the app in-process
with the response cache off: the page in the original language (the anchor), in English with no model (originals
and a note), in English with the model and an empty translation cache (every title and highlight translated on
the spot, the model loaded on the way), and in English from the cache (what eager translation leaves, the usual case).

    python benchmarks/reader.py [--stories 300] [--rounds 5]

The tiny model has random weights and runs every output to the length cap: a real model stops earlier, so the cold
row is a plumbing figure, not a translation speed (benchmarks/translate.py measures that).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.web.site_fixture import Client, add_story  # noqa: E402

from newsfold.config import load_config  # noqa: E402
from newsfold.language.models import ModelStore  # noqa: E402
from newsfold.model import Article, Origin, Paragraph, SourceRef  # noqa: E402
from newsfold.store.db import Database  # noqa: E402
from newsfold.web.app import create_app  # noqa: E402

TINY = ROOT / "tests" / "fixtures" / "tiny-marian-xx-en"
WORDS = [
    "Regierung",
    "Hafen",
    "Sturm",
    "Wahl",
    "Gericht",
    "Markt",
    "Schule",
    "Brücke",
    "Fähre",
    "Bahn",
    "Stadt",
    "Küste",
    "Bericht",
    "Minister",
    "Polizei",
]


def german(n: int, count: int) -> str:
    """A synthetic German sentence of count words, different for each n."""
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(count)]
    return f"Die {' '.join(words)} meldet {n} neue Fälle."


def build(folder: Path, stories: int) -> Database:
    """A database of synthetic German stories."""
    db = Database(folder / "reader.db")
    now = datetime.now(UTC).replace(microsecond=0)
    with db.write() as conn:
        for n in range(stories):
            item = Article(
                origin=Origin(f"bench:{n}"),
                title=german(n, 5),
                paragraphs=[Paragraph(german(n + k, 12)) for k in range(6)],
                source=SourceRef(f"Zeitung {n % 12}", f"https://z{n % 12}.example/{n}"),
                language="de",
                published=now - timedelta(minutes=n),
                highlights=[german(n + 100, 9)],
            )
            story = add_story(conn, [(item, "original")])
            highlights = [german(n + 200 + k, 10) for k in range(3)]
            conn.execute("UPDATE stories SET highlights = ? WHERE id = ?", (json.dumps(highlights), story))
    return db


def view(client: Client, path: str) -> float:
    """One page view, in milliseconds."""
    started = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - started) * 1000


def interleaved(views: list[tuple[Client, str]], rounds: int) -> list[float]:
    """The median time of each (client, path) view, the views taken in turn each round (after one to warm up)."""
    for client, path in views:
        view(client, path)
    times: list[list[float]] = [[] for _ in views]
    for _ in range(rounds):
        for n, (client, path) in enumerate(views):
            times[n].append(view(client, path))
    return [statistics.median(t) for t in times]


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = build(folder, args.stories)
        with db.read() as conn:
            story = conn.execute("SELECT id FROM stories ORDER BY last_updated DESC").fetchone()[0]
        ModelStore(folder / "models").install(TINY, name="tiny-de-en", source="de", target="en")
        base = {"reader_languages": ["en"], "web.cache_entries": 0, "translate.device": "cpu", "translate.beam_size": 1}
        plain = load_config(overrides={**base, "models.dir": str(folder / "none")}, environ={"NEWSFOLD_CONFIG": ""})
        with_model = load_config(
            overrides={**base, "models.dir": str(folder / "models")}, environ={"NEWSFOLD_CONFIG": ""}
        )
        pages = {"/ (latest, 30 stories)": "/?limit=30", "/stories/{id}": f"/stories/{story}"}
        rows = []
        no_model, model = Client(create_app(db, plain)), Client(create_app(db, with_model))
        for label, path in pages.items():
            glue = "&" if "?" in path else "?"
            cold = view(model, f"{path}{glue}lang=en")  # the model loads and translates the page's texts
            anchor, note, warm = interleaved(
                [
                    (no_model, f"{path}{glue}lang=original"),
                    (no_model, f"{path}{glue}lang=en"),
                    (model, f"{path}{glue}lang=en"),
                ],
                args.rounds,
            )
            rows.append((label, anchor, note, cold, warm))
        for client in (no_model, model):
            client.close()
            client.app.state.site.close()
        db.close()
    print(f"{args.stories} German stories, tiny model de->en, response cache off, median of {args.rounds} views\n")
    header = "| page | original (anchor) | en, no model | en, model, cold cache | en, model, cached | cached/anchor |"
    print(header)
    print("|---|---:|---:|---:|---:|---:|")
    for label, anchor, note, cold, warm in rows:
        print(f"| {label} | {anchor:.1f} ms | {note:.1f} ms | {cold:.0f} ms | {warm:.1f} ms | {warm / anchor:.2f}x |")


if __name__ == "__main__":
    main()
