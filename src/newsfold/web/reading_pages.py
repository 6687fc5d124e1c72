"""The reader's own pages: unread, saved, hidden and all stories with read/save/hide buttons, a story's reading
page, subscriptions (follow, unfollow, categorise, add by URL), filters and preferences, and the apps page. Every
page has a JSON twin under /api/reading/; every change is a plain form POST (CSRF field included, no JavaScript)."""

# No `from __future__ import annotations` here: FastAPI must see the dependencies in the annotations of the
# nested route functions as objects.

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from newsfold.accounts.passwords import verify_password
from newsfold.errors import NotFoundError
from newsfold.store import accounts, reader_state, streams
from newsfold.store import sources as sources_db
from newsfold.store import subscriptions as subs_db
from newsfold.store.base import Connection
from newsfold.store.streams import Scope, StreamItem, StreamQuery
from newsfold.store.subscriptions import FILTER_FIELDS, FilterField
from newsfold.web.auth import require_user
from newsfold.web.errors import BadRequestError
from newsfold.web.params import language
from newsfold.web.reader import local_path
from newsfold.web.reading import enable_fever, followed, item_content, live_stories, plain, subscribe_url
from newsfold.web.site import Site

MAX_FORM = 16_384
PAGE = 30
VIEWS: dict[str, str] = {"unread": "Unread", "all": "All", "saved": "Saved", "hidden": "Hidden"}
ACTIONS = ("read", "unread", "save", "unsave", "hide", "show")
KINDS = ("article", "press_release", "other")
User = Annotated[accounts.User, Depends(require_user)]
T = TypeVar("T")


async def form(request: Request) -> dict[str, str]:
    """A urlencoded form body's fields (the last of a repeated one); BadRequestError when too big or not UTF-8."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise BadRequestError(f"the form is over {MAX_FORM} bytes")
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as exc:
        raise BadRequestError("the form is not UTF-8") from exc


def _number(value: str | None, name: str) -> int:
    """A whole number from a form or query; BadRequestError otherwise."""
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 18:
        raise BadRequestError(f"{name}: {text[:40]!r} is not a whole number")
    return int(text)


def _cursor(value: str | None) -> int | None:
    """A listing's ?before= item number, or None."""
    return None if value in (None, "") else _number(value, "before")


def _back(values: dict[str, str], default: str) -> RedirectResponse:
    """Back to the page the form was on (a path of this site only)."""
    return RedirectResponse(local_path(values.get("next") or default), status_code=303)


def stream_of(conn: Connection, user_id: int, view: str, before: int | None) -> StreamQuery:
    """The stream a view lists: the subscriptions' stories (every story for a user who follows nothing)."""
    if view not in VIEWS:
        raise NotFoundError(f"view {view[:40]}: no such view (one of {', '.join(VIEWS)})")
    scope: Scope = "subscriptions" if subs_db.subscriptions(conn, user_id) else "everything"
    if view == "saved":
        scope = "saved"
    return StreamQuery(
        user_id=user_id,
        scope=scope,
        state="unread" if view == "unread" else "any",
        hidden=view == "hidden",
        after=before,
        limit=PAGE,
    )


def item_json(item: StreamItem) -> dict[str, Any]:
    """A listed story with the user's state."""
    return {
        "id": item.story_id,
        "item": item.item,
        "title": item.title,
        "languages": item.languages,
        "sources": item.sources,
        "first_published": item.first_published,
        "last_updated": item.last_updated,
        "read": item.read,
        "saved": item.saved,
        "hidden": item.hidden,
    }


def listing(conn: Connection, user: accounts.User, view: str, before: int | None) -> dict[str, Any]:
    """A view's page of stories and the link to the next."""
    query = stream_of(conn, user.id, view, before)
    items = streams.stream(conn, query)
    more = f"/reading/{view}?{urlencode({'before': items[-1].item})}" if len(items) == query.limit else None
    return {
        "view": view,
        "following": query.scope == "subscriptions",
        "stories": [item_json(i) for i in items],
        "next": more,
        "shown_at": datetime.now(UTC).isoformat(),
    }


def story_reading(conn: Connection, user: accounts.User, story_id: str, base_url: str) -> dict[str, Any]:
    """A story's reading page: its state for the user and its content (sources listed, folded text)."""
    numbered = reader_state.story_items(conn, [story_id])
    if story_id not in numbered:
        raise NotFoundError(f"story {story_id[:40]}: no such story")
    live = live_stories(conn, [numbered[story_id]])[numbered[story_id]]
    found = streams.items_of(conn, user.id, [live])
    content = item_content(conn, live, base_url)
    if not found or content is None:
        raise NotFoundError(f"story {story_id[:40]}: no such story")
    return {**item_json(found[0]), "url": content.url, "content_html": content.html}


def subscriptions_view(conn: Connection, user: accounts.User) -> dict[str, Any]:
    """The user's subscriptions, their unread counts, and the registered sources they do not follow."""
    mine = subs_db.subscriptions(conn, user.id)
    counts = streams.unread_counts(conn, user.id)
    followed_ids = {s.source_id for s in mine}
    return {
        "subscriptions": [
            {
                "source_id": s.source_id,
                "url": s.url,
                "name": s.name,
                "title": s.title,
                "category": s.category,
                "unread": counts.get(s.source_id, 0),
            }
            for s in mine
        ],
        "categories": subs_db.categories(conn, user.id),
        "others": [
            {"source_id": s.id, "url": s.url, "name": s.name, "language": s.language}
            for s in sources_db.list_sources(conn)
            if s.id not in followed_ids and not s.blocked
        ],
    }


def filters_view(conn: Connection, user: accounts.User) -> dict[str, Any]:
    """The user's filters and preferences."""
    return {
        "filters": [{"field": f.field, "value": f.value} for f in subs_db.filters(conn, user.id)],
        "unread_on_new_sources": reader_state.unread_on_new_sources(conn, user.id),
        "fields": list(FILTER_FIELDS),
        "kinds": list(KINDS),
    }


def filter_value(field: str, value: str | None) -> tuple[FilterField, str]:
    """A filter from a form, checked: a keyword (2-100 characters), a language code, or an article kind."""
    if field not in FILTER_FIELDS:
        raise BadRequestError(f"field: {field[:40]!r} is not one of {', '.join(FILTER_FIELDS)}")
    checked: FilterField = field
    if checked == "keyword":
        text = plain(value, "value", 100)
        if not text or len(text) < 2:
            raise BadRequestError("value: a keyword needs at least 2 characters")
        return checked, text
    if checked == "language":
        code = language((value or "").strip().lower(), "value")
        if not code:
            raise BadRequestError("value: a language code (such as en) is required")
        return checked, code
    kind = (value or "").strip()
    if kind not in KINDS:
        raise BadRequestError(f"value: {kind[:40]!r} is not one of {', '.join(KINDS)}")
    return checked, kind


async def _read(site: Site, work: Callable[[Connection], T]) -> T:
    """Run read work on a worker thread's connection."""

    def run() -> T:
        """The work on a read connection."""
        with site.db.read() as conn:
            return work(conn)

    return await run_in_threadpool(run)


async def _write(site: Site, work: Callable[[Connection], T]) -> T:
    """Run a change in one write transaction on a worker thread."""

    def run() -> T:
        """The change in a write transaction."""
        with site.db.write() as conn:
            return work(conn)

    return await run_in_threadpool(run)


def _page(site: Site, request: Request, name: str, user: accounts.User, **context: Any) -> Response:
    """A reader's page (never cached: it is this user's)."""
    body = site.render_page(request, name, None, page="reading", user=user, **context)
    response = body.response()
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _view_routes(router: APIRouter, site: Site) -> None:
    """The views, a story's reading page, subscriptions, filters and apps pages, each with its JSON twin."""

    @router.get("/reading")
    async def reading_home() -> Response:
        """The unread view."""
        return RedirectResponse("/reading/unread", status_code=303)

    @router.get("/reading/subscriptions")
    async def subscriptions_page(request: Request, user: User) -> Response:
        """Follow, unfollow, categorise and add sources."""
        data = await _read(site, lambda conn: subscriptions_view(conn, user))
        return _page(site, request, "reading_subscriptions.html", user, data=data)

    @router.get("/api/reading/subscriptions")
    async def subscriptions_json(user: User) -> dict[str, Any]:
        """The subscriptions page's JSON twin."""
        return await _read(site, lambda conn: subscriptions_view(conn, user))

    @router.get("/reading/filters")
    async def filters_page(request: Request, user: User) -> Response:
        """Keyword, language and kind filters, and the new-sources preference."""
        data = await _read(site, lambda conn: filters_view(conn, user))
        return _page(site, request, "reading_filters.html", user, data=data)

    @router.get("/api/reading/filters")
    async def filters_json(user: User) -> dict[str, Any]:
        """The filters page's JSON twin."""
        return await _read(site, lambda conn: filters_view(conn, user))

    @router.get("/reading/apps")
    async def apps_page(request: Request, user: User) -> Response:
        """The server addresses to give reading apps, and the Fever password form."""
        return _page(
            site, request, "reading_apps.html", user, base=site.base_url, done=request.query_params.get("done")
        )

    @router.get("/reading/stories/{story_id}")
    async def story_page(request: Request, story_id: str, user: User) -> Response:
        """A story with the user's buttons."""
        data = await _read(site, lambda conn: story_reading(conn, user, story_id, site.base_url))
        return _page(site, request, "reading_story.html", user, story=data)

    @router.get("/api/reading/stories/{story_id}")
    async def story_json(story_id: str, user: User) -> dict[str, Any]:
        """A story's reading page's JSON twin."""
        return await _read(site, lambda conn: story_reading(conn, user, story_id, site.base_url))

    @router.get("/reading/{view}")
    async def view_page(request: Request, view: str, user: User) -> Response:
        """Unread, all, saved or hidden stories with their buttons."""
        before = _cursor(request.query_params.get("before"))
        data = await _read(site, lambda conn: listing(conn, user, view, before))
        return _page(site, request, "reading.html", user, data=data, views=VIEWS)

    @router.get("/api/reading/{view}")
    async def view_json(request: Request, view: str, user: User) -> dict[str, Any]:
        """A view's JSON twin."""
        before = _cursor(request.query_params.get("before"))
        data = await _read(site, lambda conn: listing(conn, user, view, before))
        if data["next"]:
            data["next"] = "/api" + str(data["next"])
        return data


def _state_routes(router: APIRouter, site: Site) -> None:
    """The forms that change a user's state on stories: read, saved, hidden, mark all as read."""

    @router.post("/reading/stories/{story_id}/{action}")
    async def story_action(request: Request, story_id: str, action: str, user: User) -> Response:
        """Mark a story read or unread, save or unsave it, hide or show it."""
        values = await form(request)
        if action not in ACTIONS:
            raise NotFoundError(f"action {action[:20]}: not one of {', '.join(ACTIONS)}")

        def change(conn: Connection) -> None:
            """The change, on the live story."""
            numbered = reader_state.story_items(conn, [story_id])
            if story_id not in numbered:
                raise NotFoundError(f"story {story_id[:40]}: no such story")
            live = list(live_stories(conn, [numbered[story_id]]).values())
            now = datetime.now(UTC)
            if action in ("read", "unread"):
                reader_state.set_read(conn, user.id, live, action == "read", now)
            elif action in ("save", "unsave"):
                reader_state.set_saved(conn, user.id, live, action == "save", now)
            else:
                reader_state.set_hidden(conn, user.id, live, action == "hide", now)

        await _write(site, change)
        return _back(values, f"/reading/stories/{story_id}")

    @router.post("/reading/mark-all-read")
    async def mark_all(request: Request, user: User) -> Response:
        """Every story shown up to the page's time read (all subscriptions, or one source)."""
        values = await form(request)
        try:
            up_to = datetime.fromisoformat(values.get("up_to") or datetime.now(UTC).isoformat())
        except ValueError as exc:
            raise BadRequestError(f"up_to: {values.get('up_to', '')[:40]!r} is not a time") from exc
        up_to = up_to if up_to.tzinfo else up_to.replace(tzinfo=UTC)
        source = _number(values["source_id"], "source_id") if values.get("source_id") else None
        await _write(
            site,
            lambda conn: reader_state.mark_all_read(
                conn, user.id, up_to, None if source is None else [source], datetime.now(UTC)
            ),
        )
        return _back(values, "/reading/unread")


def _settings_routes(router: APIRouter, site: Site) -> None:
    """The forms that change a user's subscriptions, filters and preferences."""

    @router.post("/reading/subscriptions/{action}")
    async def subscription_action(request: Request, action: str, user: User) -> Response:
        """Follow or unfollow a registered source, rename or categorise one, or add one by URL."""
        values = await form(request)
        title = plain(values.get("title"), "title")
        category = plain(values.get("category"), "category")

        def change(conn: Connection) -> None:
            """The change."""
            now = datetime.now(UTC)
            if action == "add":
                url = (values.get("url") or "").strip()
                if not url:
                    raise BadRequestError("url: the source's address is required")
                subscribe_url(conn, user.id, url, title=title, category=category)
                return
            source = _number(values.get("source_id"), "source_id")
            if action == "follow":
                if sources_db.source_by_id(conn, source) is None:
                    raise NotFoundError(f"source {source}: no such source")
                subs_db.subscribe(conn, user.id, source, now, title=title, category=category)
            elif action == "unfollow":
                if not subs_db.unsubscribe(conn, user.id, source):
                    raise NotFoundError(f"feed {source}: not one of your subscriptions")
            elif action == "edit":
                followed(conn, user.id, source)
                subs_db.set_title(conn, user.id, source, title)
                subs_db.set_category(conn, user.id, source, category)
            else:
                raise NotFoundError(f"action {action[:20]}: not add, follow, unfollow or edit")

        await _write(site, change)
        return _back(values, "/reading/subscriptions")

    @router.post("/reading/filters/{action}")
    async def filter_action(request: Request, action: str, user: User) -> Response:
        """Add or remove a filter, or set the new-sources preference."""
        values = await form(request)

        def change(conn: Connection) -> None:
            """The change."""
            if action == "preferences":
                reader_state.set_unread_on_new_sources(conn, user.id, values.get("unread_on_new_sources") == "on")
                return
            field, value = filter_value(values.get("field") or "", values.get("value"))
            if action == "add":
                subs_db.add_filter(conn, user.id, field, value)
            elif action == "remove":
                if not subs_db.remove_filter(conn, user.id, field, value):
                    raise NotFoundError(f"filter {field}={value[:40]}: you have no such filter")
            else:
                raise NotFoundError(f"action {action[:20]}: not add, remove or preferences")

        await _write(site, change)
        return _back(values, "/reading/filters")


def _apps_routes(router: APIRouter, site: Site) -> None:
    """The form that lets Fever clients in (the Google Reader API needs nothing enabled)."""

    @router.post("/reading/apps/fever")
    async def fever_enable(request: Request, user: User) -> Response:
        """Enable Fever clients with the user's password (checked first)."""
        values = await form(request)
        password = values.get("password") or ""

        def change(conn: Connection) -> None:
            """Check the password, then keep the Fever key's digest."""
            if not verify_password(accounts.password_hash(conn, user.id), password):
                raise BadRequestError("password: not your password")
            enable_fever(conn, user, password)

        await _write(site, change)
        return RedirectResponse("/reading/apps?done=fever", status_code=303)


def reading_router(site: Site) -> APIRouter:
    """The reader's pages, their JSON twins and their forms."""
    router = APIRouter(include_in_schema=False)
    _view_routes(router, site)
    _state_routes(router, site)
    _settings_routes(router, site)
    _apps_routes(router, site)
    return router
