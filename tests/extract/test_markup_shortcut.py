"""The bounding pass's shortcut (a walk over tags found in C) agrees with the exact pass wherever it says markup
is within bounds."""

from __future__ import annotations

import random
import re

import pytest

from newsfold.extract import markup

PARTS = (
    "<div>", "</div>", "<p>", "</p>", "<li>", "<b>", "</b>", "<br>", "<br/>", "<script>", "</script>", "<SCRIPT >",
    "</script >", "<style>", "</style>", "<title>", "</title>", "<div/>", "<script/>", "<a <b>", "x < y", "<", ">",
    "text", "<!-- ", " -->", "</", "<i", "</i>", "<i>", "<scriptx>", '<a title="<script>">', "<textarea>",
    "<div" + " a=1" * 6 + " x" * 1100 + ">", '<img src="' + "x" * 2100 + '"/>', "<p " + "y" * 2060 + " z>",
)  # fmt: skip


def test_shortcut_never_passes_what_the_exact_pass_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """On random markup at a nesting cap of 6 and 4 attributes a long tag, every input the shortcut passes comes out
    of the exact pass unchanged, and the shortcut passes most of those."""
    shortcut = markup._within_bounds
    monkeypatch.setattr(markup, "MAX_NESTING", 6)
    monkeypatch.setattr(markup, "MAX_ATTRIBUTES", 4)
    # bound_markup now always runs the exact pass
    monkeypatch.setattr(markup, "_within_bounds", lambda text, long_tags: False)
    rng = random.Random(16)
    passed = unchanged = 0
    for _ in range(20_000):
        text = "".join(rng.choice(PARTS) for _ in range(rng.randint(1, 30)))
        exact_unchanged = markup.bound_markup(text) == text
        unchanged += exact_unchanged
        if shortcut(text, markup._LONG_TAG.search(text) is not None):
            passed += 1
            assert exact_unchanged, text
    assert passed > unchanged * 0.8


def test_deep_nesting_behind_a_script_is_bounded() -> None:
    """Tags nested past the cap after a script (which the shortcut skips whole) are still dropped."""
    deep = "<script>var a = '</div>';</script>" + "<div>" * (markup.MAX_NESTING + 10) + "x"
    assert not markup._within_bounds(deep, False)
    assert markup.bound_markup(deep).count("<div>") == markup.MAX_NESTING


def test_long_tag_within_the_attribute_cap_is_left_as_it_is() -> None:
    """A long tag (an inline image's data URL) holding few attributes keeps its self-closing slash and spacing."""
    tag = '<img loading="lazy" src="data:image/png;base64,' + "A" * 3000 + '" />'
    assert markup.bound_markup(f"<p>{tag}</p>") == f"<p>{tag}</p>"


# raw-text element names in every case, with what IGNORECASE folds to their letters (U+017F to s, U+212A to k,
# U+0130 and U+0131 to i) and near misses
_RAW_PIECES = (
    "<script>", "<SCRIPT x>", "<ScRiPt/>", "<\u017fcript>", "<\u017ftyle>", "<style", "<Title>", "<t\u0131tle>",
    "<T\u0130TLE>", "<xmp>", "<XMP>", "<noembed>", "<NoFrames>", "<plaintext>", "<textarea>", "<scripts>", "<s>",
    "<p>", "<st>", "< script>", "<", ">", "a", "S", "\u017f", "\u212a", "t", "x", "n", "p", "<-", ":", " ",
)  # fmt: skip


def _raw_starts(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str, str]]:
    """Every match of pattern in text: its span and groups."""
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in pattern.finditer(text)]


def test_raw_open_lookahead_finds_what_the_plain_pattern_finds() -> None:
    """The raw-text start tag pattern with its first-letter lookahead matches exactly what the pattern without it
    matches, on random markup in every case (a lookahead that ignored case folding would miss U+017F)."""
    names = "|".join(sorted(markup._RAW_TEXT))
    plain = re.compile(r"<(" + names + r")(?![a-zA-Z0-9:-])([^>]*)>", re.IGNORECASE)
    unfolded = re.compile(rf"<(?=(?-i:[{markup._RAW_FIRST}]))(" + names + r")(?![a-zA-Z0-9:-])([^>]*)>", re.I)
    rng = random.Random(1616)
    found = missed = 0
    for _ in range(20_000):
        text = "".join(rng.choice(_RAW_PIECES) for _ in range(rng.randint(1, 12)))
        expected = _raw_starts(plain, text)
        assert _raw_starts(markup._RAW_OPEN, text) == expected, text
        found += bool(expected)
        missed += _raw_starts(unfolded, text) != expected
    assert found > 5_000
    assert missed > 0  # the test tells a lookahead that drops case folding


_ATTRIBUTE_PIECES = (
    " ", "  ", "\t", "\n", "\u00a0", "\u2003", "a", "data-x", "b=1", "c=", "=", '"', "'", '"v w"', "'v'", '="x"',
    "='y'", "=z", "/", "é", 'q="a"r="b"', "s='1't='2'",
)  # fmt: skip


def test_attribute_count_bound_never_spares_a_tag_the_cap_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """_cap_attributes (which skips the scan where whitespace pieces plus quotes are within the cap) against the
    scan itself, on random tags at a cap of 4; a bound of whitespace pieces alone (quotes not counted) fails."""
    monkeypatch.setattr(markup, "MAX_ATTRIBUTES", 4)
    rng = random.Random(16)
    spared = capped = undercounted = 0
    for _ in range(20_000):
        tag = "<div" + "".join(rng.choice(_ATTRIBUTE_PIECES) for _ in range(rng.randint(0, 30))) + ">"
        exact = markup._capped(tag, "div")
        assert markup._cap_attributes(tag, "div") == exact, tag
        spared += markup.most_attributes(tag) <= markup.MAX_ATTRIBUTES
        capped += exact != tag
        undercounted += len(tag.split()) <= markup.MAX_ATTRIBUTES and exact != tag
    assert spared > 2_000
    assert capped > 200
    assert undercounted > 0
