"""Untrusted text stays text: no script, handler, javascript: link or style from a source reaches a page."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.web.text import safe_url, snippet_html, text_html
from tests.web.site_fixture import Client, Fixture

pytestmark = pytest.mark.both_backends


def hostile_pages(data: Fixture) -> list[str]:
    """Every page that shows the hostile articles."""
    return [
        "/",
        "/?limit=200",
        f"/articles/{data.hostile_article}",
        f"/articles/{data.hostile_article}?lang=original",
        f"/stories/{data.hostile_story}",
        f"/articles/{data.hostile_story}",
        "/search?q=hostile",
        "/search?q=paragraph",
        "/sources",
        "/sources/" + quote("Evil <b>Outlet</b>", safe=""),
        "/day/2023-05-17",
    ]


def assert_inert(page: str, body: str) -> None:
    """No element a source could have injected: scripts, handlers, styles, frames, javascript: URLs."""
    doc = HTMLParser(body)
    scripts = [s.attributes.get("src") for s in doc.css("script")]
    assert scripts == ["/static/site.js"], page
    assert not doc.css("style, iframe, object, embed, svg, img, base, meta[http-equiv]"), page
    for node in doc.css("*"):
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (page, node.tag, name)
            assert name.lower() != "style", (page, node.tag)
            if name in ("href", "src", "action"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")), page


def test_hostile_page_text_is_escaped_everywhere(client: Client, site_data: Fixture) -> None:
    for page in hostile_pages(site_data):
        r = client.get(page)
        assert r.status_code == 200, page
        assert_inert(page, r.text)
    article = client.get(f"/articles/{site_data.hostile_article}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article
    assert "&lt;img src=x onerror" in article


def test_hostile_links_are_not_linked(client: Client, site_data: Fixture) -> None:
    story = client.get(f"/stories/{site_data.hostile_story}")
    doc = HTMLParser(story.text)
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in story.text
    assert not [a for a in doc.css("a") if "pwned" in (a.attributes.get("href") or "")]
    reader = HTMLParser(client.get(f"/articles/{site_data.hostile_story}").text)
    assert reader.css_first('link[rel="canonical"]') is None
    assert "pwned" not in " ".join(a.attributes.get("href") or "" for a in reader.css("a"))


def test_headers_on_every_kind_of_response(client: Client, site_data: Fixture) -> None:
    pages = ("/", f"/stories/{site_data.seed_story}", "/api/stories", "/feeds/latest.atom", "/nope", "/static/site.css")
    for page in pages:
        r = client.get(page)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp and "style-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"]
        assert r.headers["server-timing"].startswith("app;dur=")


def test_text_helpers() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    bad_urls = ("javascript:alert(1)", " javascript:x", "java\tscript:alert(1)", "data:text/html,x", "//x.org", "")
    for bad in (*bad_urls, None):
        assert safe_url(bad) is None
    assert str(snippet_html("a [[<b>]] c")) == "a <mark>&lt;b&gt;</mark> c"
    assert str(snippet_html("unbalanced [[x")) == "unbalanced <mark>x</mark>"
    assert str(text_html("<script>x</script>\n\ntwo")) == "<p>&lt;script&gt;x&lt;/script&gt;</p>\n<p>two</p>"


def test_head_is_a_bodiless_get(client: Client) -> None:
    get = client.get("/feeds/latest.atom")
    head = client.request("HEAD", "/feeds/latest.atom")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.content))
    assert client.request("HEAD", "/api/stories/nope").status_code == 404
