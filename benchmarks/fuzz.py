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
import dataclasses
import gzip
import hashlib
import io
import json
import logging
import multiprocessing
import os
import random
import resource
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "fuzz"
HANG_SECONDS = 5.0
CUTOFF_SECONDS = 60.0  # an input still running then is stopped (and counted a hang)
MAX_CORPUS = 2000
MAX_CORPUS_BYTES = 16 * 1024
MAX_FIXTURE_BYTES = 256 * 1024

Reader = Callable[[bytes], object]


def _readers() -> dict[str, Reader]:
    """Every reader, as a function of bytes that returns or raises InputError (imported late: workers fork)."""
    from newsfold.extract.dates import parse_date  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.extract.dispatch import Extractor  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.ingest.decode import decode  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.ingest.feeds import parse_feed  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.ingest.opml import read_opml  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.ingest.sitemaps import parse_sitemap  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.ingest.warc import iter_warc_stream  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.model import Origin, RawInput  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.plausible import plausible  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.urls import join_url, parse_url  # noqa: PLC0415  imported late: the fuzzing workers fork

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
MUTATIONS = ("flip", "cut", "dup", "token", "repeat", "truncate", "bytes", "splice")


def draw_mutations(rng: random.Random, corpus: list[bytes]) -> list[tuple[str, int, object]]:
    """One to six mutations drawn from rng (splice takes a slice of another corpus entry)."""
    drawn: list[tuple[str, int, object]] = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(MUTATIONS)
        where = rng.getrandbits(30)
        arg: object
        if kind == "flip":
            arg = rng.randrange(256)
        elif kind == "cut":
            arg = rng.choice((1, 1, 2, 4, 16, 64, rng.randrange(4097)))
        elif kind == "dup":
            arg = rng.randint(1, 512)
        elif kind == "token":
            arg = rng.choice(TOKENS)
        elif kind == "repeat":
            arg = rng.randint(2, 3000) if rng.random() < 0.1 else rng.choice((2, 3, 10, 100))
        elif kind == "bytes":
            arg = rng.randbytes(rng.randrange(33))
        elif kind == "splice":
            other = rng.choice(corpus)
            at = rng.randrange(len(other) + 1)
            arg = other[at : at + rng.randint(1, 256)]
        else:
            arg = 0
        drawn.append((kind, where, arg))
    return drawn


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
        elif kind in ("token", "bytes", "splice"):
            data[at:at] = arg  # type: ignore[assignment]
        elif kind == "repeat":
            piece = bytes(data[at : at + 8]) or b"<a>"
            data[at:at] = piece * int(arg)  # type: ignore[call-overload]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


@dataclass
class Tally:
    """What fuzzing one reader (or one chunk of its inputs) found."""

    reader: str
    seed: int = 0
    inputs: int = 0
    documented: int = 0
    crashes: int = 0
    hangs: int = 0
    slowest: float = 0.0
    peak_mb: float = 0.0
    seconds: float = 0.0
    corpus: int = 0
    found: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        """Fold another chunk's counts into this one."""
        self.inputs += other.inputs
        self.documented += other.documented
        self.crashes += other.crashes
        self.hangs += other.hangs
        self.slowest = max(self.slowest, other.slowest)
        self.peak_mb = max(self.peak_mb, other.peak_mb)
        self.seconds += other.seconds
        self.corpus = max(self.corpus, other.corpus)
        self.found.extend(other.found)


class Hang(BaseException):
    """An input ran past the cutoff (a BaseException, so no reader's except clause swallows it)."""


def _alarm(signum: int, frame: object) -> None:
    """The cutoff's signal handler."""
    raise Hang


def check(reader: Reader, data: bytes) -> str | None:
    """Run one input; None when it gave a result, "documented" for a one-line InputError, else the crash."""
    from newsfold.errors import InputError  # noqa: PLC0415  imported late: the fuzzing workers fork

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
    """Fuzz one reader with inputs mangled documents, the same ones for the same seed."""
    logging.disable(logging.CRITICAL)
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        return _fuzz(name, inputs, seed, keep)
    finally:
        signal.signal(signal.SIGALRM, previous)
        logging.disable(logging.NOTSET)


def _fuzz(name: str, inputs: int, seed: int, keep: bool) -> Tally:
    """fuzz_reader's persistent loop, logging off.

    Each input is a corpus entry with one to six mutations drawn from one random stream (seeded by reader and
    seed). The corpus starts as the seeds; an input whose outcome has a shape not seen before (a result of another
    type or size, an InputError with another reason) joins it, so later inputs mutate what reached new ground.
    """
    reader = _readers()[name]
    corpus = list(seeds()[name])
    seen: set[str] = set()
    tally = Tally(name, seed)
    rng = random.Random(f"{name}/{seed}")
    started = time.perf_counter()
    for data in list(corpus):  # the seeds themselves first
        seen.add(_record(tally, name, reader, data, keep))
    while tally.inputs < inputs:
        data = mutate(rng.choice(corpus), draw_mutations(rng, corpus))
        shape = _record(tally, name, reader, data, keep)
        if shape not in seen and len(data) <= MAX_CORPUS_BYTES and len(corpus) < MAX_CORPUS:
            seen.add(shape)
            corpus.append(data)
    tally.seconds = time.perf_counter() - started
    tally.corpus = len(corpus)
    tally.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return tally


def _shape(outcome: object, depth: int = 0) -> str:
    """A coarse shape of what a reader gave: which fields it filled and how many items, or its error's reason."""
    if isinstance(outcome, BaseException):
        reason = getattr(outcome, "reason", "") or str(outcome)
        return f"{type(outcome).__name__}:{' '.join(reason.split()[:3])[:40]}"
    if isinstance(outcome, (list, tuple)):
        inner = _shape(outcome[0], depth + 1) if outcome and depth < 2 else ""
        return f"[{len(outcome).bit_length()}{inner}]"
    if isinstance(outcome, (str, bytes)):
        return f"{type(outcome).__name__}{len(outcome).bit_length() // 2}"
    if dataclasses.is_dataclass(outcome) and depth < 2:
        filled = []
        for item in dataclasses.fields(outcome):
            value = getattr(outcome, item.name)
            if isinstance(value, list):
                filled.append(f"{item.name}{len(value).bit_length()}")
            elif value:
                filled.append(item.name)
        return f"{type(outcome).__name__}({','.join(filled)})"
    return type(outcome).__name__


def _record(tally: Tally, name: str, reader: Reader, data: bytes, keep: bool) -> str:
    """Run one input (cut off after CUTOFF_SECONDS), count what it did, and return its outcome's shape."""
    shape: list[str] = []

    def traced(value: bytes) -> object:
        """The reader, noting the shape of what it returned or raised."""
        try:
            result = reader(value)
        except Exception as exc:
            shape.append(_shape(exc))
            raise
        shape.append(_shape(result))
        return result

    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, CUTOFF_SECONDS)
    try:
        outcome = check(traced, data)
    except Hang:
        outcome, shape = None, ["hang"]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
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
        shape = ["crash:" + outcome.split(":", 1)[0]]
    return shape[0] if shape else "none"


def _worker(job: tuple[str, int, int, bool]) -> Tally:
    """Fuzz one chunk of one reader's inputs in a worker process."""
    name, inputs, seed, keep = job
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (warcio writes a warning per odd record; the worker ends)
    return fuzz_reader(name, inputs, seed, keep)


def markup_table() -> None:
    """Seconds to extract the issue's pathological pages (markup work must grow linearly with size)."""
    from newsfold.extract.dispatch import Extractor  # noqa: PLC0415  imported late: the fuzzing workers fork
    from newsfold.model import Origin, RawInput  # noqa: PLC0415  imported late: the fuzzing workers fork

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


HEAD = (
    f"{'reader':<9} {'seeds':>11} {'inputs':>8} {'documented errors':>18} {'crashes':>7} {'hangs':>5}"
    f" {'slowest s':>9} {'peak MB':>7} {'inputs/s':>8}"
)


def row(t: Tally, seeds: str) -> str:
    """One table row."""
    rate = t.inputs / t.seconds if t.seconds else 0.0
    return (
        f"{t.reader:<9} {seeds:>11} {t.inputs:>8} {t.documented:>18} {t.crashes:>7} {t.hangs:>5}"
        f" {t.slowest:>9.2f} {t.peak_mb:>7.0f} {rate:>8.0f}"
    )


def summary(path: Path) -> int:
    """Sum the chunks a --record file holds, per reader (a chunk run twice counts once), as a markdown table."""
    chunks: dict[tuple[str, int], Tally] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            fields = json.loads(line)
            chunk = Tally(**fields)
            chunks[(chunk.reader, chunk.seed)] = chunk  # the last run of a chunk
    totals: dict[str, Tally] = {}
    seeds_of: dict[str, list[int]] = {}
    for (name, chunk_seed), chunk in sorted(chunks.items()):
        totals.setdefault(name, Tally(name)).add(chunk)
        seeds_of.setdefault(name, []).append(chunk_seed)
    print(
        "| reader | chunks (seeds) | inputs | documented errors | crashes | hangs (> 5 s) | slowest input s |"
        " peak memory MB | inputs/s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, t in totals.items():
        rate = t.inputs / t.seconds if t.seconds else 0.0
        used = seeds_of[name]
        span = f"{len(used)} ({min(used)}-{max(used)})"
        print(
            f"| {name} | {span} | {t.inputs:,} | {t.documented:,} | {t.crashes} | {t.hangs} | {t.slowest:.2f} |"
            f" {t.peak_mb:.0f} | {rate:.0f} |"
        )
    for t in totals.values():
        for found in t.found:
            print(f"  {t.reader}: {found}")
    return 1 if any(t.crashes or t.hangs for t in totals.values()) else 0


def main() -> int:
    """Fuzz the readers in chunks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1000, help="inputs per reader")
    parser.add_argument("--chunk", type=int, default=20000, help="inputs per chunk (one worker process each)")
    parser.add_argument("--readers", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="the first chunk's seed (chunk k: seed + k)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-keep", action="store_true", help="do not write crashing inputs as fixtures")
    parser.add_argument("--record", type=Path, help="append each chunk's counts to this file (JSON lines)")
    parser.add_argument("--summary", type=Path, help="print the per-reader table of a --record file and stop")
    parser.add_argument("--markup", action="store_true", help="time the pathological pages instead of fuzzing")
    args = parser.parse_args()
    if args.summary:
        return summary(args.summary)
    if args.markup:
        logging.disable(logging.CRITICAL)
        markup_table()
        return 0
    names = [n for n in (args.readers.split(",") if args.readers else list(seeds())) if n]
    started = time.time()
    jobs: list[tuple[str, int, int, bool]] = []
    for name in names:
        left, chunk_seed = args.inputs, args.seed
        while left > 0:
            jobs.append((name, min(left, args.chunk), chunk_seed, not args.no_keep))
            left -= args.chunk
            chunk_seed += 1
    context = multiprocessing.get_context("fork")
    print(HEAD, flush=True)
    totals: dict[str, Tally] = {}
    with context.Pool(args.workers, maxtasksperchild=1) as pool:
        for t in pool.imap(_worker, jobs, chunksize=1):  # each chunk's row as soon as it is done
            print(row(t, str(t.seed)), flush=True)
            if args.record:
                with args.record.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(t.__dict__) + "\n")
            totals.setdefault(t.reader, Tally(t.reader, t.seed)).add(t)
    print("total")
    for t in totals.values():
        print(row(t, f"{t.seed}-{t.seed + -(-t.inputs // args.chunk) - 1}"))
        for line in t.found[:20]:
            print(f"  {t.reader}: {line}")
    print(f"{time.time() - started:.0f} s wall, {args.workers} workers")
    return 1 if any(t.crashes or t.hangs for t in totals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
