"""Accessibility checks on every page: language, landmarks, one h1, labelled controls, colour contrast."""

from __future__ import annotations

import re
from importlib import resources

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.web.site_fixture import Client, Fixture
from tests.web.test_routes import twins


def test_landmarks_headings_and_labels(client: Client, site_data: Fixture) -> None:
    pages = [page for page, _ in twins(site_data)] + ["/search", "/stories/nope"]
    for page in pages:
        doc = HTMLParser(client.get(page).text)
        assert doc.css_first("html").attributes.get("lang"), page
        assert doc.css_first("title").text().strip(), page
        assert doc.css_first('meta[name="viewport"]') is not None
        for landmark in ("header[role=banner]", "nav", "main#main", "footer[role=contentinfo]", "form[role=search]"):
            assert doc.css_first(landmark) is not None, (page, landmark)
        assert len(doc.css("h1")) == 1, page
        assert doc.css_first('a.skip[href="#main"]') is not None
        labels = {label.attributes.get("for") for label in doc.css("label")}
        for control in doc.css("input:not([type=hidden]), select, textarea"):  # hidden fields have no label
            assert control.attributes.get("id") in labels or control.attributes.get("aria-label"), (page, control.html)
        for nav in doc.css("nav"):
            assert nav.attributes.get("aria-label"), (page, nav.html)
        for table in doc.css("table"):
            assert table.css_first("caption") is not None and table.css("th[scope]"), page


def _luminance(colour: str) -> float:
    """Relative luminance of a #rrggbb colour (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colour_contrast_meets_wcag_aa_in_light_and_dark() -> None:
    css = (resources.files("newsfold.web") / "static" / "site.css").read_text(encoding="utf-8")
    blocks = re.findall(r":root\s*\{([^}]*)\}", css)
    assert len(blocks) == 2, "a light and a dark palette"
    for block in blocks:
        colours = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", block))
        for fg in ("fg", "muted", "accent"):
            for bg in ("bg", "card", "changed", "only"):
                assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg, colours[fg], colours[bg])
        assert contrast(colours["fg"], colours["mark"]) >= 4.5
        assert contrast(colours["focus"], colours["bg"]) >= 3.0
