"""Fuzzing gate over every reader: mangled inputs must give a document or one InputError, never a crash or a hang.

    python benchmarks/fuzz.py --inputs 100000            # per reader; readers run in parallel worker processes
    python benchmarks/fuzz.py --inputs 2000 --readers html,warc --seed 3

Seed corpora are made here (never fetched): small well-formed documents of each kind plus the hostile inputs of
issue 18. hypothesis draws a seed and a list of mutations (byte flips, cuts, duplicated slices, hostile tokens,
deep repetition) for each input. A crash (any exception other than InputError) is written to
tests/fixtures/fuzz/READER-HASH.bin, which tests/readers/test_fuzz.py replays. A hang is an input over 5 s.
Prints a table per reader: inputs, documented errors, crashes, hangs, slowest input, peak memory of its worker.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import logging
import multiprocessing
import os
import resource
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "fuzz"
HANG_SECONDS = 5.0
MAX_FIXTURE_BYTES = 256 * 1024

Reader = Callable[[bytes], object]


def _readers() -> dict[str, Reader]:
    """Every reader, as a function of bytes that returns or raises InputError (imported late: workers fork)."""
    from newsfold.extract.dates import parse_date
    from newsfold.extract.dispatch import Extractor
    from newsfold.ingest.decode import decode
    from newsfold.ingest.feeds import parse_feed
    from newsfold.ingest.opml import read_opml
    from newsfold.ingest.sitemaps import parse_sitemap
    from newsfold.ingest.warc import iter_warc_stream
    from newsfold.model import Origin, RawInput
    from newsfold.plausible import plausible
    from newsfold.urls import join_url, parse_url

    extractor = Extractor()

    def html(data: bytes) -> object:
        """HTML extraction of a page."""
        return extractor(RawInput(Origin("fuzz.html"), data, media_type="text/html", url="https://fuzz.example/a"))

    def text(data: bytes) -> object:
        """Plain-text extraction."""
        return extractor(RawInput(Origin("fuzz.txt"), data, media_type="text/plain"))

    def feed(data: bytes) -> object:
        """A feed (RSS, Atom, JSON Feed), each entry made a page and encoded."""
        parsed = parse_feed(data, "fuzz.feed")
        return [entry.as_page("fuzz.feed").data for entry in parsed.entries]

    def warc(data: bytes) -> object:
        """A WARC archive's pages."""
        return list(iter_warc_stream(io.BytesIO(data), "fuzz.warc"))

    def url(data: bytes) -> object:
        """The URL parser and joiner."""
        value = data.decode("utf-8", "replace")
        join_url("https://fuzz.example/a/b", value)
        return parse_url(value)

    def jsonld(data: bytes) -> object:
        """JSON-LD inside a page."""
        block = data.decode("utf-8", "replace").replace("</", "<\\/")
        page = f'<html><head><script type="application/ld+json">{block}</script></head><body>{_BODY}</body></html>'
        return html(page.encode("utf-8", "surrogatepass"))

    def dates(data: bytes) -> object:
        """Date parsing and the plausibility check."""
        return plausible(parse_date(data.decode("utf-8", "replace")))

    return {
        "html": html,
        "text": text,
        "rss": feed,
        "atom": feed,
        "jsonfeed": feed,
        "opml": lambda data: read_opml(data, "fuzz.opml"),
        "sitemap": lambda data: parse_sitemap(data, "fuzz.xml"),
        "warc": warc,
        "decode": lambda data: decode(data, "fuzz.bin"),
        "url": url,
        "jsonld": jsonld,
        "dates": dates,
    }


_BODY = "".join(
    f"<p>The harbour of the town reopened on day {i} after storms had closed it for a week, the port "
    "authority said on Monday.</p>"
    for i in range(5)
)


def _warc_record(url: str, body: bytes, length: bytes | None = None) -> bytes:
    """One WARC response record (Content-Length as given, else right)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    size = length if length is not None else str(len(http)).encode()
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + url.encode() + b"\r\nWARC-Date: 2024-02-12T10:00:00Z"
        b"\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: "
        + size
        + b"\r\n\r\n"
        + http
        + b"\r\n\r\n"
    )


def seeds() -> dict[str, list[bytes]]:
    """The seed corpus of each reader: ordinary documents and issue 18's hostile ones."""
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour reopens | Gazette</title>'
        '<meta property="article:published_time" content="2024-02-12T10:00:00+01:00">'
        '<link rel="canonical" href="https://gazette.example/2024/02/12/harbour">'
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour reopens",'
        '"datePublished":"2024-02-12T10:00:00Z","author":{"@type":"Person","name":"Ann Lee"}}</script>'
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>Harbour reopens</h1>{_BODY}</article>"
        "<footer>© 2024</footer></body></html>"
    )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Gazette</title>'
        "<item><title>Harbour &amp; port</title><link>https://gazette.example/1</link>"
        "<pubDate>Mon, 12 Feb 2024 10:00:00 GMT</pubDate><description>The harbour reopened.</description></item>"
        "<item><title>&#xD800;</title><link>https://x.example/2</link></item></channel></rss>"
    )
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title>'
        '<entry><title>Harbour</title><link href="https://gazette.example/1"/><updated>2024-02-12T10:00:00Z</updated>'
        '<content type="html">&lt;p&gt;The harbour reopened.&lt;/p&gt;</content></entry></feed>'
    )
    jsonfeed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Gazette",
            "items": [
                {
                    "id": "1",
                    "url": "https://gazette.example/1",
                    "title": "Harbour",
                    "content_text": "It reopened.",
                    "date_published": "2024-02-12T10:00:00Z",
                    "authors": [{"name": "Ann Lee"}],
                }
            ],
        }
    )
    opml = (
        '<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><head><title>s</title></head><body>'
        '<outline text="News"><outline text="Gazette" type="rss" xmlUrl="https://gazette.example/feed"/>'
        '<outline text="ftp" xmlUrl="ftp://x.example/f"/></outline>'
        '<outline text="Page" type="link" url="https://gazette.example/page"/></body></opml>'
    )
    sitemap = (
        '<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://gazette.example/1</loc>'
        "<lastmod>2024-02-12</lastmod><news:news><news:publication_date>2024-02-12T10:00:00Z"
        "</news:publication_date><news:title>Harbour</news:title></news:news></url></urlset>"
    )
    warc = _warc_record("https://gazette.example/1", page.encode()) + _warc_record("https://g.example/2", b"<p>x</p>")
    return {
        "html": [
            page.encode(),
            page.replace("utf-8", "undefined").encode() + b"\xe9\xff",
            page.replace("https://gazette.example/2024/02/12/harbour", "http://[::1/x").encode(),
            page.replace("2024-02-12T10:00:00Z", "0001-01-01T00:00:00Z").encode(),
            b"<html><body>" + b"<ul>" * 300 + b"</ul>" * 300 + _BODY.encode() + b"</body></html>",
            b"<html><body><div "
            + b" ".join(b"a%d=x" % i for i in range(200))
            + b">x</div>"
            + _BODY.encode()
            + b"</body></html>",
        ],
        "text": [
            (
                "Harbour reopens after the storms\n\nBy Ann Lee\nFebruary 12, 2024\n\n" + "The harbour reopened. " * 30
            ).encode(),
            b"Sources 1/ http://[::1/x 2/ https://gazette.example/2024/02/12/story\n\nText here." * 3,
        ],
        "rss": [rss.encode(), rss.replace("utf-8", "bogus").encode()],
        "atom": [atom.encode()],
        "jsonfeed": [jsonfeed.encode(), jsonfeed.replace("Harbour", "\\ud800").encode()],
        "opml": [opml.encode(), opml.replace("utf-8", "bogus").encode()],
        "sitemap": [sitemap.encode(), gzip.compress(sitemap.encode(), mtime=0)],
        "warc": [warc, gzip.compress(warc, mtime=0), _warc_record("https://a.example/", b"<p>x</p>", b"")],
        "decode": [
            page.encode("utf-8"),
            page.encode("utf-16"),
            page.encode("latin-1", "replace"),
            b"\xe9\xff\xfe" * 40,
        ],
        "url": [
            b"https://gazette.example/2024/02/12/harbour?x=1#y",
            b"http://0177.0.0.1/",
            b"http://127.000.000.001/",
            b"http://[::1]:8080/x",
            b"//cdn.example/a.png",
            "http://bücher.example/ä".encode(),
        ],
        "jsonld": [
            b'{"@type":"NewsArticle","headline":"Harbour","datePublished":"2024-02-12T10:00:00Z"}',
            b'{"@graph":[{"@type":["WebPage"]},{"@type":"NewsArticle","author":[{"name":"A"}]}]}',
            b"[" * 50 + b"]" * 50,
        ],
        "dates": [
            b"2024-02-12T10:00:00+01:00",
            b"February 12, 2024, 12:35 p.m.",
            b"12. Februar 2024",
            b"0001-01-01T00:00:00Z",
            b"Mon, 12 Feb 2024 11:44:42 GMT",
            b"2024-01-01T10:00:00+99:99",
        ],
    }


# fragments a mutation inserts: what broke readers before, and what parsers are touchy about
TOKENS = [
    b"&#xD800;",
    b"&#0;",
    b"&#x110000;",
    b"&#99999999999;",
    b"\\ud800",
    b"\\udfff",
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b'encoding="bogus"',
    b'charset="undefined"',
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<",
    b">",
    b"</",
    b'"',
    b"'",
    b"=",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b":",
    b"9" * 400,
    b"1e999999",
    b"http://[::1/x",
    b"http://0177.0.0.1/",
    b"Content-Length: \r\n",
    b"\r\n\r\n",
    b"WARC/1.0\r\n",
    b"0001-01-01T00:00:00Z",
    b"9999-12-31T23:59:59-23:59",
    b"+99:99",
    b"<script>",
    b"</script>",
    b"<ul>",
    b"<div a=b c=d>",
    b"<p>",
    b"\x1f\x8b",
]
MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 1 << 30), st.integers(0, 255)),
    st.tuples(st.just("cut"), st.integers(0, 1 << 30), st.integers(0, 4096)),
    st.tuples(st.just("dup"), st.integers(0, 1 << 30), st.integers(1, 512)),
    st.tuples(st.just("token"), st.integers(0, 1 << 30), st.sampled_from(TOKENS)),
    st.tuples(st.just("repeat"), st.integers(0, 1 << 30), st.integers(2, 3000)),
    st.tuples(st.just("truncate"), st.integers(0, 1 << 30), st.just(0)),
    st.tuples(st.just("bytes"), st.integers(0, 1 << 30), st.binary(max_size=32)),
)


def mutate(seed: bytes, mutations: list[tuple[str, int, object]]) -> bytes:
    """A seed with the mutations applied in order (positions taken modulo the current length)."""
    data = bytearray(seed)
    for kind, where, arg in mutations:
        at = where % (len(data) + 1)
        if kind == "flip" and data:
            data[at % len(data)] = int(arg)  # type: ignore[call-overload]
        elif kind == "cut":
            del data[at : at + int(arg)]  # type: ignore[call-overload]
        elif kind == "dup":
            data[at:at] = data[at : at + int(arg)]  # type: ignore[call-overload]
        elif kind in ("token", "bytes"):
            data[at:at] = arg  # type: ignore[assignment]
        elif kind == "repeat":
            piece = bytes(data[at : at + 8]) or b"<a>"
            data[at:at] = piece * int(arg)  # type: ignore[call-overload]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


@dataclass
class Tally:
    """What fuzzing one reader found."""

    reader: str
    inputs: int = 0
    documented: int = 0
    crashes: int = 0
    hangs: int = 0
    slowest: float = 0.0
    peak_mb: float = 0.0
    found: list[str] = field(default_factory=list)


def check(reader: Reader, data: bytes) -> str | None:
    """Run one input; None when it gave a result or an InputError, else the crash's one-line description."""
    from newsfold.errors import InputError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader(data)
    except InputError as exc:
        if not exc.reason or "\n" in str(exc):
            return f"InputError without a one-line reason: {exc!r}"
        return "documented"
    except Exception as exc:  # noqa: BLE001 (the point of fuzzing: anything else is a crash)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__}: {str(exc)[:120]} ({Path(where.filename).name}:{where.lineno})"
    return None


def keep_fixture(name: str, data: bytes) -> Path:
    """Write a crashing input as a regression fixture (READER-HASH.bin)."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    path = FIXTURES / f"{name}-{hashlib.sha1(data).hexdigest()[:12]}.bin"
    path.write_bytes(data[:MAX_FIXTURE_BYTES])
    return path


def fuzz_reader(name: str, inputs: int, seed: int = 0, keep: bool = True) -> Tally:
    """Fuzz one reader with inputs mangled documents (derandomized by seed)."""
    logging.disable(logging.CRITICAL)
    try:
        return _fuzz(name, inputs, seed, keep)
    finally:
        logging.disable(logging.NOTSET)


def _fuzz(name: str, inputs: int, seed: int, keep: bool) -> Tally:
    """fuzz_reader's work, logging off."""
    reader = _readers()[name]
    corpus = seeds()[name]
    tally = Tally(name)
    for data in corpus:  # the seeds themselves first
        _record(tally, name, reader, data, keep)

    @settings(
        max_examples=max(1, inputs - len(corpus)),
        derandomize=not seed,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=("generate",),
    )
    @given(st.sampled_from(corpus), st.lists(MUTATION, min_size=1, max_size=6))
    def one(base: bytes, mutations: list[tuple[str, int, object]]) -> None:
        """Fuzz one mutated input."""
        _record(tally, name, reader, mutate(base, mutations), keep)

    (hypothesis_seed(seed)(one) if seed else one)()
    tally.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return tally


def _record(tally: Tally, name: str, reader: Reader, data: bytes, keep: bool) -> None:
    """Run one input and count what it did."""
    start = time.perf_counter()
    outcome = check(reader, data)
    took = time.perf_counter() - start
    tally.inputs += 1
    tally.slowest = max(tally.slowest, took)
    if took > HANG_SECONDS:
        tally.hangs += 1
        tally.found.append(f"hang {took:.1f} s: {keep_fixture(name, data).name if keep else len(data)}")
    if outcome == "documented":
        tally.documented += 1
    elif outcome is not None:
        tally.crashes += 1
        where = keep_fixture(name, data).name if keep else f"{len(data)} bytes"
        tally.found.append(f"{outcome} -> {where}")


def _worker(job: tuple[str, int, int, bool]) -> Tally:
    """Fuzz one reader in a worker process."""
    name, inputs, seed, keep = job
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (warcio writes a warning per odd record; the worker ends)
    return fuzz_reader(name, inputs, seed, keep)


def markup_table() -> None:
    """Seconds to extract the issue's pathological pages (markup work must grow linearly with size)."""
    from newsfold.extract.dispatch import Extractor
    from newsfold.model import Origin, RawInput

    extractor = Extractor()
    pages = {
        "nested closed <ul>": lambda n: "<html><body>" + _BODY + "<ul>" * n + "</ul>" * n + "</body></html>",
        "attributes on one tag": lambda n: (
            "<html><body><div " + " ".join(f"a{i}=x" for i in range(n)) + ">" + _BODY + "</div></body></html>"
        ),
        "unclosed <div>": lambda n: "<html><body>" + _BODY + "<div>x" * n + "</body></html>",
    }
    extractor(RawInput(Origin("warm.html"), pages["unclosed <div>"](1).encode(), media_type="text/html"))
    print(f"{'page':<22} {'n':>8} {'MB':>5} {'seconds':>8}")
    for label, make in pages.items():
        for n in (25_000, 100_000, 200_000):
            data = make(n).encode()
            start = time.perf_counter()
            extractor(RawInput(Origin("markup.html"), data, media_type="text/html"))
            print(f"{label:<22} {n:>8} {len(data) / 1e6:>5.1f} {time.perf_counter() - start:>8.2f}", flush=True)


def main() -> int:
    """Fuzz the readers and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1000, help="inputs per reader")
    parser.add_argument("--readers", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="0: derandomized (the same inputs every run)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-keep", action="store_true", help="do not write crashing inputs as fixtures")
    parser.add_argument("--markup", action="store_true", help="time the pathological pages instead of fuzzing")
    args = parser.parse_args()
    if args.markup:
        logging.disable(logging.CRITICAL)
        markup_table()
        return 0
    names = [n for n in (args.readers.split(",") if args.readers else list(seeds())) if n]
    started = time.time()
    jobs = [(name, args.inputs, args.seed, not args.no_keep) for name in names]
    context = multiprocessing.get_context("fork")
    head = f"{'reader':<9} {'inputs':>8} {'documented errors':>18} {'crashes':>7} {'hangs':>5} {'slowest s':>9}"
    print(f"{head} {'peak MB':>7}", flush=True)
    tallies: list[Tally] = []
    with context.Pool(args.workers, maxtasksperchild=1) as pool:
        for t in pool.imap_unordered(_worker, jobs, chunksize=1):  # each row as soon as its reader is done
            tallies.append(t)
            row = f"{t.reader:<9} {t.inputs:>8} {t.documented:>18} {t.crashes:>7} {t.hangs:>5} {t.slowest:>9.2f}"
            print(f"{row} {t.peak_mb:>7.0f}", flush=True)
    for t in tallies:
        for line in t.found[:20]:
            print(f"  {t.reader}: {line}")
    print(f"{time.time() - started:.0f} s wall, {args.workers} workers")
    return 1 if any(t.crashes or t.hangs for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
