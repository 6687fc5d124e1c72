"""Every reader repro of issue 18: each input gives a document or one InputError, within bounds, never a crash."""

from __future__ import annotations

import io
import json
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.enrich.timeline import TimelineExtractor
from newsfold.errors import InputError
from newsfold.extract.dates import parse_date
from newsfold.extract.dispatch import Extractor
from newsfold.extract.markup import MAX_ATTRIBUTES, MAX_NESTING, bound_markup
from newsfold.ingest.decode import decode
from newsfold.ingest.feeds import parse_feed
from newsfold.ingest.fetch import Fetcher, FetchSettings, retry_after_seconds
from newsfold.ingest.opml import parse_opml, read_opml
from newsfold.ingest.warc import MAX_LINE, iter_warc_stream
from newsfold.model import Article, Origin, Paragraph, RawInput
from newsfold.plausible import plausible, settle_dates, shift_days
from newsfold.store.articles import insert_articles
from newsfold.store.db import Database
from newsfold.urls import join_url, parse_url
from newsfold.web.queries import trending_window

EXTRACTOR = Extractor()


def invoke(args: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process the way main() does, returning status, stdout, stderr."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    return int(result.return_value or 0), result.stdout, result.stderr


BODY = "".join(
    f"<p>The harbour of the town reopened on day {i} after storms had closed it for a week, the port authority "
    "said on Monday afternoon.</p>"
    for i in range(6)
)
JSON_FEED = '{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": ITEMS}'


def page(head: str = "", body: str = BODY) -> bytes:
    """A small HTML article page with extra head markup."""
    return (
        f"<!doctype html><html><head><title>Harbour</title>{head}</head>"
        f"<body><article><h1>Harbour reopens</h1>{body}</article></body></html>"
    ).encode()


def extract(data: bytes, url: str | None = "https://news.example/2024/harbour") -> list[Article]:
    """Extract one HTML input."""
    return EXTRACTOR(RawInput(Origin("page.html"), data, media_type="text/html", url=url))


def jsonld(obj: object) -> str:
    """A JSON-LD script tag."""
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# plausible dates


def test_placeholder_date_in_jsonld_is_undated() -> None:
    """0001-01-01T00:00:00Z, a CMS's "no date", leaves the article undated."""
    (article,) = extract(page(jsonld({"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"})))
    assert article.published is None


def test_old_date_kept_only_when_the_page_names_its_year() -> None:
    """1969 stays for an archive page whose URL says 1969; dropped on a page that never mentions it."""
    head = jsonld({"@type": "NewsArticle", "datePublished": "1969-07-21T10:00:00Z"})
    (archive,) = extract(page(head), url="https://news.example/1969/07/21/archives/moon.html")
    assert archive.published == datetime(1969, 7, 21, 10, tzinfo=UTC)
    (plain,) = extract(page(head), url="https://news.example/moon.html")
    assert plain.published is None


def test_far_future_date_dropped() -> None:
    """A date years ahead is not a publication date; one within the clock skew is."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert plausible(datetime(2031, 1, 1, tzinfo=UTC), now=now) is None
    assert plausible(now + timedelta(hours=20), now=now) is not None
    assert plausible(datetime(1, 1, 1, tzinfo=UTC)) is None


def test_settle_dates_handles_extreme_offsets() -> None:
    """datetime.min with a positive offset cannot be converted to UTC: dropped, not an OverflowError."""
    article = Article(origin=Origin("x"), published=datetime(1, 1, 1, tzinfo=UTC).replace(tzinfo=None))
    assert settle_dates(article).published is None


def test_timeline_of_a_year_one_article_does_not_overflow() -> None:
    """Relative dates against 0001-01-01 (as an old store may hold) give no events instead of OverflowError."""
    article = Article(
        origin=Origin("x"),
        published=datetime(1, 1, 1, tzinfo=UTC),
        paragraphs=[Paragraph("Three days ago the harbour closed. Last month and last year it was open on Monday.")],
    )
    assert TimelineExtractor().events(article) == []
    text = "On 0001-01-03 it opened; two weeks before, it was shut. Yesterday it closed. It closes next year."
    resolver = TimelineExtractor().resolver("en")
    assert all(m.day >= date.min for m in resolver.find(text, date(1, 1, 2)))
    assert all(m.day <= date.max for m in resolver.find("It reopens tomorrow, next week and next year.", date.max))
    assert shift_days(date.min, -1) is None and shift_days(date.max, 1) is None


def test_ingest_of_pages_dated_0001_stores_them_all_undated(tmp_path: Path) -> None:
    """The issue's ingest: pages with datePublished 0001-01-01 are all stored, undated."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(3):
        head = jsonld({"@type": "NewsArticle", "headline": f"Story {i}", "datePublished": "0001-01-01T00:00:00Z"})
        body = "".join(
            f"<p>Story {i}: the {w} council of the town met on {d} to decide on the new bridge over the river.</p>"
            for w, d in (("old", "Monday"), ("new", "Tuesday"), ("third", "Wednesday"), ("last", "Friday"))
        )
        (folder / f"p{i}.html").write_bytes(page(head, body))
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(cli, ["stories", "--db", str(db), "--json"], catch_exceptions=False)
    articles = [a for line in listed.stdout.splitlines() for a in json.loads(line)["articles"]]
    assert len(articles) == 3
    assert all(a["published"] is None for a in articles)


def test_time_zone_no_clock_has_is_no_date() -> None:
    """+99:99 is not an offset: the value is not a date (it used to raise ValueError)."""
    assert parse_date("2024-01-01T10:00:00+99:99") is None
    (article,) = extract(page('<meta property="article:published_time" content="2024-01-01T10:00:00+99:99">'))
    assert article.published is None


# HTML and JSON-LD


def test_jsonld_nested_1000_deep() -> None:
    """JSON-LD nested 1,000 deep (RecursionError before) is skipped; the page is read."""
    (article,) = extract(page('<script type="application/ld+json">' + "[" * 1000 + "]" * 1000 + "</script>"))
    assert "harbour" in article.text
    (article,) = extract(
        page(
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":'
            + "[" * 900
            + '"x"'
            + "]" * 900
            + "}</script>"
        )
    )
    assert article.text


def test_meta_charset_undefined_with_a_non_utf8_byte() -> None:
    """charset="undefined" (a codec that always raises) falls back to detection."""
    (article,) = extract(
        page("<meta charset='undefined'>", BODY + "<p>caf\xe9 au lait et cr\xe8me br\xfbl\xe9e</p>").replace(
            b"\xc3\xa9", b"\xe9"
        )
    )
    assert article.text
    assert decode(b"<meta charset='undefined'>caf\xe9 \xff", "x")
    assert decode(b"<meta charset='rot13'>caf\xe9 \xff", "x")


def test_canonical_link_with_a_broken_ipv6_host() -> None:
    """A canonical link http://[::1/x (ValueError before) is ignored."""
    (article,) = extract(page('<link rel="canonical" href="http://[::1/x">'))
    assert article.canonical_url == "https://news.example/2024/harbour"


def test_closed_nesting_and_attributes_are_bounded() -> None:
    """100k nested, closed <ul> and one tag with 200k attributes are cut down in one linear pass."""
    nested = "<html><body>" + "<ul>" * 100_000 + "</ul>" * 100_000 + "</body></html>"
    bounded = bound_markup(nested)
    assert bounded.count("<ul>") == MAX_NESTING - 2 and bounded.count("</ul>") == MAX_NESTING - 2  # html, body
    wide = "<html><body><div " + " ".join(f"a{i}=x" for i in range(200_000)) + ">text</div></body></html>"
    bounded = bound_markup(wide)
    assert bounded.count("=x") == MAX_ATTRIBUTES and "text</div>" in bounded
    normal = page()
    assert bound_markup(normal.decode()) == normal.decode()


def test_script_text_is_not_counted_as_markup() -> None:
    """Tags written inside a script do not count as nesting."""
    markup = "<html><body><script>" + "<div>" * 1000 + "</script><p>kept</p></body></html>"
    assert bound_markup(markup) == markup


# URLs


@pytest.mark.parametrize(
    "url",
    ["http://0177.0.0.1/", "http://127.000.000.001/", "http://127.1/", "http://0x7f.0.0.1/", "http://2130706433/"],
)
def test_ambiguous_numeric_hosts_are_refused(url: str) -> None:
    """Numeric hosts other than a plain dotted quad are refused by the parser and by the fetcher, never fetched."""
    with pytest.raises(InputError, match="refused: ambiguous numeric host"):
        parse_url(url)
    with Fetcher(FetchSettings(obey_robots=False, retries=0)) as fetcher, pytest.raises(InputError, match="refused"):
        fetcher.fetch(url)


def test_ingest_of_an_octal_loopback_url_is_one_line(tmp_path: Path) -> None:
    """`newsfold ingest http://0177.0.0.1/` says why in one line (httpx.InvalidURL escaped before)."""
    status, _, stderr = invoke(["ingest", "http://0177.0.0.1/", "--db", str(tmp_path / "t.db")])
    assert status == 2
    assert "refused: ambiguous numeric host" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    "url", ["http://[::1/x", "http://a.example:99999/", "http://[fe80::1%25eth0]/", "http://a..b/", "\x00http://a/"]
)
def test_malformed_urls_raise_input_error_only(url: str) -> None:
    """The one URL parser raises InputError and nothing else; join_url gives None."""
    with pytest.raises(InputError):
        parse_url(url)
    assert join_url("https://news.example/", url) is None


# feeds and OPML

RSS = '<rss version="2.0"><channel><title>{title}</title><item><title>{title}</title><link>https://x.example/1</link></item></channel></rss>'


def test_feed_title_with_a_surrogate_reference() -> None:
    """&#xD800; in a feed title (UnicodeEncodeError in feedparser before) becomes U+FFFD."""
    feed = parse_feed(RSS.format(title="&#xD800; and &#55296; and &#x110000;").encode(), "a.rss")
    assert feed.entries[0].title == "\ufffd and \ufffd and \ufffd"
    feed.entries[0].as_page("a.rss").data.decode("utf-8")


def test_bogus_encoding_in_the_prolog() -> None:
    """encoding="bogus" in a feed or OPML prolog (LookupError before) falls back to detection."""
    feed = parse_feed(b'<?xml version="1.0" encoding="bogus"?>' + RSS.format(title="T").encode(), "a.rss")
    assert feed.entries[0].url == "https://x.example/1"
    outlines = parse_opml(
        b'<?xml version="1.0" encoding="bogus"?><opml><body><outline xmlUrl="https://a.example/f"/></body></opml>',
        "a.opml",
    )
    assert [o.url for o in outlines] == ["https://a.example/f"]


def test_json_feed_surrogate_big_number_and_deep_nesting() -> None:
    """A lone surrogate is replaced; a 5,000-digit number and 5,000-deep nesting are one InputError each."""
    items = '[{"url": "https://a.example/1", "title": "\\ud800x", "content_text": "a\\udc00b"}]'
    feed = parse_feed(JSON_FEED.replace("ITEMS", items).encode(), "a.json")
    assert feed.entries[0].title == "\ufffdx"
    feed.entries[0].as_page("a.json").data.decode("utf-8")
    paired = parse_feed(
        JSON_FEED.replace("ITEMS", '[{"url": "https://a.example/1", "title": "\\ud83d\\ude00"}]').encode(), "a.json"
    )
    assert paired.entries[0].title == "\U0001f600"
    for items in ("[" + "1" * 5000 + "]", "[" * 5000 + "]" * 5000):
        with pytest.raises(InputError, match="malformed JSON Feed"):
            parse_feed(JSON_FEED.replace("ITEMS", items).encode(), "a.json")


def test_opml_nested_1000_deep() -> None:
    """Outlines nested 1,000 deep (RecursionError before) are read, category path and all."""
    data = (
        b"<opml><body>"
        + b'<outline text="f">' * 1000
        + b'<outline xmlUrl="https://a.example/f"/>'
        + b"</outline>" * 1000
        + b"</body></opml>"
    )
    (outline,) = parse_opml(data, "a.opml")
    assert outline.url == "https://a.example/f" and outline.category is not None


def test_one_non_http_outline_does_not_abort_import(tmp_path: Path) -> None:
    """`sources import` adds the good outlines, names the bad one, and exits 2."""
    data = (
        b'<opml><body><outline xmlUrl="https://a.example/f"/><outline text="ftp" xmlUrl="ftp://b.example/f"/>'
        b'<outline xmlUrl="https://c.example/f"/></body></opml>'
    )
    listed = read_opml(data, "a.opml")
    assert [o.url for o in listed.outlines] == ["https://a.example/f", "https://c.example/f"]
    assert len(listed.problems) == 1
    path = tmp_path / "a.opml"
    path.write_bytes(data)
    status, stdout, stderr = invoke(["sources", "import", str(path), "--db", str(tmp_path / "t.db")])
    assert status == 2
    assert "2 sources added" in stdout and "ftp://b.example/f" in stderr


def test_rss_plus_good_file_ingest(tmp_path: Path) -> None:
    """The issue's command: the bad feed is one failure, the good file is stored."""
    bad = tmp_path / "a.rss"
    bad.write_text(RSS.format(title="&#xD800;"))
    good = tmp_path / "good.html"
    good.write_bytes(page())
    result = CliRunner().invoke(
        cli, ["ingest", str(bad), str(good), "--db", str(tmp_path / "t.db")], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    assert "1 new" in result.output or "new" in result.output


# WARC


def _warc_record(content_length: bytes) -> bytes:
    """A response record with the given Content-Length value."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page()
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
        + content_length
        + b"\r\n\r\n"
        + http
        + b"\r\n\r\n"
    )


@pytest.mark.parametrize("length", [b"", b" ", b"abc", b"-5"])
def test_warc_record_with_a_bad_content_length(length: bytes) -> None:
    """An empty or bad Content-Length gives RawInputs or InputErrors, never another exception."""
    for item in iter_warc_stream(io.BytesIO(_warc_record(length)), "a.warc"):
        assert isinstance(item, (RawInput, InputError))


def test_warc_gzip_bomb_header_line_is_capped() -> None:
    """A 1 MB .warc.gz inflating to a 1 GB header line stops at the line cap, in bounded memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: ")]
    chunk = b"a" * (1 << 20)
    parts.extend(packer.compress(chunk) for _ in range(64))
    parts.append(packer.flush())
    (error,) = list(iter_warc_stream(io.BytesIO(b"".join(parts)), "bomb.warc.gz"))
    assert isinstance(error, InputError) and f"over {MAX_LINE} bytes" in error.reason


def test_warc_endless_blank_lines_are_capped() -> None:
    """Millions of header lines in a row are refused, not parsed."""
    data = b"WARC/1.0\r\nWARC-Type: response\r\n" + b"X: y\r\n" * 100_000
    (error,) = list(iter_warc_stream(io.BytesIO(data), "lines.warc"))
    assert isinstance(error, InputError) and "header lines in a row" in error.reason


def test_trending_window_with_a_year_one_article_in_the_store(tmp_path: Path) -> None:
    """A store that holds a 0001-01-01 article (written before plausible dates) does not overflow the trends."""

    db = Database(tmp_path / "t.db")
    try:
        old = Article(origin=Origin("old.html"), title="Old", published=datetime(1, 1, 1, tzinfo=UTC))
        old.paragraphs = [Paragraph("The harbour reopened after the storms, the authority said.")]
        with db.write() as conn:
            insert_articles(conn, [old])
        now = datetime(2026, 1, 2, tzinfo=UTC)
        with db.read() as conn:
            window = trending_window(conn, now)
        assert window.end == now and window.start == now - timedelta(hours=24)
    finally:
        db.close()


def test_rfc2822_date_with_a_huge_year() -> None:
    """A 200-digit year in an RFC 2822 date (OverflowError, found by the fuzzer) is no date, here and in Retry-After."""

    text = "Mon, " + "9" * 200
    assert parse_date(text) is None
    assert retry_after_seconds(text) is None
