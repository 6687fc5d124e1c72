"""Property-based tests: random and mangled input gives documents or one InputError, never a crash or a hang."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.errors import InputError
from newsfold.extract.dispatch import Extractor
from newsfold.model import KINDS, Article, Origin, RawInput
from tests.conftest import SEED_LIMITED

EXTRACTOR = Extractor()
SEED_TEXT = SEED_LIMITED.read_text("utf-8")
HTML_PAGE = (
    "<html><head><title>T</title><meta property='og:title' content='A title'></head><body><nav>Home | News</nav>"
    "<article><h1>A title</h1>"
    + "".join(f"<p>{line}</p>" for line in SEED_TEXT.splitlines() if len(line) > 80)
    + "</article><footer>© 2024</footer></body></html>"
)
MEDIA_TYPES = st.sampled_from(["text/html", "text/plain", None])


def _check(data: bytes, media_type: str | None) -> None:
    """Extraction gives well-formed documents or an InputError naming the input."""
    try:
        documents = EXTRACTOR(RawInput(Origin("fuzz.input"), data, media_type=media_type))
    except InputError as exc:
        assert exc.location == "fuzz.input" and exc.reason
        return
    assert documents
    for document in documents:
        assert isinstance(document, Article)
        assert document.kind in KINDS
        assert isinstance(document.text, str)
        assert all(p.text.strip() for p in document.paragraphs)


def _mangle(text: str, seed: int, cuts: int) -> str:
    """Cut, swap and duplicate random slices of a text (what broken scrapes and truncated pages look like)."""
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(cuts):
        if len(chars) < 4:
            break
        a, b = sorted(rng.sample(range(len(chars)), 2))
        action = rng.randrange(3)
        if action == 0:
            del chars[a:b]
        elif action == 1:
            chars[a:a] = chars[a : min(b, a + 200)]
        else:
            chars[a:b] = reversed(chars[a:b])
    return "".join(chars)


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=4000), MEDIA_TYPES)
def test_random_bytes(data: bytes, media_type: str | None) -> None:
    """Arbitrary bytes never crash extraction."""
    _check(data, media_type)


@FAST
@given(st.text(max_size=3000), MEDIA_TYPES)
def test_random_text(text: str, media_type: str | None) -> None:
    """Arbitrary Unicode (mixed scripts, controls, surrogates escaped) never crashes extraction."""
    _check(text.encode("utf-8", errors="surrogatepass"), media_type)


@FAST
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=12), MEDIA_TYPES)
def test_mangled_pages(seed: int, cuts: int, media_type: str | None) -> None:
    """Truncated, duplicated and scrambled pages (text and HTML) never crash extraction."""
    _check(_mangle(SEED_TEXT, seed, cuts).encode("utf-8"), media_type)
    _check(_mangle(HTML_PAGE, seed, cuts).encode("utf-8"), media_type)


@FAST
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<a href=x>", "<script>", "<!--", "<table>",
                                 "<td>", "text ", "Words of a sentence. ", "\n", "&amp;", "<br>", "<h2>"]),
                max_size=300))  # fmt: skip
def test_tag_soup(parts: list[str]) -> None:
    """Random tag soup is read as HTML without a crash."""
    _check(("<html><body>" + "".join(parts)).encode("utf-8"), "text/html")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252", "koi8-r", "shift_jis"])
def test_other_encodings(encoding: str) -> None:
    """Pages in other encodings decode to the same article text."""
    text = "Дата 2024-02-12\n\n" if encoding == "koi8-r" else ""
    text += SEED_TEXT if encoding not in ("koi8-r", "shift_jis") else ""
    text += "Москва — Власти города объявили о расширении сети автобусов в северных районах. " * 5
    if encoding == "shift_jis":
        text = "東京の市議会は火曜日、北部地域へのバス路線の拡大を決定した。住民は長年この決定を待っていた。" * 8
    _check(text.encode(encoding, errors="replace"), "text/plain")


@pytest.mark.parametrize(
    ("markup", "media_type"),
    [
        ("<html><body>" + "<div>" * 50_000 + "<p>" + "Words of a sentence, and more. " * 40 + "</p></body></html>",
         "text/html"),
        ("• A short headline about something else\n" * 100_000, "text/plain"),
        ("Alpha Beta Gamma " * 300_000, "text/plain"),
    ],
    ids=["50k-nested-divs", "100k-lines", "5mb-one-line"],
)  # fmt: skip
def test_pathological_pages_are_bounded(markup: str, media_type: str) -> None:
    """Deep nesting, huge line counts and giant lines are cut or flattened: bounded time, a clear result."""
    start = time.perf_counter()
    _check(markup.encode("utf-8"), media_type)
    assert time.perf_counter() - start < 30
