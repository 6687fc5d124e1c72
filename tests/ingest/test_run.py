"""`newsfold run` as a user runs it: a subprocess fetching a local server, serving the site, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsfold.store.db import Database
from tests.conftest import ROOT
from tests.ingest.helpers import article_html, invoke, rss
from tests.ingest.test_sources_cli import serve_gazette


def _free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_stories(base: str, count: int, process: subprocess.Popen[bytes], limit: float = 60.0) -> list[dict]:
    """Poll the site's JSON until count stories appear (or fail with what the process said)."""
    deadline = time.monotonic() + limit
    stories: list[dict] = []
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        try:
            stories = httpx.get(base + "/api/stories", timeout=2).json()["stories"]
        except httpx.HTTPError:
            stories = []
        if len(stories) >= count:
            return stories
        time.sleep(0.3)
    raise AssertionError(f"only {len(stories)} stories after {limit} s")


def _wait_for_page(url: str, needles: tuple[str, ...], process: subprocess.Popen[bytes], limit: float = 30.0) -> str:
    """Poll a page until it holds every needle (or fail with what it last said)."""
    deadline = time.monotonic() + limit
    page = ""
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        page = httpx.get(url, timeout=5).text
        if all(needle in page for needle in needles):
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} lacks {needles} after {limit} s: {page[:2000]}")


def test_run_fetches_serves_and_stops_cleanly_on_sigterm(tmp_path: Path, runner: CliRunner, server: HTTPServer) -> None:
    """Add a feed, `newsfold run`, watch its stories appear on the site, SIGTERM: exit 0, database consistent."""
    feed = serve_gazette(server, pages=3)
    db = str(tmp_path / "run.db")
    config = tmp_path / "newsfold.toml"
    config.write_text('[fetch]\nhost_delay = 0.0\nallowed_networks = ["127.0.0.1/32"]\n')
    invoke(runner, ["sources", "add", feed, "--name", "Gazette", "--db", db])
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NEWSFOLD_CONFIG": str(config)}
    command = [sys.executable, "-c", "from newsfold.cli import main; main()", "run", "--db", db, "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stories = _wait_for_stories(f"http://127.0.0.1:{port}", 4, process)
        assert {s["title"] for s in stories} >= {"Gazette story 0", "Full text story"}
        # the source's health is written when its pass ends, which may be just after its stories appear
        _wait_for_page(f"http://127.0.0.1:{port}/feeds", ("Gazette", ">ok<"), process)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err.decode()
    assert "stopped; everything fetched so far is stored" in err.decode()
    database = Database(db)
    with database.read() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
        sizes = conn.execute("SELECT coalesce(sum(size), 0) FROM stories WHERE merged_into IS NULL").fetchone()[0]
        seen = conn.execute("SELECT count(*) FROM source_items").fetchone()[0]
        health = conn.execute("SELECT last_success, failures FROM sources").fetchone()
    database.close()
    assert articles == 4 and orphans == 0 and sizes == 4
    assert seen == 4
    assert health["last_success"] and health["failures"] == 0


def test_sigterm_in_the_middle_of_a_pass_loses_nothing(tmp_path: Path, runner: CliRunner, server: HTTPServer) -> None:
    """SIGTERM while pages are still being fetched: exit 0; pages already fetched are stored whole, the rest later."""

    def slow_page(request: Request) -> Response:
        """A page that takes 0.4 s to come."""
        time.sleep(0.4)
        return Response(article_html(f"Slow {request.path}", seed=len(request.path) * 7), content_type="text/html")

    items = []
    for i in range(12):
        server.expect_request(f"/slow/{i}").respond_with_handler(slow_page)
        items.append((f"Slow {i}", server.url_for(f"/slow/{i}"), None))
    server.expect_request("/slow.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    db = str(tmp_path / "stop.db")
    config = tmp_path / "newsfold.toml"
    config.write_text('[fetch]\nhost_delay = 0.0\nallowed_networks = ["127.0.0.1/32"]\n')
    invoke(runner, ["sources", "add", server.url_for("/slow.xml"), "--name", "Slow", "--db", db])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NEWSFOLD_CONFIG": str(config)}
    command = [sys.executable, "-c", "from newsfold.cli import main; main()", "run", "--db", db, "--no-serve"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and sum(1 for r, _ in server.log if r.path.startswith("/slow/")) < 3:
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err.decode()
    database = Database(db)
    with database.read() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        seen = conn.execute("SELECT count(*) FROM source_items").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
        failures = conn.execute("SELECT failures FROM sources").fetchone()[0]
    database.close()
    assert 3 <= stored < 12  # stopped part-way, keeping every page it had fetched
    assert seen == stored  # only pages actually stored are remembered: the others are fetched next time
    assert orphans == 0 and failures == 0
