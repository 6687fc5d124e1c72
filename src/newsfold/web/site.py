"""The site's shared parts: the database, the response cache, the templates and the reader's translator."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from importlib import resources
from typing import Any, cast

import anyio
import anyio.to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from newsfold import __version__
from newsfold.config import Config
from newsfold.enrich.timeline import at_precision
from newsfold.language.reader import ModelReader, ReaderTranslator
from newsfold.model import Paragraph, Role
from newsfold.store.base import Backend, Connection
from newsfold.store.removals import removal_mark
from newsfold.store.term_counts import TermCounts
from newsfold.text.dates import utc
from newsfold.web.cache import DataVersion, ResponseCache, SingleFlight
from newsfold.web.personal import account_menu, csrf_field, csrf_meta
from newsfold.web.reader import offered_languages, page_language, reader_context
from newsfold.web.story.differences import segments_html
from newsfold.web.text import host_of, paragraphs_html, safe_url, snippet_html, text_html

log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"
# how long a page with a stamp of its own (a story's row; the trends and outlets aggregates) may be served
OWN_STAMP_MAX_AGE = 60.0
StampOf = Callable[[Connection], Hashable | None]
Stored = Callable[[Connection], "Body | None"]
ROLES = ("body", "heading", "standfirst", "caption", "quote")


@dataclass(slots=True, frozen=True)
class Body:
    """A rendered response body, as cached: bytes, media type, status and an entity tag."""

    content: bytes
    media_type: str
    status: int = 200
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        """Tag the content (a strong validator: same bytes, same tag)."""
        object.__setattr__(self, "etag", '"' + hashlib.blake2b(self.content, digest_size=12).hexdigest() + '"')

    def response(self, if_none_match: str | None = None, vary: str | None = None) -> Response:
        """A fresh response carrying this body, or 304 when the client already holds it."""
        headers = {"ETag": self.etag, "Cache-Control": "no-cache"}
        if vary:
            headers["Vary"] = vary
        if self.status == 200 and if_none_match and self.etag in if_none_match:
            return Response(status_code=304, headers=headers)
        return Response(self.content, status_code=self.status, media_type=self.media_type, headers=headers)


def when(value: str | datetime | None) -> str:
    """A stored time shown to a reader: 'YYYY-MM-DD HH:MM' in UTC (naive times taken as UTC), or ''."""
    moment = utc(value)
    if moment is None:
        return ""
    text = moment.strftime("%Y-%m-%d %H:%M")
    return text[:10] if text.endswith(" 00:00") else text


def event_date(event: dict[str, Any]) -> tuple[str, str]:
    """A timeline event's date at its precision: (the machine form for <time datetime>, the text a reader sees)."""
    return at_precision(str(event.get("date") or ""), str(event.get("precision") or "day"))


def code_spans(text: str) -> Markup:
    """A note of the site's own with its `commands` set as <code> (the text escaped first)."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


def day_of(value: str | datetime | None) -> str:
    """The UTC day (YYYY-MM-DD) of a stored time, for a link to the day archive, or ''."""
    moment = utc(value)
    return moment.date().isoformat() if moment is not None else ""


def later(value: str | datetime | None, than: str | datetime | None) -> bool:
    """Whether a time (an update) is a later instant than another (the publication): offsets compared in UTC."""
    moment, other = utc(value), utc(than)
    if moment is None:
        return False
    return other is None or moment > other


# what a page calls the site of a copy that names neither itself nor its address
UNNAMED = "unnamed site"


def outlet(source: dict[str, Any] | None) -> str:
    """An outlet's display name: its name, else its URL's host, else 'unnamed site'."""
    if not source:
        return UNNAMED
    return str(source.get("name") or host_of(source.get("url")) or UNNAMED)


def outlets(articles: list[dict[str, Any]]) -> list[str]:
    """The distinct outlets of a story's articles, in order."""
    seen: list[str] = []
    for article in articles:
        name = outlet(article.get("source"))
        if name not in seen:
            seen.append(name)
    return seen


def _paragraph(item: dict[str, Any]) -> Paragraph:
    """A paragraph from its JSON shape."""
    role = item.get("role") if item.get("role") in ROLES else "body"
    return Paragraph(text=str(item.get("text") or ""), role=cast(Role, role))


def _dataclass_json(value: object) -> object:
    """A dataclass inside JSON data (a page value's part, a reader summary) as an object of its fields, in order."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"{type(value).__name__}: not JSON data")  # json.dumps's own protocol for an unknown value


def aggregate_stamp(conn: Connection) -> str:
    """The stamp of pages summing up the whole store (trends, outlets): kept OWN_STAMP_MAX_AGE s, commits or not."""
    return "aggregate"


def source_count(articles: list[dict[str, Any]]) -> int:
    """How many outlets a story's articles come from (each article of unknown outlet counted as its own)."""
    known = {outlet(a.get("source")) for a in articles if outlet(a.get("source")) != UNNAMED}
    return len(known) + sum(1 for a in articles if outlet(a.get("source")) == UNNAMED)


def templates_stamp() -> str:
    """What rendered pages depend on in the code: the package's version and every template's text."""
    folder = resources.files("newsfold.web") / "templates"
    digest = hashlib.blake2b(__version__.encode("utf-8"), digest_size=12)
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_file():
            digest.update(item.name.encode("utf-8") + b"\0" + item.read_bytes())
    return digest.hexdigest()


def models_stamp(translator: ReaderTranslator) -> str:
    """Which translation models a reader translator uses (their names), or 'none'."""
    if isinstance(translator, ModelReader):
        return ",".join(sorted(info.name for info in translator.models.list())) or "none"
    return "none"


def make_templates() -> Environment:
    """The Jinja environment: packaged templates, autoescaped, with the site's filters."""
    folder = resources.files("newsfold.web") / "templates"
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(["html", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["when"] = when
    env.filters["day_of"] = day_of
    env.filters["event_date"] = event_date
    env.filters["code_spans"] = code_spans
    env.tests["later_than"] = later
    env.filters["outlet"] = outlet
    env.filters["outlets"] = outlets
    env.filters["source_count"] = source_count
    env.filters["snippet"] = snippet_html
    env.filters["paragraphs_html"] = lambda items: paragraphs_html([_paragraph(item) for item in items])
    env.filters["paragraphs_text"] = text_html
    env.filters["segments_html"] = segments_html
    # markers the accounts middleware fills in per request (pages are cached for everyone)
    env.globals["csrf_field"] = csrf_field
    env.globals["csrf_meta"] = csrf_meta
    env.globals["account_menu"] = account_menu
    return env


class Site:
    """What every route shares; read work runs in worker threads, cached per database version."""

    def __init__(
        self, db: Backend, config: Config, translator: ReaderTranslator, templates: Environment | None = None
    ) -> None:
        """Serve db with these settings and this translator (rendering with templates, else a fresh environment)."""
        self.db = db
        self.config = config
        self.translator = translator
        self.version = DataVersion(db)
        self.terms = TermCounts(db)
        self.cache: ResponseCache[Body] = ResponseCache(int(config["web.cache_entries"]))
        self.flights: SingleFlight[tuple[Body, float, float]] = SingleFlight()
        self.templates = templates or make_templates()
        languages = list(config["reader_languages"]) or ["en"]
        self.reader_languages: list[str] = [str(lang) for lang in languages]
        # what the header's "Read in" menu offers: the reader languages an installed model translates into
        self.offered_languages = offered_languages(translator, self.reader_languages)
        # what a page rendered ahead (story_pages) was rendered with: stale when any of it differs
        self.render_context = "|".join([templates_stamp(), models_stamp(translator), ",".join(self.reader_languages)])
        self.live_builds = max(1, int(config["web.live_builds"]))
        self._builds: anyio.CapacityLimiter | None = None
        self._background: set[asyncio.Task[tuple[Body, float, float]]] = set()  # rebuilds nobody waits for
        self._serving = 0  # requests waiting for a build now

    @property
    def base_url(self) -> str:
        """The site's public address (serve.base_url, else http://serve.host:serve.port), without a final /."""
        configured = str(self.config["serve.base_url"]).strip().rstrip("/")
        if configured:
            return configured
        host = str(self.config["serve.host"])
        host = f"[{host}]" if ":" in host and not host.startswith("[") else host
        return f"http://{host}:{int(self.config['serve.port'])}"

    @property
    def default_language(self) -> str:
        """The language a page is shown in without a choice (the first reader language)."""
        return self.reader_languages[0]

    def builds(self) -> anyio.CapacityLimiter:
        """The limiter of concurrent page builds (made on first use, inside the event loop)."""
        if self._builds is None:
            self._builds = anyio.CapacityLimiter(self.live_builds)
        return self._builds

    def page_language(self, request: Request) -> str | None:
        """The language this page request is shown in (None: the original)."""
        return page_language(request, self.reader_languages)

    def render_page(self, request: Request, name: str, language: str | None, **context: Any) -> Body:
        """A page rendered with the header's language form set for this request."""
        return self.render(name, reader=reader_context(request, self.offered_languages, language), **context)

    def render(self, name: str, status: int = 200, **context: Any) -> Body:
        """A template rendered to an HTML body."""
        text = self.templates.get_template(name).render(**context)
        return Body(text.encode("utf-8"), HTML_TYPE, status)

    @staticmethod
    def json(data: Any, status: int = 200, media_type: str = JSON_TYPE) -> Body:
        """Data as a JSON body."""
        return Body(json.dumps(data, ensure_ascii=False, default=_dataclass_json).encode("utf-8"), media_type, status)

    def _run(self, build: Callable[[Connection], Body]) -> tuple[Body, float]:
        """Run build on this thread's read connection: the body and the seconds it took (waiting excluded)."""
        started = time.perf_counter()
        with self.db.read() as conn:
            body = build(conn)
        return body, time.perf_counter() - started

    async def _build(
        self, build: Callable[[Connection], Body], key: Hashable, stamp: Hashable | None
    ) -> tuple[Body, float, float]:
        """Build a page in a worker thread (at most `web.live_builds` at once) and cache it at stamp when it is a
        page (200): the body, the seconds the build took and the seconds it waited for a slot."""
        queued = time.perf_counter()
        marks: list[int] = []

        def marked(conn: Connection) -> Body:
            """The page, noting the store's removal mark in the same read."""
            marks.append(removal_mark(conn))
            return build(conn)

        built, took = await anyio.to_thread.run_sync(self._run, marked, limiter=self.builds())
        waited = time.perf_counter() - queued - took
        if built.status == 200:
            self.cache.put(key, stamp, built, marks[0] if marks else None)
        return built, took, waited

    def stamp(self, stamp_of: StampOf | None) -> tuple[Hashable | None, float | None]:
        """What a cached page must match and how old it may be: the database's version, or the page's own stamp."""
        if stamp_of is None or not self.version.enabled:
            return self.version.current(), None
        with self.db.read() as conn:
            return stamp_of(conn), OWN_STAMP_MAX_AGE

    async def respond(  # noqa: PLR0913  one response path for every page: what it builds, and how it is cached and translated
        self,
        request: Request,
        kind: str,
        build: Callable[[Connection], Body],
        extra: str = "",
        stamp_of: StampOf | None = None,
        language: str | None = None,
        stored: Stored | None = None,
    ) -> Response:
        """The cached body for this request at its stamp, else a stored one, else build it in a worker thread.

        Pages are stamped with the database's version (any commit renews them) unless stamp_of gives one of their
        own (a story page: its row), which lets them outlive commits elsewhere, for OWN_STAMP_MAX_AGE seconds at most.
        The reader's language is part of the key: a page in another language is another page (HTML pages take it
        from a cookie too, so they vary on it). stored answers from a page rendered ahead (a few indexed reads, run
        on the event loop: a hand-off to a thread costs more under the GIL than the read) or None. Builds run at
        most `web.live_builds` at a time; the others wait their turn, and the wait is reported as Server-Timing
        "queue". One build per page and stamp at a time (single flight): requests for a page being built share that
        build. A page stamped with the database's version (listings, feeds, search) cached less than
        OWN_STAMP_MAX_AGE s ago is answered as it was after a commit while other requests wait for builds (a busy
        site: readers never queue behind the writer's commits), and rebuilt once in the background for the next
        requests; never after a takedown (what it removed is not shown again). A request alone waits for the build.
        """
        started = time.perf_counter()
        key = (kind, request.url.path, request.url.query, extra, language)
        stamp, max_age = self.stamp(stamp_of)
        body = self.cache.get(key, stamp, max_age)
        waited = 0.0
        if body is None and stored is not None:
            with self.db.read() as conn:
                body = stored(conn)
            if body is not None:
                self.cache.put(key, stamp, body)
        previous = None
        if body is None and stamp_of is None:
            previous = self.cache.latest_marked(key, OWN_STAMP_MAX_AGE)
            if previous is not None and previous[1] != self._mark():
                previous = None  # something was taken down since: never shown again
        spent = time.perf_counter() - started
        if body is None and previous is not None and self._serving > 0:
            # other requests are being answered: this one gets the page as it was, rebuilt meanwhile (once)
            body = previous[0]
            if not self.flights.running((key, stamp)):
                task = asyncio.ensure_future(self.flights.run((key, stamp), lambda: self._build(build, key, stamp)))
                self._background.add(task)
                task.add_done_callback(self._finished)
        if body is None:
            self._serving += 1
            try:
                built, took, waited = await self.flights.run((key, stamp), lambda: self._build(build, key, stamp))
            finally:
                self._serving -= 1
            spent += took
            body = built
        response = body.response(request.headers.get("if-none-match"), "Cookie" if kind == "html" else None)
        # the handler's own work (stamp, cache, stored page or build), without the wait for a worker thread or the
        # event loop; then the wait for a build slot when there was one
        timing = f"handler;dur={spent * 1000:.3f}"
        if waited > 0:
            timing += f", queue;dur={waited * 1000:.3f}"
        response.headers["server-timing"] = timing
        return response

    async def settle(self) -> None:
        """Wait until the rebuilds nobody waited for are done."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def _mark(self) -> int:
        """The store's removal mark now."""
        with self.db.read() as conn:
            return removal_mark(conn)

    def _finished(self, task: asyncio.Task[tuple[Body, float, float]]) -> None:
        """Forget a rebuild nobody waited for (its failure, already the rebuild's own, is not raised again)."""
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("a page's rebuild failed", exc_info=task.exception())

    def close(self) -> None:
        """Release what the site holds (not the database, which its owner closes)."""
        self.version.close()
        self.terms.close()
