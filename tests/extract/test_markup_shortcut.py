"""The bounding pass's shortcut (a walk over tags found in C) agrees with the exact pass wherever it says markup
is within bounds."""

from __future__ import annotations

import random

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
