"""Preparing ahead in a worker process: same stories as preparing in the folder, errors surface, pools close."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from numpy.typing import NDArray

from newsfold.engine import IngestReport, store_articles
from newsfold.fold.features.embed import HashingEmbedder, UseEmbedder
from newsfold.fold.features.prepared import PrepareStep
from newsfold.fold.incremental.ahead import PrepareAhead, start_context
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.steps import default_pipeline
from newsfold.store.db import Database

TOPICS = [
    "flood river town rescue boats families evacuated water levels rising overnight council",
    "election parliament vote coalition minister campaign ballots counted districts turnout",
    "vaccine trial hospital patients doses results researchers approval regulator",
    "earthquake magnitude coast buildings collapsed tremor aftershocks villages damage",
    "football final stadium goal penalty striker trophy champions supporters",
]


def _articles(count: int) -> list[Article]:
    """Articles on a few topics, some republished word for word, an hour apart."""
    base = datetime(2024, 3, 1, tzinfo=UTC)
    out = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        words = topic.split()
        body = " ".join(words[(i * 3 + j) % len(words)] for j in range(60)) + f" report number {i % 7}"
        if i % 4 == 3:
            body = out[i - 3].text  # a copy of an earlier article
        out.append(
            Article(
                origin=Origin(f"test:{i}"),
                title=f"{words[0].title()} {words[1]} {i % 3}",
                paragraphs=[Paragraph(body)],
                language="en",
                published=base + timedelta(hours=i),
                source=SourceRef(url=f"https://example.org/{i}"),
            )
        )
    return out


def _stories(tmp: str, articles: list[Article], workers: int, batch_size: int = 16) -> dict[str, tuple[object, ...]]:
    """Fold articles with workers preparing ahead; each article's story, relation and copy_of."""
    db = Database(f"{tmp}/w{workers}.db")
    folder = Folder(FoldSettings(), embedder=HashingEmbedder())
    report = IngestReport()
    store_articles(
        db, articles, report, default_pipeline(folder=folder), batch_size=batch_size, prepare_workers=workers
    )
    with db.read() as conn:
        rows = conn.execute("SELECT id, story_id, relation, copy_of FROM articles").fetchall()
    db.close()
    assert report.new == len(articles)
    return {row["id"]: (row["story_id"], row["relation"], row["copy_of"]) for row in rows}


def test_preparing_ahead_gives_the_same_stories(tmp_path: object) -> None:
    """A worker process preparing the next batches changes nothing in the stories, relations or copies."""
    articles = _articles(120)
    here = _stories(str(tmp_path), articles, workers=0)
    ahead = _stories(str(tmp_path), articles, workers=1)
    assert ahead == here
    assert len({story for story, _, _ in here.values()}) < len(articles) // 2  # copies and reports did fold
    assert {relation for _, relation, _ in here.values()} >= {"original", "copy"}


def test_a_single_batch_starts_no_pool() -> None:
    """One batch is prepared in this process (no process is started for it); an empty stream yields nothing."""
    ahead = PrepareAhead(PrepareStep(HashingEmbedder()), workers=1)
    assert list(ahead.batches([])) == []
    batch = _articles(5)
    [(out, ready)] = list(ahead.batches([batch]))
    assert out == batch and list(ready) == [a.id for a in batch]
    assert ahead._pool is None


def test_the_first_batch_comes_before_the_second_is_read() -> None:
    """The first batch is handed out (prepared) before the stream is asked for a second: the writer folds it while
    the next inputs are still being extracted."""
    read: list[int] = []

    def stream() -> Iterator[list[Article]]:
        """Batches, noting each one read."""
        for n in range(3):
            read.append(n)
            yield _articles(4)

    with PrepareAhead(PrepareStep(HashingEmbedder()), workers=1) as ahead:
        batches = ahead.batches(stream())
        first, ready = next(batches)
        assert read == [0] and list(ready) == [a.id for a in first]
        assert len(list(batches)) == 2


class _FailingEmbedder(HashingEmbedder):
    """An embedder that fails on a marked lead."""

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Fail when a lead holds the marker."""
        if any("poison" in text for text in texts):
            raise ValueError("poisoned lead")
        return super().encode(texts)


def test_a_worker_error_surfaces_and_the_pool_closes() -> None:
    """An error while preparing a batch ahead is raised to the ingest, no later batch comes out, and the pool is
    shut down."""
    batches = [_articles(8)[i : i + 2] for i in range(0, 8, 2)]
    batches[2][0].title = "poison"
    ahead = PrepareAhead(PrepareStep(_FailingEmbedder()), workers=1)
    seen = []
    with pytest.raises(ValueError, match="poisoned"), ahead:
        for batch, ready in ahead.batches(batches):
            seen.append(batch)
            assert set(ready) == {a.id for a in batch}
    assert ahead._pool is None and len(seen) <= 2  # raised by the worker, or here if this process took the batch


class _SlowInWorkers(HashingEmbedder):
    """An embedder that is slow in any process but the one that made it (a worker falling behind)."""

    def __init__(self) -> None:
        """Remember the making process."""
        super().__init__()
        self.home = os.getpid()
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed, slowly outside the home process; count calls at home."""
        if os.getpid() != self.home:
            time.sleep(0.3)
        else:
            self.calls += 1
        return super().encode(texts)


def test_this_process_takes_batches_a_slow_worker_has_not_started() -> None:
    """When the worker falls behind, batches it has not started are prepared here; every batch comes back in
    order, each with exactly its own articles prepared."""
    articles = _articles(40)
    batches = [articles[i : i + 4] for i in range(0, 40, 4)]
    embedder = _SlowInWorkers()
    with PrepareAhead(PrepareStep(embedder), workers=1) as ahead:
        out = list(ahead.batches(batches))
    assert [batch for batch, _ in out] == batches
    for batch, ready in out:
        assert list(ready) == [a.id for a in batch]
        assert all(ready[a.id].features.lead.startswith(a.title) for a in batch)
    assert embedder.calls >= 3


def test_use_embedder_pickles_its_settings_only(embedder: UseEmbedder) -> None:
    """A loaded USE embedder travels to a worker as its settings (the worker loads its own model)."""
    embedder.encode(["warm the model up"])
    copy = pickle.loads(pickle.dumps(embedder))
    assert len(pickle.dumps(embedder)) < 1000
    assert (copy.threads, copy.memory, copy.max_pieces) == (embedder.threads, embedder.memory, embedder.max_pieces)
    assert np.allclose(copy.encode(["Storm hits the coast"]), embedder.encode(["Storm hits the coast"]), atol=1e-6)


def test_a_threaded_process_starts_workers_without_plain_fork(tmp_path: object) -> None:
    """While another thread runs (the scheduler's fetchers), workers come from a fork server, with the same
    stories; with no other thread they are forked."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    assert threading.active_count() > 1 or start_context().get_start_method() == "fork"
    other.start()
    try:
        assert start_context().get_start_method() == "forkserver"
        articles = _articles(48)
        assert _stories(str(tmp_path), articles, workers=1) == _stories(str(tmp_path), articles, workers=0)
    finally:
        stop.set()
        other.join()


OWNER = """
import sys, time
from tests.fold.incremental.test_ahead import _articles
from newsfold.fold.incremental.ahead import PrepareAhead
from newsfold.fold.features.embed import HashingEmbedder
from newsfold.fold.features.prepared import PrepareStep
ahead = PrepareAhead(PrepareStep(HashingEmbedder()), workers=1)
batches = ahead.batches([_articles(4), _articles(4), _articles(4)])
next(batches)
next(batches)
print(" ".join(str(pid) for pid in ahead._pool._processes), flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_ingest_leaves_no_worker_behind() -> None:
    """SIGKILL on the ingest process (no cleanup runs) still ends its prepare worker within seconds."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True, env=env) as owner:
        try:
            assert owner.stdout is not None
            workers = [int(pid) for pid in owner.stdout.readline().split()]
            assert workers and all(_alive(pid) for pid in workers)
        finally:
            owner.send_signal(signal.SIGKILL)
            owner.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
