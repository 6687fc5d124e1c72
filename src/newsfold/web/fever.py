"""The Fever API under /api/fever/ (give apps http://HOST/api/fever/ as the server): api_key is md5("name:password"),
enabled by the user on the apps page; groups are the user's categories, feeds their subscriptions, items stories."""

from __future__ import annotations

import math
import re
import time
import zlib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from newsfold.store import accounts, reader_state, streams
from newsfold.store import subscriptions as subs_db
from newsfold.store.base import Connection
from newsfold.store.streams import StreamItem, StreamQuery
from newsfold.web.errors import BadRequestError
from newsfold.web.limiter import LoginLimiter
from newsfold.web.reading import followed, item_content, live_stories, token_user
from newsfold.web.site import Site

PREFIX = "/api/fever"
MAX_BODY = 1 << 16
PAGE = 50
# the most ids unread_item_ids and saved_item_ids list (the newest)
MAX_IDS = 50_000
_KEY = re.compile(r"^[0-9a-fA-F]{32}$")


def group_id(category: str) -> int:
    """A category's stable group number (Fever groups are numbers; categories are names)."""
    return (zlib.crc32(category.encode("utf-8")) & 0x7FFFFFFF) or 1


def _number(params: dict[str, str], name: str, low: int = 0) -> int | None:
    """A whole-number parameter, or None when absent; BadRequestError when malformed."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if not re.fullmatch(r"-?\d{1,19}", value.strip()):
        raise BadRequestError(f"{name}: {value[:40]!r} is not a whole number")
    number = int(value)
    if number < low:
        raise BadRequestError(f"{name}: {number} is below {low}")
    return number


def _ids(params: dict[str, str], name: str) -> list[int]:
    """A comma-separated list of item numbers (at most PAGE)."""
    parts = [p.strip() for p in (params.get(name) or "").split(",") if p.strip()]
    if len(parts) > PAGE:
        raise BadRequestError(f"{name}: at most {PAGE} ids at once")
    if not all(p.isdigit() and len(p) <= 19 for p in parts):
        raise BadRequestError(f"{name}: must be comma-separated item ids")
    return [int(p) for p in parts]


def _seconds(value: str | None) -> int:
    """A stored ISO time as seconds since the epoch (0 when unknown)."""
    if not value:
        return 0
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return 0
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


class Fever:
    """The API's work over one site."""

    def __init__(self, site: Site, limiter: LoginLimiter) -> None:
        """Serve site's database; wrong keys count per client address in the app's one login limiter."""
        self.site = site
        self.db = site.db
        self.limiter = limiter

    def answer(self, params: dict[str, str], client: str) -> Response:
        """One API call: authenticate by api_key, then answer every part asked (or change what mark asks)."""
        base: dict[str, Any] = {
            "api_version": 3,
            "auth": 0,
            "last_refreshed_on_time": int(datetime.now(UTC).timestamp()),
        }
        key = (params.get("api_key") or "").strip().lower()
        wait = self.limiter.retry_after(f"fever@{client}", client, time.monotonic())
        if wait > 0:
            return JSONResponse(base, status_code=429, headers={"Retry-After": str(math.ceil(wait))})
        with self.db.read() as conn:
            user = token_user(conn, "fever", key) if _KEY.match(key) else None
        if user is None:
            self.limiter.failed(f"fever@{client}", client, time.monotonic())
            return JSONResponse(base, status_code=401)
        base["auth"] = 1
        if "mark" in params:
            with self.db.write() as conn:
                self.mark(conn, user, params)
        with self.db.read() as conn:
            base.update(self.parts(conn, user, params))
        return JSONResponse(base)

    def parts(self, conn: Connection, user: accounts.User, params: dict[str, str]) -> dict[str, Any]:
        """The parts of the answer the request names."""
        out: dict[str, Any] = {}
        subs = subs_db.subscriptions(conn, user.id)
        if "groups" in params or "feeds" in params:
            groups: dict[str, list[int]] = {}
            for sub in subs:
                if sub.category:
                    groups.setdefault(sub.category, []).append(sub.source_id)
            out["feeds_groups"] = [
                {"group_id": group_id(c), "feed_ids": ",".join(str(i) for i in ids)} for c, ids in groups.items()
            ]
            if "groups" in params:
                out["groups"] = [{"id": group_id(c), "title": c} for c in groups]
            if "feeds" in params:
                out["feeds"] = [
                    {
                        "id": s.source_id,
                        "favicon_id": 0,
                        "title": s.shown_title,
                        "url": s.url,
                        "site_url": s.url,
                        "is_spark": 0,
                        "last_updated_on_time": 0,
                    }
                    for s in subs
                ]
        if "favicons" in params:
            out["favicons"] = []
        if "links" in params:
            out["links"] = []
        if "items" in params:
            out.update(self.items(conn, user, params))
        if "unread_item_ids" in params:
            query = StreamQuery(user_id=user.id, state="unread", limit=MAX_IDS)
            out["unread_item_ids"] = ",".join(str(i) for i in streams.item_numbers(conn, query))
        if "saved_item_ids" in params:
            query = StreamQuery(user_id=user.id, scope="saved", limit=MAX_IDS)
            out["saved_item_ids"] = ",".join(str(i) for i in streams.item_numbers(conn, query))
        return out

    def items(self, conn: Connection, user: accounts.User, params: dict[str, str]) -> dict[str, Any]:
        """items: with_ids, else since_id (oldest first after it), else max_id (newest first before it)."""
        with_ids = _ids(params, "with_ids") if params.get("with_ids") else None
        since, before = _number(params, "since_id"), _number(params, "max_id")
        if with_ids is not None:
            live = live_stories(conn, with_ids)
            found = streams.items_of(conn, user.id, list(dict.fromkeys(live.values())))
        elif since is not None:
            found = streams.stream(conn, StreamQuery(user_id=user.id, after=since, oldest_first=True, limit=PAGE))
        elif before is not None:
            found = streams.stream(conn, StreamQuery(user_id=user.id, after=before or None, limit=PAGE))
        else:
            found = streams.stream(conn, StreamQuery(user_id=user.id, after=0, oldest_first=True, limit=PAGE))
        return {"items": self.items_json(conn, user, found), "total_items": streams.count(conn, StreamQuery(user.id))}

    def items_json(self, conn: Connection, user: accounts.User, found: list[StreamItem]) -> list[dict[str, Any]]:
        """Stories as Fever items."""
        mine = {s.source_id for s in subs_db.subscriptions(conn, user.id)}
        origins = streams.story_sources(conn, [i.story_id for i in found])
        out = []
        for item in found:
            content = item_content(conn, item.story_id, self.site.base_url)
            if content is None:
                continue
            sources = origins.get(item.story_id, [])
            feed = next((s for s in sources if s in mine), sources[0] if sources else 0)
            out.append(
                {
                    "id": item.item,
                    "feed_id": feed,
                    "title": content.title,
                    "author": content.author or "",
                    "html": content.html,
                    "url": content.url or f"{self.site.base_url}/stories/{item.story_id}",
                    "is_saved": 1 if item.saved else 0,
                    "is_read": 1 if item.read else 0,
                    "created_on_time": _seconds(item.created),
                }
            )
        return out

    def mark(self, conn: Connection, user: accounts.User, params: dict[str, str]) -> None:
        """mark=item|feed|group, as=read|unread|saved|unsaved, id, and before (feeds and groups)."""
        what, state = params.get("mark"), params.get("as")
        target = _number(params, "id", low=-1)
        if target is None:
            raise BadRequestError("id: required with mark")
        now = datetime.now(UTC)
        if what == "item":
            stories = list(live_stories(conn, [target]).values())
            if state in ("read", "unread"):
                reader_state.set_read(conn, user.id, stories, state == "read", now)
            elif state in ("saved", "unsaved"):
                reader_state.set_saved(conn, user.id, stories, state == "saved", now)
            else:
                raise BadRequestError(f"as: {str(state)[:20]!r} is not read, unread, saved or unsaved")
            return
        if what not in ("feed", "group"):
            raise BadRequestError(f"mark: {str(what)[:20]!r} is not item, feed or group")
        if state != "read":
            raise BadRequestError(f"as: a {what} can only be marked read")
        before = _number(params, "before")
        up_to = datetime.fromtimestamp(before, UTC) if before else now
        if what == "feed":
            reader_state.mark_all_read(conn, user.id, up_to, [followed(conn, user.id, target).source_id], now)
        elif target == 0:  # group 0: every subscription (Kindling)
            reader_state.mark_all_read(conn, user.id, up_to, None, now)
        elif target > 0:
            sources = [
                s.source_id
                for s in subs_db.subscriptions(conn, user.id)
                if s.category and group_id(s.category) == target
            ]
            if not sources:
                raise BadRequestError(f"id: {target} is not one of your groups")
            reader_state.mark_all_read(conn, user.id, up_to, sources, now)


async def _params(request: Request) -> dict[str, str]:
    """The query's and the form body's parameters (the last of a repeated one)."""
    out = dict(request.query_params.items())
    if request.method == "POST":
        body = await request.body()
        if len(body) > MAX_BODY:
            raise BadRequestError(f"the request body is over {MAX_BODY} bytes")
        if "multipart/form-data" in request.headers.get("content-type", ""):
            raise BadRequestError("the form body must be application/x-www-form-urlencoded")
        try:
            out.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError as exc:
            raise BadRequestError("the form body is not UTF-8") from exc
    return out


def fever_router(site: Site, limiter: LoginLimiter) -> APIRouter:
    """The Fever API's route (wrong keys counted in the app's login limiter)."""
    router = APIRouter(include_in_schema=False)
    api = Fever(site, limiter)

    @router.api_route(f"{PREFIX}/", methods=["GET", "POST"])
    async def fever(request: Request) -> Response:
        """Every Fever call (?api and the parts asked)."""
        params = await _params(request)
        if "api" not in params:
            raise BadRequestError("api: a Fever request names ?api")
        client = request.client.host if request.client else "unknown"
        return await run_in_threadpool(api.answer, params, client)

    return router
