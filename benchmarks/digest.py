"""A digest of what a store holds that matters (articles, stories, relations, enrichment), timestamps excluded.

Run: PYTHONPATH=src python benchmarks/digest.py DB [DB...] [--batch OUT]

For each store it prints one row per table (rows, digest) and the digest of them all; with --batch, the same for a
`newsfold batch` output folder's articles.parquet and stories.parquet. Two runs over the same inputs that store the
same things print the same digests (inputs are named by file name, so the folder they were read from does not count).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

# the columns that record when, not what: left out of every digest
EXCLUDED = frozenset({"seq", "ingested", "fetched", "created", "updated_at", "computed", "done_at"})
TABLES = ("articles", "stories", "fold_edges", "entities", "entity_mentions", "events")


def _value(value: object) -> object:
    """A cell as it is digested: floats rounded (the last bits of a score are not a result), paths by file name."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, str) and value.startswith("/"):
        return value.rsplit("/", 1)[-1]
    return value


def rows_digest(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> tuple[int, str]:
    """The number of rows and a digest of them (order-free), over the columns not excluded."""
    keep = [i for i, name in enumerate(columns) if name not in EXCLUDED]
    lines = sorted(
        json.dumps([_value(row[i]) for i in keep], ensure_ascii=False, default=str, sort_keys=True) for row in rows
    )
    digest = hashlib.sha256()
    digest.update(json.dumps([columns[i] for i in keep]).encode())
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return len(lines), digest.hexdigest()[:16]


def store_digest(path: Path) -> dict[str, tuple[int, str]]:
    """Per table of TABLES present in the SQLite store at path: (rows, digest)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        out: dict[str, tuple[int, str]] = {}
        for table in TABLES:
            if table not in present:
                continue
            cursor = conn.execute(f"SELECT * FROM {table}")
            out[table] = rows_digest([d[0] for d in cursor.description], cursor.fetchall())
        return out
    finally:
        conn.close()


def batch_digest(out: Path) -> dict[str, tuple[int, str]]:
    """Per Parquet file of a batch output folder (articles, stories): (rows, digest)."""
    import pyarrow.parquet as pq  # noqa: PLC0415  pyarrow is the [ray] extra's: only --batch needs it

    found: dict[str, tuple[int, str]] = {}
    for name in ("articles", "stories"):
        table = pq.read_table(out / f"{name}.parquet")
        columns = table.column_names
        found[name] = rows_digest(columns, [[row[c] for c in columns] for row in table.to_pylist()])
    return found


def overall(parts: dict[str, tuple[int, str]]) -> str:
    """One digest of every table's digest."""
    return hashlib.sha256(json.dumps(sorted(parts.items())).encode()).hexdigest()[:16]


def _print(label: str, parts: dict[str, tuple[int, str]]) -> None:
    """A table of one store's or folder's digests."""
    print(f"{label}: {overall(parts)}")
    for table, (rows, digest) in parts.items():
        print(f"  {table:<16} {rows:>7}  {digest}")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the digests of the stores and batch folders named."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="*", type=Path)
    parser.add_argument("--batch", action="append", type=Path, default=[])
    args = parser.parse_args(argv)
    for path in args.stores:
        if not path.exists():
            print(f"{path}: no such store", file=sys.stderr)
            return 2
        _print(str(path), store_digest(path))
    for folder in args.batch:
        _print(f"{folder} (batch)", batch_digest(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
