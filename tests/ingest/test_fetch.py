"""The fetcher against real local servers: SSRF guards, redirects, caps, timeouts, robots, politeness, retries."""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import time
import zlib
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import brotli
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsfold.errors import InputError
from newsfold.ingest.fetch import Fetcher, HostGate, host_key, retry_after_seconds
from tests.ingest.conftest import make_fetcher
from tests.ingest.helpers import raw_server

_real_getaddrinfo = socket.getaddrinfo


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> None:
    """Resolve the named hosts to the given addresses; everything else as usual."""

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        """getaddrinfo with the table first."""
        if host in table:
            out = []
            for address in table[host]:
                family = socket.AF_INET6 if ":" in address else socket.AF_INET
                sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
                out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
            return out
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_fetches_a_page_with_user_agent(server: HTTPServer, fetcher: Fetcher) -> None:
    """A plain GET to an allowed local server works and says who we are."""
    server.expect_request("/page").respond_with_data("<html>hello</html>", content_type="text/html; charset=utf-8")
    response = fetcher.fetch(server.url_for("/page"))
    assert response.status == 200
    assert response.body == b"<html>hello</html>"
    assert response.media_type == "text/html"
    assert response.charset == "utf-8"
    page_requests = [r for r, _ in server.log if r.path == "/page"]
    assert page_requests[0].headers["User-Agent"].startswith("newsfold/")


def test_loopback_refused_without_allowance(server: HTTPServer) -> None:
    """By default nothing on loopback is fetched: the test server itself is out of reach."""
    server.expect_request("/page").respond_with_data("secret")
    with make_fetcher(allowed_networks=()) as fetcher, pytest.raises(InputError, match="refused"):
        fetcher.fetch(server.url_for("/page"))
    assert not [r for r, _ in server.log if r.path == "/page"]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]:80/",
        "http://[::ffff:127.0.0.1]/",
        "http://0x7f000001/",
        "http://2130706433/",
    ],
)
def test_private_literals_refused(url: str) -> None:
    """Metadata, private, IPv6 loopback and odd spellings of 127.0.0.1 are all refused."""
    with make_fetcher(allowed_networks=()) as fetcher, pytest.raises(InputError, match=r"refused|resolve"):
        fetcher.fetch(url)


def test_hostname_checked_after_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    """A public-looking name that resolves to a private address is refused (checked after DNS)."""
    fake_dns(monkeypatch, {"intranet.example": ["10.0.0.7"], "mixed.example": ["93.184.216.34", "192.168.0.1"]})
    with make_fetcher(allowed_networks=()) as fetcher:
        with pytest.raises(InputError, match="refused"):
            fetcher.fetch("http://intranet.example/")
        with pytest.raises(InputError, match="refused"):
            fetcher.fetch("http://mixed.example/")


def test_connection_pinned_to_checked_address_keeps_host(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The socket goes to the address checked, while the Host header keeps the name."""
    fake_dns(monkeypatch, {"news.example": ["127.0.0.1"]})
    server.expect_request("/a").respond_with_data("ok")
    with make_fetcher(obey_robots=False) as fetcher:
        response = fetcher.fetch(f"http://news.example:{server.port}/a")
    assert response.body == b"ok"
    assert server.log[-1][0].headers["Host"] == f"news.example:{server.port}"


def test_redirect_into_private_range_refused(server: HTTPServer) -> None:
    """A redirect from an allowed server into a private range (metadata, RFC1918, loopback v6) is refused."""
    for i, target in enumerate(["http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/", "http://[::1]/"]):
        server.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": target})
        with make_fetcher() as fetcher, pytest.raises(InputError, match="refused"):
            fetcher.fetch(server.url_for(f"/r{i}"))


def test_redirects_followed_and_capped(server: HTTPServer, fetcher: Fetcher) -> None:
    """Redirects are followed hop by hop, and a loop stops at the cap."""
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    server.expect_request("/new").respond_with_data("fresh")
    response = fetcher.fetch(server.url_for("/old"))
    assert response.body == b"fresh"
    assert response.url.endswith("/new")
    assert response.redirects == [server.url_for("/old")]
    server.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(InputError, match="redirects"):
        fetcher.fetch(server.url_for("/loop"))


def test_only_http_and_https(fetcher: Fetcher) -> None:
    """file:, ftp: and credentials in URLs are never fetched."""
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x/"):
        with pytest.raises(InputError, match="only http"):
            fetcher.fetch(url)
    with pytest.raises(InputError, match="credentials"):
        fetcher.fetch("http://user:pw@127.0.0.1/")


def test_gzip_and_brotli_bodies_decoded(server: HTTPServer, fetcher: Fetcher) -> None:
    """gzip, deflate and brotli bodies come back decoded."""
    text = b"<html>" + b"news " * 1000 + b"</html>"
    server.expect_request("/gz").respond_with_data(gzip.compress(text), headers={"Content-Encoding": "gzip"})
    server.expect_request("/br").respond_with_data(brotli.compress(text), headers={"Content-Encoding": "br"})
    server.expect_request("/df").respond_with_data(zlib.compress(text), headers={"Content-Encoding": "deflate"})
    for path in ("/gz", "/br", "/df"):
        assert fetcher.fetch(server.url_for(path)).body == text
    assert "br" in server.log[-1][0].headers["Accept-Encoding"]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_decompression_bombs_cut_at_cap(server: HTTPServer, encoding: str) -> None:
    """A small compressed body that expands past the cap is cut off."""
    bomb_plain = b"\0" * (16 * 1024 * 1024)
    bomb = gzip.compress(bomb_plain, 9) if encoding == "gzip" else brotli.compress(bomb_plain, quality=5)
    assert len(bomb) < 1024 * 1024
    server.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": encoding})
    with make_fetcher(max_bytes=1024 * 1024) as fetcher, pytest.raises(InputError, match="decompressed"):
        fetcher.fetch(server.url_for("/bomb"))


def test_declared_and_endless_bodies_cut_at_cap(server: HTTPServer) -> None:
    """A declared length over the cap is refused up front; an endless stream is cut while streaming."""
    server.expect_request("/big").respond_with_data(b"x" * (2 * 1024 * 1024))

    def endless(request: Request) -> Response:
        """A body that does not end (within reason)."""

        def chunks() -> Iterator[bytes]:
            """64 KB chunks, 256 MB at most."""
            for _ in range(4096):  # 256 MB at most, in case the client did not stop
                yield b"y" * 65536

        return Response(chunks(), content_type="text/html")

    server.expect_request("/endless").respond_with_handler(endless)
    with make_fetcher(max_bytes=1024 * 1024) as fetcher:
        with pytest.raises(InputError, match="limit"):
            fetcher.fetch(server.url_for("/big"))
        with pytest.raises(InputError, match="limit"):
            fetcher.fetch(server.url_for("/endless"))


def test_slow_loris_body_cut_at_timeout() -> None:
    """A server trickling its body byte by byte is cut at the whole-request timeout.

    Each byte comes well inside the read timeout, and the whole body would take 10 s: only the deadline cuts it.
    """
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    script = [(head, 0.0)] + [(b"x", 0.1)] * 100
    with (
        raw_server(script) as base,
        make_fetcher(timeout=1.0, obey_robots=False) as fetcher,
        pytest.raises(InputError, match="timed out"),
    ):
        fetcher.fetch(base + "/slow")


def test_slow_loris_headers_cut_at_timeout() -> None:
    """A server trickling its headers (each byte inside the read timeout, over 10 s in all) is cut at the deadline."""
    script = [(bytes([b]), 0.1) for b in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 100]
    with (
        raw_server(script) as base,
        make_fetcher(timeout=1.0, obey_robots=False) as fetcher,
        pytest.raises(InputError, match="timed out"),
    ):
        fetcher.fetch(base + "/slow")


def test_conditional_get(server: HTTPServer, fetcher: Fetcher) -> None:
    """ETag and Last-Modified are sent back; a 304 reads as not modified."""
    stamp = formatdate(usegmt=True)

    def handler(request: Request) -> Response:
        """304 when both validators match, else the feed with them."""
        if request.headers.get("If-None-Match") == '"v1"' and request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response("<rss/>", headers={"ETag": '"v1"', "Last-Modified": stamp})

    server.expect_request("/feed").respond_with_handler(handler)
    first = fetcher.fetch(server.url_for("/feed"))
    assert first.status == 200 and first.headers["etag"] == '"v1"'
    second = fetcher.fetch(server.url_for("/feed"), etag='"v1"', last_modified=stamp)
    assert second.not_modified


def test_robots_obeyed_and_cached_per_host(server: HTTPServer, fetcher: Fetcher) -> None:
    """Disallowed paths are not fetched; robots.txt is read once per host."""
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n")
    server.expect_request("/public").respond_with_data("ok")
    server.expect_request("/private/x").respond_with_data("secret")
    assert fetcher.fetch(server.url_for("/public")).body == b"ok"
    with pytest.raises(InputError, match=r"robots\.txt"):
        fetcher.fetch(server.url_for("/private/x"))
    fetcher.fetch(server.url_for("/public"))
    paths = [r.path for r, _ in server.log]
    assert paths.count("/robots.txt") == 1
    assert "/private/x" not in paths


def test_politeness_spaces_requests_to_one_host(server: HTTPServer) -> None:
    """With a host delay, each request to the same host waits for the previous one's delay."""
    server.expect_request("/p").respond_with_data("ok")
    waits: list[float] = []
    fetcher = Fetcher(make_fetcher(host_delay=0.5, obey_robots=False).settings, sleep=waits.append)
    with fetcher:
        for _ in range(3):
            fetcher.fetch(server.url_for("/p"))
    assert len(waits) == 2 and all(w > 0 for w in waits)  # the second and third request waited their turn


def test_host_gate_books_starts_apart() -> None:
    """The gate spaces starts on one host by the delay, and leaves other hosts alone."""
    now = [100.0]
    gate = HostGate(concurrency=2, delay=0.5, clock=lambda: now[0])
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        """Advance the fake clock instead of sleeping."""
        waits.append(seconds)
        now[0] += seconds

    for host in ("a", "a", "b", "a"):
        gate.acquire(host, sleep)
        gate.release(host)
    assert waits == [0.5, 0.5]


def test_retries_honour_retry_after(server: HTTPServer) -> None:
    """429 and 503 are retried after the server's Retry-After (seconds or HTTP date), then succeed."""
    answers = iter(
        [
            Response("busy", status=503, headers={"Retry-After": "3"}),
            Response("slow down", status=429, headers={"Retry-After": formatdate(time.time() + 30, usegmt=True)}),
            Response("finally"),
        ]
    )
    server.expect_request("/flaky").respond_with_handler(lambda request: next(answers))
    waits: list[float] = []
    settings = make_fetcher(obey_robots=False).settings
    with Fetcher(settings, sleep=waits.append) as fetcher:
        assert fetcher.fetch(server.url_for("/flaky")).body == b"finally"
    assert waits[0] == 3.0
    assert 25 < waits[1] <= 31


def test_retries_back_off_then_give_up(server: HTTPServer) -> None:
    """Without Retry-After the wait doubles; after the last retry the 5xx is returned."""
    server.expect_request("/down").respond_with_data("no", status=502)
    waits: list[float] = []
    settings = make_fetcher(obey_robots=False, retries=3, backoff=1.0).settings
    with Fetcher(settings, sleep=waits.append) as fetcher:
        assert fetcher.fetch(server.url_for("/down")).status == 502
    assert waits == [1.0, 2.0, 4.0]


def test_host_key() -> None:
    """Hosts are keyed by scheme, lower-case name and port; IPv6 literals keep their brackets."""
    assert host_key("HTTPS://News.Example/a") == "https://news.example:443"
    assert host_key("http://[::1]:8080/x") == "http://[::1]:8080"


def test_retry_after_parsing() -> None:
    """Seconds, HTTP dates and garbage."""
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(formatdate(1000.0 + 60, usegmt=True), now=1000.0) == pytest.approx(60, abs=1)
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_unreachable_server_is_a_clear_error() -> None:
    """A closed port gives one line naming the URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    with make_fetcher(obey_robots=False) as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    assert caught.value.location.endswith("/feed")
    assert "\n" not in str(caught.value)


def test_robots_unavailable_allows_unreachable_forbids(server: HTTPServer) -> None:
    """RFC 9309: a 4xx robots.txt means no rules; a 5xx means complete disallow, for a while only."""
    server.expect_request("/page").respond_with_data("ok")
    with make_fetcher() as fetcher:  # the server answers 404 to /robots.txt
        assert fetcher.fetch(server.url_for("/page")).body == b"ok"
    server.clear()
    server.no_handler_status_code = 404
    server.expect_request("/robots.txt").respond_with_data("down", status=503)
    server.expect_request("/page").respond_with_data("ok")
    with make_fetcher() as fetcher:
        with pytest.raises(InputError, match=r"robots\.txt answered HTTP 503"):
            fetcher.fetch(server.url_for("/page"))
        assert "/page" not in [r.path for r, _ in server.log]
    with make_fetcher(robots_retry=0.0) as fetcher:
        with pytest.raises(InputError, match="503"):
            fetcher.fetch(server.url_for("/page"))
        server.clear()
        server.no_handler_status_code = 404
        server.expect_request("/page").respond_with_data("back")
        assert fetcher.fetch(server.url_for("/page")).body == b"back"  # robots.txt asked again, now a 404


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate for news.example signed by it (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        """Run one openssl command in the folder."""
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=newsfold test CA")
    run("req", *ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=news.example")
    (folder / "ext.cnf").write_text("subjectAltName=DNS:news.example\n")
    run(
        "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "leaf.pem", "-days", "2", "-extfile", "ext.cnf",
    )  # fmt: skip
    return folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"


def test_https_pinned_address_keeps_sni_and_certificate_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over TLS the socket goes to the checked address while SNI and the certificate check use the host name."""
    ca, cert, key = _certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    httpd.no_handler_status_code = 404
    httpd.expect_request("/secure").respond_with_data("over tls")
    httpd.start()
    fake_dns(monkeypatch, {"news.example": ["127.0.0.1"]})
    try:
        with make_fetcher(ca_file=str(ca)) as fetcher:
            assert fetcher.fetch(f"https://news.example:{httpd.port}/secure").body == b"over tls"
            with pytest.raises(InputError, match=r"(?i)certificate|IP address mismatch"):
                fetcher.fetch(f"https://127.0.0.1:{httpd.port}/secure")  # the name is checked, not just the key
    finally:
        httpd.stop()


def test_malformed_redirect_is_an_error_not_a_crash() -> None:
    """A Location with an impossible port ends the request with one clear line."""
    script = [(b"HTTP/1.1 302 Found\r\nLocation: http://example.org:99999/x\r\nContent-Length: 0\r\n\r\n", 0.0)]
    with (
        raw_server(script) as base,
        make_fetcher(obey_robots=False) as fetcher,
        pytest.raises(InputError, match="malformed URL"),
    ):
        fetcher.fetch(base + "/moved")
