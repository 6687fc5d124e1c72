"""Fetching without traps: refusals name the setting that allows them, a policy change makes a refused source due,
`ingest URL --allow-network`, OPML sniffed by content, `serve --port BUSY`, the progress total."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import CliRunner as Runner
from pytest_httpserver import HTTPServer

from newsfold.cli import cli
from newsfold.ingest import registry
from newsfold.ingest.addresses import AddressPolicy
from newsfold.ingest.fetch import PolicyError
from newsfold.ingest.files import count_inputs, iter_inputs
from newsfold.store import sources as sources_db
from newsfold.store.db import Database
from tests.ingest.conftest import make_fetcher
from tests.ingest.helpers import article_html, invoke
from tests.ingest.test_sources_cli import FAST, config_file, serve_gazette

HINT = "allow it with --allow-network 127.0.0.0/8 or the setting fetch.allowed_networks"


def test_every_refused_address_names_the_setting_that_allows_it() -> None:
    policy = AddressPolicy()
    assert policy.refusal("127.0.0.1") == f"address 127.0.0.1 is in blocked range 127.0.0.0/8; {HINT}"
    for address in ("10.1.2.3", "169.254.169.254", "::1", "::ffff:192.168.0.1"):
        refusal = policy.refusal(address)
        assert refusal is not None and "--allow-network" in refusal and "fetch.allowed_networks" in refusal


def test_ingest_url_takes_allow_network(tmp_path: Path, runner: CliRunner, server: HTTPServer) -> None:
    server.expect_request("/story").respond_with_data(
        article_html("A local story", seed=7, url=server.url_for("/story")), content_type="text/html; charset=utf-8"
    )
    db = str(tmp_path / "u.db")
    fast = config_file(tmp_path, FAST)
    status, out = invoke(runner, [*fast, "ingest", server.url_for("/story"), "--db", db])
    assert status == 2 and HINT in out
    status, out = invoke(
        runner, [*fast, "ingest", server.url_for("/story"), "--db", db, "--allow-network", "127.0.0.1"]
    )
    assert status == 0, out
    assert "1 new" in out


def test_a_source_refused_by_a_changed_policy_is_due_again(
    tmp_path: Path, runner: CliRunner, server: HTTPServer
) -> None:
    feed = serve_gazette(server, pages=1)
    db = str(tmp_path / "p.db")
    fast = config_file(tmp_path, FAST)
    invoke(runner, ["sources", "add", feed, "--db", db])
    status, out = invoke(runner, [*fast, "fetch", "--db", db])
    assert status == 2 and HINT in out
    status, out = invoke(runner, [*fast, "fetch", "--db", db])
    assert "no source is due" in out  # the same policy: backed off as before
    status, out = invoke(runner, [*fast, "fetch", "--db", db, "--allow-network", "127.0.0.0/8"])
    assert status == 0, out
    assert "2 new" in out
    listed = json.loads(invoke(runner, ["sources", "list", "--db", db, "--json"])[1])
    assert listed["health"] == "ok" and listed["failures"] == 0
    database = Database(db)
    with database.read() as conn:
        assert sources_db.list_sources(conn)[0].failed_policy is None
    database.close()


def test_a_source_that_failed_otherwise_waits_out_its_backoff(db: Database) -> None:
    with db.write() as conn:
        source, _ = registry.add_source(conn, "https://example.org/feed")
        registry.record_failure(conn, source, "HTTP 503")
        assert sources_db.due_sources(conn, policy="another") == []
        registry.record_failure(conn, registry.get_source(conn, "1"), "refused: ...", policy="before")
        assert sources_db.due_sources(conn) == []
        assert sources_db.due_sources(conn, policy="before") == []
        assert [s.id for s in sources_db.due_sources(conn, policy="after")] == [source.id]


@pytest.mark.parametrize("media_type", ["application/octet-stream", "text/x-opml", "text/plain"])
def test_an_opml_url_is_read_by_its_content(
    tmp_path: Path, runner: CliRunner, server: HTTPServer, media_type: str
) -> None:
    feed = serve_gazette(server, pages=1)
    opml = (
        f'<?xml version="1.0"?><opml version="2.0"><body><outline text="G" type="rss" xmlUrl="{feed}"/></body></opml>'
    )
    server.expect_request("/list.opml").respond_with_data(opml, content_type=media_type)
    db = str(tmp_path / "o.db")
    fast = config_file(tmp_path, FAST)
    status, out = invoke(
        runner, [*fast, "ingest", server.url_for("/list.opml"), "--db", db, "--allow-network", "127.0.0.1"]
    )
    assert status == 0, out
    assert "2 new" in out


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path: Path) -> None:

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = Runner().invoke(
            cli, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)], standalone_mode=False
        )
    assert result.exception is None, result.exception
    assert result.return_value == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}: cannot listen" in lines[0] and "--port" in lines[0]
    assert "serving" not in result.output


def test_the_progress_total_counts_only_the_files_read(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.html", "sub/c.txt"):
        (folder / name).write_text(f"A short note in {name} about the harbour and its tariffs.\n")
    for name in ("data.json", "notes.md", "picture.png", ".hidden.txt", "sub/archive.gz"):
        (folder / name).write_bytes(b"skipped")
    seen: dict[str, int | None] = {}

    @contextmanager
    def recording(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
        seen["total"] = total
        seen["done"] = 0

        def advance(n: int) -> None:
            seen["done"] = (seen["done"] or 0) + n

        yield advance

    monkeypatch.setattr("newsfold.cli.core.progress", recording)
    status, _ = invoke(runner, ["ingest", str(folder), "--db", str(tmp_path / "t.db")])
    assert status == 0
    assert seen == {"total": 3, "done": 3}
    assert count_inputs([str(folder), "https://example.org/feed", str(tmp_path / "missing")]) == 5
    calls: list[int] = []
    list(iter_inputs([str(folder)], on_done=lambda: calls.append(1)))
    assert len(calls) == 3


def test_size_and_robots_refusals_name_their_settings(server: HTTPServer) -> None:

    server.expect_request("/big").respond_with_data(b"x" * 5000, content_type="text/html")
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n")
    with (
        make_fetcher(max_bytes=1000, obey_robots=False) as fetcher,
        pytest.raises(PolicyError, match=r"fetch\.max_bytes"),
    ):
        fetcher.fetch(server.url_for("/big"))
    with make_fetcher() as fetcher, pytest.raises(PolicyError, match=r"fetch\.obey_robots = false"):
        fetcher.fetch(server.url_for("/private/page"))
