"""Fetcher.download: a 200 body streamed to a sink under the same rules; connection failures told apart."""

from __future__ import annotations

import gzip
import socket

import pytest
from pytest_httpserver import HTTPServer

from newsfold.errors import InputError
from newsfold.ingest.fetch import ConnectionFailedError, Fetcher
from tests.ingest.conftest import make_fetcher


def test_download_streams_the_body_to_the_sink(server: HTTPServer, fetcher: Fetcher) -> None:
    """The decoded 200 body goes to the sink in chunks and not into the response; redirects are followed."""
    body = bytes(range(256)) * 2000
    server.expect_request("/start").respond_with_data("", status=302, headers={"Location": server.url_for("/file")})
    server.expect_request("/file").respond_with_data(gzip.compress(body), headers={"Content-Encoding": "gzip"})
    chunks: list[bytes] = []
    response = fetcher.download(server.url_for("/start"), chunks.append)
    assert response.status == 200 and response.body == b"" and response.redirects == [server.url_for("/start")]
    assert b"".join(chunks) == body
    noise = bytes((i * 7919 + i // 251) % 256 for i in range(300_000))
    server.expect_request("/noise").respond_with_data(noise)
    chunks.clear()
    fetcher.download(server.url_for("/noise"), chunks.append)
    assert b"".join(chunks) == noise and len(chunks) > 1  # streamed, not gathered first


def test_download_retries_keep_error_bodies_out_of_the_sink(server: HTTPServer, fetcher: Fetcher) -> None:
    """A 503 answer is retried; only the final 200 body reaches the sink; a 404 comes back whole."""
    server.expect_oneshot_request("/flaky").respond_with_data("busy", status=503)
    server.expect_request("/flaky").respond_with_data("payload")
    chunks: list[bytes] = []
    assert fetcher.download(server.url_for("/flaky"), chunks.append).status == 200
    assert b"".join(chunks) == b"payload"
    server.expect_request("/gone").respond_with_data("not here", status=404)
    missing = fetcher.download(server.url_for("/gone"), chunks.append)
    assert missing.status == 404 and missing.body == b"not here" and b"".join(chunks) == b"payload"


def test_download_cap(server: HTTPServer) -> None:
    """A body over max_bytes stops the download with InputError, also without a Content-Length."""
    server.expect_request("/big").respond_with_data(b"x" * 5000)
    chunks: list[bytes] = []
    with make_fetcher(max_bytes=1000) as small, pytest.raises(InputError, match="limit"):
        small.download(server.url_for("/big"), chunks.append)
    assert sum(map(len, chunks)) <= 1000


def test_connection_failures_are_told_apart(server: HTTPServer) -> None:
    """Nothing listening: ConnectionFailedError; a refused address: a plain InputError."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with make_fetcher(obey_robots=False) as fetcher, pytest.raises(ConnectionFailedError):
        fetcher.download(f"http://127.0.0.1:{port}/x", lambda chunk: None)
    with make_fetcher(allowed_networks=(), obey_robots=False) as fetcher:
        with pytest.raises(InputError, match="refused") as caught:
            fetcher.fetch(server.url_for("/x"))
        assert not isinstance(caught.value, ConnectionFailedError)
