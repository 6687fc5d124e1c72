"""Writing small WARC archives for the tests and the benchmark."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write_warc(path: Path, pages: Iterable[tuple[str, str]], extras: bool = True) -> None:
    """A gzipped WARC: an HTML response per (url, html), plus a request, an image and a 404 when extras."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))

        def response(url: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
            """Write one HTTP response record."""
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=headers
            )
            writer.write_record(record)

        for url, html in pages:
            if extras:
                request = writer.create_warc_record(
                    url,
                    "request",
                    payload=BytesIO(b""),
                    length=0,
                    http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True),
                )
                writer.write_record(request)
            response(url, html.encode("utf-8"), "text/html; charset=utf-8")
        if extras:
            response("http://w.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
            response("http://w.example/missing", b"<html>gone</html>", "text/html", "404 Not Found")
