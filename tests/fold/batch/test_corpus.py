"""The batch fold's corpus file: fold order, the first row of an id kept, exact-text matches, features read back
bit for bit from the right blocks, prepared parts in any file order."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsfold.executors.tasks import PREPARED_SCHEMA
from newsfold.fold.batch.corpus import BLOCK, build_corpus, prepared_in_order, read_features
from newsfold.fold.features.embed import make_embedder
from newsfold.fold.features.prepared import Prepared, columns, prepare
from newsfold.fold.link.index import quantise
from newsfold.model import Article, Origin, Paragraph, SourceRef

T0 = datetime(2021, 5, 1, tzinfo=UTC)


def articles(count: int) -> list[Article]:
    """count articles; every fifth repeats an earlier one's text from another outlet (an exact copy)."""
    out = []
    for i in range(count):
        j = i - 4 if i % 5 == 4 else i
        body = f"Report {j}: the council of town {j % 13} voted on the budget {j % 7} after a long debate."
        out.append(
            Article(
                origin=Origin(f"test:{i}"),
                title=f"Budget vote {i}",
                paragraphs=[Paragraph(body)],
                language="en",
                published=T0 + timedelta(hours=i),
                source=SourceRef(name=f"outlet{i % 3}", url=f"https://outlet{i % 3}.example/{i}"),
            )
        )
    return out


def write_parts(folder: Path, prepared: list[Prepared], cuts: list[int], reverse: bool) -> None:
    """Prepared rows (chunk = 64 rows each) as part files cut at cuts, written in reverse file-name order when
    asked (Ray's part names do not follow the chunks)."""
    folder.mkdir(parents=True)
    bounds = [0, *cuts, len(prepared)]
    for part, (start, end) in enumerate(itertools.pairwise(bounds)):
        block = columns(prepared[start:end])
        table = pa.table({"chunk": [row // 64 for row in range(start, end)], **block}, schema=PREPARED_SCHEMA)
        name = len(bounds) - part if reverse else part
        pq.write_table(table, folder / f"part-{name:05d}.parquet")


@pytest.mark.parametrize("reverse", [False, True])
def test_corpus_keeps_fold_order_first_ids_and_features(tmp_path: Path, reverse: bool) -> None:
    embedder = make_embedder("hashing")
    made = articles(1300)
    prepared = prepare(made, embedder, T0 + timedelta(days=400))
    duplicate = prepared[10]  # the same article again later: the first row is the document
    rows = [*prepared[:700], duplicate, *prepared[700:]]
    write_parts(tmp_path / "prepared", rows, [640, 1280], reverse)
    meta = pa.table({"id": [p.features.article_id for p in rows], "title": ["t"] * len(rows)})
    corpus = build_corpus(prepared_in_order(tmp_path / "prepared"), meta, tmp_path / "corpus.arrow", embedder.dim)
    assert corpus.ids == [p.features.article_id for p in prepared]
    assert corpus.meta.num_rows == len(prepared)
    with pa.memory_map(str(corpus.path)) as source:
        reader = pa.ipc.open_file(source)
        assert [reader.get_batch(i).num_rows for i in range(reader.num_record_batches)] == [BLOCK, BLOCK, 276]
    assert np.array_equal(corpus.keys, np.vstack([p.keys for p in prepared]))
    assert np.array_equal(corpus.vectors, quantise(np.vstack([p.vector for p in prepared])))
    assert corpus.batches.tolist()[:700] == [row // 64 for row in range(700)]
    for doc in (4, 9, 1299):  # exact copies point at the first document with the same text
        assert corpus.exact[doc] == doc - 4
    assert corpus.exact[0] == -1 and corpus.exact[1] == -1
    found = read_features(corpus.path, [3, 600, 1299, 3, 513])
    assert sorted(found) == [3, 513, 600, 1299]
    for doc, item in found.items():
        want = prepared[doc].features
        assert (item.article_id, item.shingles, item.names, item.lead, item.text_hash) == (
            want.article_id,
            want.shingles,
            want.names,
            want.lead,
            want.text_hash,
        )
        assert np.array_equal(item.terms[0], want.terms[0]) and np.array_equal(item.terms[1], want.terms[1])
