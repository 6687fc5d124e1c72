"""Pages, feeds and servers the ingest tests share: all made here, nothing read from the internet."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from click.testing import CliRunner

from newsfold.cli import cli

WORDS = [
    "minister",
    "council",
    "harbour",
    "election",
    "village",
    "river",
    "market",
    "border",
    "treaty",
    "farmers",
    "court",
    "budget",
    "storm",
    "railway",
    "hospital",
    "teachers",
    "protest",
    "agreement",
    "energy",
    "drought",
    "vaccine",
    "museum",
    "festival",
    "bridge",
    "coastline",
    "parliament",
    "negotiators",
    "ceasefire",
    "exports",
    "shipping",
    "inflation",
    "wages",
    "students",
    "scientists",
    "satellite",
    "volcano",
    "glacier",
]


def paragraphs(seed: int, count: int = 6, words: int = 45) -> list[str]:
    """Distinct, sentence-like paragraphs (deterministic per seed); nearby seeds draw on disjoint vocabularies."""
    rng = random.Random(seed)
    share = len(WORDS) // 4
    start = (seed % 4) * share
    vocabulary = WORDS[start : start + share]
    out = []
    for _ in range(count):
        sentence = []
        for i in range(words):
            word = rng.choice(vocabulary)
            sentence.append(word.capitalize() if i % 9 == 0 else word)
            if i % 9 == 8:
                sentence[-1] += "."
        out.append(" ".join(sentence).rstrip(".") + ".")
    return out


def article_html(title: str, seed: int, url: str | None = None) -> str:
    """A small news page with furniture around one article."""
    canonical = f'<link rel="canonical" href="{escape(url)}">' if url else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs(seed))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title>{canonical}"
        '<meta property="article:published_time" content="2026-11-20T10:00:00Z"></head>'
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>© The Test Gazette</footer></body></html>"
    )


def rss(items: list[tuple[str, str, str | None]], title: str = "Test Gazette") -> str:
    """An RSS 2.0 feed of (title, link, full text html or None) items."""
    parts = []
    for item_title, link, content in items:
        encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        parts.append(
            f"<item><title>{escape(item_title)}</title><link>{escape(link)}</link>"
            f"<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate><description>Short summary.</description>{encoded}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>http://example.org/</link>{''.join(parts)}</channel></rss>"
    )


@contextmanager
def raw_server(script: list[tuple[bytes, float]]) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that answers each connection with the scripted (bytes, pause) steps."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    done = threading.Event()

    def serve_one(conn: socket.socket) -> None:
        """Play the script to one client."""
        with conn:
            try:
                conn.recv(65536)
                for data, pause in script:
                    if done.is_set():
                        return
                    conn.sendall(data)
                    time.sleep(pause)
            except OSError:
                return

    def loop() -> None:
        """Accept clients until closed."""
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join(timeout=2)
        listener.close()


def invoke(runner: object, args: list[str]) -> tuple[int, str]:
    """Run the CLI in-process as `newsfold` does (commands return their exit status); (status, output)."""

    assert isinstance(runner, CliRunner)
    result = runner.invoke(cli, args, standalone_mode=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return int(result.return_value or 0), result.output
