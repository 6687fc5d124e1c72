"""The Google Reader API (the subset NetNewsWire, Reeder, FeedMe, Fluent Reader and News+ use, as Miniflux and
FreshRSS serve it), under /api/greader: give apps http://HOST/api/greader as the server. A story is an item."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from newsfold.accounts.passwords import hash_password, verify_password
from newsfold.accounts.tokens import new_token, token_digest
from newsfold.errors import NotFoundError
from newsfold.store import accounts, reader_state, streams
from newsfold.store import subscriptions as subs_db
from newsfold.store.base import Connection
from newsfold.store.streams import StreamItem, StreamQuery
from newsfold.store.subscriptions import Subscription
from newsfold.web.errors import BadRequestError
from newsfold.web.limiter import LoginLimiter
from newsfold.web.reading import MAX_ITEMS, followed, item_content, live_stories, plain, subscribe_url, token_user
from newsfold.web.site import Site

PREFIX = "/api/greader"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
STATE = "user/-/state/com.google/"
READING_LIST = STATE + "reading-list"
STARRED = STATE + "starred"
READ = STATE + "read"
LABEL = "user/-/label/"
MAX_BODY = 1 << 20
MAX_COUNT = 1000
_USER_STREAM = re.compile(r"^user/(?:-|\d+)/")
_HEX_ITEM = re.compile(r"^[0-9a-fA-F]{1,16}$")
T = TypeVar("T")


class UnauthorizedError(Exception):
    """A Google Reader request without a valid auth token (answered with 401)."""


def _usec(value: str | None) -> int:
    """A stored time in microseconds since the epoch (0 when unknown)."""
    moment = _parse(value)
    return int(moment.timestamp() * 1_000_000) if moment else 0


def _parse(value: str | None) -> datetime | None:
    """A stored ISO time as an aware datetime, or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def user_stream(stream: str) -> str:
    """A stream id with the user part as '-' (apps send user/-/ or user/ID/)."""
    return _USER_STREAM.sub("user/-/", stream, count=1)


def parse_item(value: str) -> int:
    """An item id in any form apps send: the long tag form (16 hex digits), a decimal number, or bare hex."""
    text = value.strip()
    if text.startswith(ITEM_PREFIX):
        hexpart = text[len(ITEM_PREFIX) :]
        if not _HEX_ITEM.match(hexpart):
            raise BadRequestError(f"i: {text[:80]!r} is not an item id")
        number = int(hexpart, 16)
    elif text.isdigit() and len(text) <= 20:
        number = int(text)
    elif text.startswith("-") and text[1:].isdigit() and len(text) <= 21:
        number = int(text) + (1 << 64)  # a signed 64-bit form of the same number
    else:
        raise BadRequestError(f"i: {text[:80]!r} is not an item id")
    if not 0 < number < (1 << 63):
        raise BadRequestError(f"i: {text[:80]!r} is out of range")
    return number


def long_id(item: int) -> str:
    """An item number in the long tag form."""
    return f"{ITEM_PREFIX}{item:016x}"


def _int(params: dict[str, list[str]], name: str, default: int | None, low: int, high: int) -> int | None:
    """An integer parameter within bounds (default when absent); BadRequestError otherwise."""
    values = params.get(name)
    if not values or values[-1] == "":
        return default
    text = values[-1].strip()
    if not re.fullmatch(r"-?\d{1,20}", text):
        raise BadRequestError(f"{name}: {text[:40]!r} is not a whole number")
    number = int(text)
    if not low <= number <= high:
        raise BadRequestError(f"{name}: {number} is out of range ({low} to {high})")
    return number


def _one(params: dict[str, list[str]], name: str) -> str | None:
    """The last value of a parameter, or None."""
    values = params.get(name)
    return values[-1] if values else None


def _seconds(params: dict[str, list[str]], name: str) -> datetime | None:
    """A time given in seconds since the epoch, or None."""
    value = _int(params, name, None, 0, 10**11)
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def mark_time(value: str | None) -> datetime:
    """mark-all-as-read's ts: microseconds (as Google Reader sends), milliseconds or seconds; now when absent."""
    if value is None or value.strip() == "":
        return datetime.now(UTC)
    text = value.strip()
    if not text.isdigit() or len(text) > 20:
        raise BadRequestError(f"ts: {text[:40]!r} is not a timestamp")
    number = int(text)
    divisor = 1_000_000 if number >= 10**14 else 1000 if number >= 10**11 else 1
    try:
        return datetime.fromtimestamp(number / divisor, UTC)
    except (OverflowError, ValueError, OSError) as exc:
        raise BadRequestError(f"ts: {text[:40]!r} is out of range") from exc


def feed_id(source_id: int) -> str:
    """A subscription's stream id."""
    return f"feed/{source_id}"


def _feed_number(stream: str) -> int:
    """The source id of a feed/ID stream; BadRequestError otherwise."""
    rest = stream[len("feed/") :]
    if not rest.isdigit() or len(rest) > 18:
        raise BadRequestError(f"s: {stream[:80]!r} is not a feed of this server (feed/ID)")
    return int(rest)


def _labels(sub: Subscription) -> list[dict[str, str]]:
    """A subscription's categories as Google Reader labels."""
    return [{"id": LABEL + sub.category, "label": sub.category}] if sub.category else []


class GoogleReader:
    """The API's work over one site: each method runs in a worker thread with its own connection."""

    def __init__(self, site: Site, limiter: LoginLimiter) -> None:
        """Serve site's database; failed logins count in the app's one limiter (shared with the site's login)."""
        self.site = site
        self.db = site.db
        self.limiter = limiter
        self._dummy: str | None = None

    def dummy_hash(self) -> str:
        """A hash no password matches (made once), verified against when a name is unknown."""
        if self._dummy is None:
            self._dummy = hash_password(new_token())
        return self._dummy

    def user(self, conn: Connection, request: Request) -> accounts.User:
        """The user of the request's GoogleLogin auth token; UnauthorizedError otherwise."""
        header = request.headers.get("authorization", "")
        match = re.match(r"^GoogleLogin\s+auth=(\S+)$", header.strip())
        user = token_user(conn, "greader", match.group(1)) if match else None
        if user is None:
            raise UnauthorizedError("a valid 'Authorization: GoogleLogin auth=TOKEN' header is required")
        return user

    # --- login -----------------------------------------------------------------------------------------------

    def client_login(self, params: dict[str, list[str]], client: str) -> Response:
        """Email and Passwd for an auth token (SID, LSID and Auth lines; JSON with output=json)."""
        name = (_one(params, "Email") or "").strip()
        password = _one(params, "Passwd") or ""
        if not name or not password:
            return PlainTextResponse("Error=BadAuthentication\n", status_code=401)
        wait = self.limiter.retry_after(name, client, time.monotonic())
        if wait > 0:
            return PlainTextResponse(
                "Error=TooManyAttempts\n", status_code=429, headers={"Retry-After": str(math.ceil(wait))}
            )
        with self.db.read() as conn:
            user = accounts.user_by_name(conn, name)
            stored = accounts.password_hash(conn, user.id) if user else None
        # an unknown name costs one verification too, so the answer's time does not tell which names exist
        if not verify_password(stored or self.dummy_hash(), password) or user is None or stored is None:
            self.limiter.failed(name, client, time.monotonic())
            return PlainTextResponse("Error=BadAuthentication\n", status_code=401)
        self.limiter.succeeded(name)
        token = new_token()
        with self.db.write() as conn:
            accounts.add_token(
                conn, user.id, "greader", token_digest(token), now=datetime.now(UTC).isoformat(), expires=None
            )
        if _one(params, "output") == "json":
            return JSONResponse({"SID": token, "LSID": token, "Auth": token})
        return PlainTextResponse(f"SID={token}\nLSID={token}\nAuth={token}\n")

    @staticmethod
    def edit_token(request: Request) -> str:
        """The token POSTs carry as T: derived from the auth token, so it needs no storage."""
        header = request.headers.get("authorization", "")
        return hashlib.sha256(b"newsfold-greader-T\0" + header.encode()).hexdigest()[:57]

    # --- lists -----------------------------------------------------------------------------------------------

    def user_info(self, conn: Connection, user: accounts.User) -> dict[str, Any]:
        """Who the token belongs to."""
        return {"userId": str(user.id), "userName": user.name, "userProfileId": str(user.id), "userEmail": ""}

    def subscription_list(self, conn: Connection, user: accounts.User) -> dict[str, Any]:
        """The user's subscriptions."""
        out = []
        for sub in subs_db.subscriptions(conn, user.id):
            out.append(
                {
                    "id": feed_id(sub.source_id),
                    "title": sub.shown_title,
                    "categories": _labels(sub),
                    "url": sub.url,
                    "htmlUrl": sub.url,
                    "iconUrl": "",
                }
            )
        return {"subscriptions": out}

    def tag_list(self, conn: Connection, user: accounts.User) -> dict[str, Any]:
        """The starred state and the user's labels (categories)."""
        tags: list[dict[str, str]] = [{"id": STARRED}]
        tags += [{"id": LABEL + c, "type": "folder"} for c in subs_db.categories(conn, user.id)]
        return {"tags": tags}

    def unread_count(self, conn: Connection, user: accounts.User) -> dict[str, Any]:
        """Unread stories per subscription, per label and in all."""
        counts = streams.unread_counts(conn, user.id)
        subs = subs_db.subscriptions(conn, user.id)
        rows = [{"id": feed_id(s), "count": n, "newestItemTimestampUsec": "0"} for s, n in counts.items()]
        by_label: dict[str, int] = {}
        for sub in subs:
            if sub.category:
                by_label[sub.category] = by_label.get(sub.category, 0) + counts.get(sub.source_id, 0)
        rows += [{"id": LABEL + c, "count": n, "newestItemTimestampUsec": "0"} for c, n in by_label.items()]
        total = streams.item_numbers(conn, StreamQuery(user_id=user.id, state="unread", limit=MAX_COUNT))
        rows.append({"id": READING_LIST, "count": len(total), "newestItemTimestampUsec": "0"})
        return {"max": MAX_COUNT, "unreadcounts": rows}

    # --- streams ---------------------------------------------------------------------------------------------

    def query(self, conn: Connection, user: accounts.User, stream: str, params: dict[str, list[str]]) -> StreamQuery:
        """A stream id and its parameters (n, c, xt, it, ot, nt, r) as a query of the store."""
        stream = user_stream(stream)
        limit = min(_int(params, "n", 20, 1, 10**9) or 20, MAX_COUNT)  # more than MAX_COUNT: pages
        after = None
        if (c := _one(params, "c")) not in (None, ""):
            if not str(c).isdigit() or len(str(c)) > 19:
                raise BadRequestError(f"c: {str(c)[:40]!r} is not a continuation this server gave")
            after = int(str(c))
        excluded = {user_stream(x) for x in params.get("xt", [])}
        included = {user_stream(x) for x in params.get("it", [])}
        state: streams.ReadState = "any"
        if READ in excluded:
            state = "unread"
        elif READ in included:
            state = "read"
        fields: dict[str, Any] = {
            "user_id": user.id,
            "state": state,
            "saved_only": STARRED in included,
            "exclude_saved": STARRED in excluded,
            "newer_than": _seconds(params, "ot"),
            "older_than": _seconds(params, "nt"),
            "oldest_first": _one(params, "r") == "o",
            "after": after,
            "limit": limit,
        }
        if stream in ("", READING_LIST):
            return StreamQuery(**fields)
        if stream == STARRED:
            return StreamQuery(scope="saved", **fields)
        if stream == READ:
            return StreamQuery(**{**fields, "state": "read"})
        if stream.startswith(LABEL):
            label = plain(stream[len(LABEL) :], "s")
            if not label:
                raise BadRequestError("s: a label needs a name")
            return StreamQuery(category=label, **fields)
        if stream.startswith("feed/"):
            source = _feed_number(stream)
            followed(conn, user.id, source)
            return StreamQuery(source_id=source, **fields)
        raise BadRequestError(f"s: {stream[:80]!r} is not a stream this server knows")

    def page(
        self, conn: Connection, user: accounts.User, stream: str, params: dict[str, list[str]]
    ) -> tuple[list[StreamItem], str | None]:
        """One page of a stream and the continuation to the next (None at the end)."""
        query = self.query(conn, user, stream, params)
        items = streams.stream(conn, query)
        more = len(items) == query.limit and bool(items)
        return items, str(items[-1].item) if more else None

    def items_json(self, conn: Connection, user: accounts.User, items: list[StreamItem]) -> list[dict[str, Any]]:
        """Stream items in Google Reader's item shape."""
        subs = {s.source_id: s for s in subs_db.subscriptions(conn, user.id)}
        origins = streams.story_sources(conn, [i.story_id for i in items])
        out = []
        for item in items:
            content = item_content(conn, item.story_id, self.site.base_url)
            if content is None:
                continue
            sources = origins.get(item.story_id, [])
            mine = [s for s in sources if s in subs]
            categories = [READING_LIST]
            if item.read:
                categories.append(READ)
            if item.saved:
                categories.append(STARRED)
            categories += sorted({LABEL + str(subs[s].category) for s in mine if subs[s].category})
            origin_id = mine[0] if mine else (sources[0] if sources else 0)
            origin_sub = subs.get(origin_id)
            created = _usec(item.created)
            links = [{"href": content.url, "type": "text/html"}] if content.url else []
            out.append(
                {
                    "id": long_id(item.item),
                    "crawlTimeMsec": str(created // 1000),
                    "timestampUsec": str(created),
                    "published": (_usec(item.first_published) or created) // 1_000_000,
                    "updated": (_usec(item.last_updated) or created) // 1_000_000,
                    "title": content.title,
                    "canonical": [{"href": content.url}] if content.url else [],
                    "alternate": links,
                    "categories": categories,
                    "origin": {
                        "streamId": feed_id(origin_id),
                        "title": origin_sub.shown_title if origin_sub else "newsfold",
                        "htmlUrl": origin_sub.url if origin_sub else self.site.base_url,
                    },
                    "summary": {"direction": "ltr", "content": content.html},
                    "author": content.author or "",
                }
            )
        return out

    def contents(
        self, conn: Connection, user: accounts.User, stream: str, params: dict[str, list[str]]
    ) -> dict[str, Any]:
        """stream/contents: a page of a stream with each item whole."""
        items, continuation = self.page(conn, user, stream, params)
        body: dict[str, Any] = {
            "direction": "ltr",
            "id": user_stream(stream) or READING_LIST,
            "title": "newsfold",
            "self": [{"href": f"{self.site.base_url}{PREFIX}/reader/api/0/stream/contents/{stream}"}],
            "updated": int(datetime.now(UTC).timestamp()),
            "items": self.items_json(conn, user, items),
        }
        if continuation:
            body["continuation"] = continuation
        return body

    def item_ids(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> dict[str, Any]:
        """stream/items/ids: a page of a stream's item ids (decimal)."""
        stream = _one(params, "s")
        if not stream:
            raise BadRequestError("s: the stream is required")
        items, continuation = self.page(conn, user, stream, params)
        refs = [{"id": str(i.item), "directStreamIds": [], "timestampUsec": str(_usec(i.created))} for i in items]
        body: dict[str, Any] = {"itemRefs": refs}
        if continuation:
            body["continuation"] = continuation
        return body

    def item_contents(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> dict[str, Any]:
        """stream/items/contents: the items named by i (any id form), whole."""
        live = live_stories(conn, self.item_numbers(params))
        items = streams.items_of(conn, user.id, list(dict.fromkeys(live.values())))
        return {
            "id": READING_LIST,
            "updated": int(datetime.now(UTC).timestamp()),
            "items": self.items_json(conn, user, items),
        }

    @staticmethod
    def item_numbers(params: dict[str, list[str]]) -> list[int]:
        """The item numbers named by the i parameters (at least one, at most MAX_ITEMS)."""
        values = params.get("i", [])
        if not values:
            raise BadRequestError("i: at least one item id is required")
        if len(values) > MAX_ITEMS:
            raise BadRequestError(f"i: at most {MAX_ITEMS} items at once")
        return list(dict.fromkeys(parse_item(v) for v in values))

    # --- changes ---------------------------------------------------------------------------------------------

    def edit_tag(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> str:
        """edit-tag: add (a) or remove (r) the read and starred states on items (i); all items checked first."""
        stories = list(dict.fromkeys(live_stories(conn, self.item_numbers(params)).values()))
        added = {user_stream(x) for x in params.get("a", [])}
        removed = {user_stream(x) for x in params.get("r", [])}
        known = {READ, STARRED, STATE + "kept-unread", STATE + "tracking-kept-unread"}
        for tag in added | removed:
            if tag not in known and not tag.startswith(LABEL) and not tag.startswith(STATE):
                raise BadRequestError(f"a/r: {tag[:80]!r} is not a tag this server knows")
        if not added and not removed:
            raise BadRequestError("a/r: give a tag to add or remove")
        now = datetime.now(UTC)
        if READ in added or STATE + "kept-unread" in removed:
            reader_state.set_read(conn, user.id, stories, True, now)
        if READ in removed or STATE + "kept-unread" in added:
            reader_state.set_read(conn, user.id, stories, False, now)
        if STARRED in added:
            reader_state.set_saved(conn, user.id, stories, True, now)
        if STARRED in removed:
            reader_state.set_saved(conn, user.id, stories, False, now)
        return "OK"

    def mark_all_as_read(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> str:
        """mark-all-as-read: every story of a stream (s) created up to ts is read."""
        stream = user_stream(_one(params, "s") or "")
        up_to = mark_time(_one(params, "ts"))
        now = datetime.now(UTC)
        if stream in ("", READING_LIST):
            reader_state.mark_all_read(conn, user.id, up_to, None, now)
        elif stream.startswith("feed/"):
            source = _feed_number(stream)
            followed(conn, user.id, source)
            reader_state.mark_all_read(conn, user.id, up_to, [source], now)
        elif stream.startswith(LABEL):
            label = stream[len(LABEL) :]
            sources = subs_db.category_sources(conn, user.id, label)
            if not sources:
                raise NotFoundError(f"s: {stream[:80]!r}: no such label")
            reader_state.mark_all_read(conn, user.id, up_to, sources, now)
        else:
            raise BadRequestError(f"s: {stream[:80]!r} cannot be marked read")
        return "OK"

    def subscription_edit(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> str:
        """subscription/edit: subscribe (a feed/URL), unsubscribe, rename (t), label (a) and unlabel (r)."""
        action = _one(params, "ac") or "edit"
        targets = params.get("s", [])
        if not targets:
            raise BadRequestError("s: the subscription (feed/ID or feed/URL) is required")
        title = plain(_one(params, "t"), "t")
        add = [user_stream(x) for x in params.get("a", [])]
        remove = [user_stream(x) for x in params.get("r", [])]
        label = next((x[len(LABEL) :] for x in add if x.startswith(LABEL)), None)
        label = plain(label, "a")
        if action == "subscribe":
            for target in targets:
                url = target[len("feed/") :] if target.startswith("feed/") else target
                if url.isdigit():
                    raise BadRequestError(f"s: {target[:80]!r}: subscribe takes feed/URL")
                subscribe_url(conn, user.id, url, title=title, category=label)
            return "OK"
        sources = [self._source_of(conn, user.id, t) for t in targets]
        if action == "unsubscribe":
            for source in sources:
                subs_db.unsubscribe(conn, user.id, source)
            return "OK"
        if action != "edit":
            raise BadRequestError(f"ac: {action[:40]!r} is not subscribe, unsubscribe or edit")
        for source in sources:
            if title is not None:
                subs_db.set_title(conn, user.id, source, title)
            if label is not None:
                subs_db.set_category(conn, user.id, source, label)
            elif any(x.startswith(LABEL) for x in remove):
                subs_db.set_category(conn, user.id, source, None)
        return "OK"

    @staticmethod
    def _source_of(conn: Connection, user_id: int, target: str) -> int:
        """The source a feed/ID or feed/URL the user follows names; NotFoundError when they do not."""
        rest = target[len("feed/") :] if target.startswith("feed/") else target
        if rest.isdigit() and len(rest) <= 18:
            return followed(conn, user_id, int(rest)).source_id
        for sub in subs_db.subscriptions(conn, user_id):
            if sub.url == rest:
                return sub.source_id
        raise NotFoundError(f"s: {target[:80]!r}: not one of your subscriptions")

    def quickadd(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> dict[str, Any]:
        """subscription/quickadd: follow a URL (registered when new)."""
        url = (_one(params, "quickadd") or "").strip()
        if url.startswith("feed/"):
            url = url[len("feed/") :]
        if not url:
            raise BadRequestError("quickadd: the feed's URL is required")
        sub, _ = subscribe_url(conn, user.id, url, title=None, category=None)
        return {"numResults": 1, "query": url, "streamId": feed_id(sub.source_id), "streamName": sub.shown_title}

    def rename_tag(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> str:
        """rename-tag: a label (s) renamed to dest."""
        source, dest = user_stream(_one(params, "s") or ""), user_stream(_one(params, "dest") or "")
        if not source.startswith(LABEL) or not dest.startswith(LABEL):
            raise BadRequestError("s, dest: both must be labels (user/-/label/NAME)")
        new = plain(dest[len(LABEL) :], "dest")
        if not new:
            raise BadRequestError("dest: a label needs a name")
        if not subs_db.rename_category(conn, user.id, source[len(LABEL) :], new):
            raise NotFoundError(f"s: {source[:80]!r}: no such label")
        return "OK"

    def disable_tag(self, conn: Connection, user: accounts.User, params: dict[str, list[str]]) -> str:
        """disable-tag: a label removed (its subscriptions stay, without it)."""
        source = user_stream(_one(params, "s") or "")
        if not source.startswith(LABEL):
            raise BadRequestError("s: must be a label (user/-/label/NAME)")
        if not subs_db.rename_category(conn, user.id, source[len(LABEL) :], None):
            raise NotFoundError(f"s: {source[:80]!r}: no such label")
        return "OK"


async def _params(request: Request) -> dict[str, list[str]]:
    """The query's and (for a POST) the form body's parameters, repeated ones kept in order."""
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    if request.method == "POST":
        body = await request.body()
        if len(body) > MAX_BODY:
            raise BadRequestError(f"the request body is over {MAX_BODY} bytes")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequestError("the form body is not UTF-8") from exc
        for key, value in parse_qsl(text, keep_blank_values=True):
            out.setdefault(key, []).append(value)
    return out


def _unauthorized(exc: UnauthorizedError) -> Response:
    """401 as Google Reader answers it."""
    return PlainTextResponse(f"Unauthorized: {exc}\n", status_code=401)


async def _read(
    api: GoogleReader, request: Request, work: Callable[[Connection, accounts.User, dict[str, list[str]]], T]
) -> T | Response:
    """Authenticate, then run a read-only request in a worker thread."""
    params = await _params(request)

    def run() -> T | Response:
        """The request's work on a read connection."""
        with api.db.read() as conn:
            try:
                user = api.user(conn, request)
            except UnauthorizedError as exc:
                return _unauthorized(exc)
            return work(conn, user, params)

    return await run_in_threadpool(run)


async def _write(
    api: GoogleReader, request: Request, work: Callable[[Connection, accounts.User, dict[str, list[str]]], str]
) -> Response:
    """Authenticate and check T, then run a changing request in one write transaction (all or nothing)."""
    params = await _params(request)

    def run() -> Response:
        """The request's work in a write transaction."""
        with api.db.read() as conn:
            try:
                api.user(conn, request)
            except UnauthorizedError as exc:
                return _unauthorized(exc)
        given = _one(params, "T")
        if given is not None and not hmac.compare_digest(given, api.edit_token(request)):
            return PlainTextResponse(
                "Unauthorized: T is not this session's token\n",
                status_code=401,
                headers={"X-Reader-Google-Bad-Token": "true"},
            )
        with api.db.write() as conn:
            user = api.user(conn, request)
            return PlainTextResponse(work(conn, user, params))

    return await run_in_threadpool(run)


def greader_router(site: Site, limiter: LoginLimiter) -> APIRouter:
    """The Google Reader API's routes, under /api/greader (failed logins counted in the app's limiter)."""
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    api = GoogleReader(site, limiter)

    @router.post("/accounts/ClientLogin")
    @router.get("/accounts/ClientLogin")
    async def client_login(request: Request) -> Response:
        """Log in with Email and Passwd."""
        params = await _params(request)
        client = request.client.host if request.client else "unknown"
        return await run_in_threadpool(api.client_login, params, client)

    @router.get("/reader/api/0/token")
    async def token(request: Request) -> Response:
        """The T token POSTs carry."""
        answer = await _read(api, request, lambda conn, user, params: api.edit_token(request))
        return answer if isinstance(answer, Response) else PlainTextResponse(answer)

    def json_route(
        path: str,
        work: Callable[[Connection, accounts.User, dict[str, list[str]]], dict[str, Any]],
        post: bool = False,
    ) -> None:
        """A read-only route answering JSON."""

        async def handler(request: Request) -> Response:
            """Authenticate and answer."""
            answer = await _read(api, request, work)
            return answer if isinstance(answer, Response) else JSONResponse(answer)

        handler.__doc__ = work.__doc__
        router.add_api_route(path, handler, methods=["GET", "POST"] if post else ["GET"])

    json_route("/reader/api/0/user-info", lambda c, u, p: api.user_info(c, u))
    json_route("/reader/api/0/subscription/list", lambda c, u, p: api.subscription_list(c, u))
    json_route("/reader/api/0/tag/list", lambda c, u, p: api.tag_list(c, u))
    json_route("/reader/api/0/unread-count", lambda c, u, p: api.unread_count(c, u))
    json_route("/reader/api/0/stream/items/ids", api.item_ids)
    json_route("/reader/api/0/stream/items/contents", api.item_contents, post=True)

    @router.get("/reader/api/0/stream/contents/{stream:path}")
    @router.get("/reader/api/0/stream/contents")
    async def contents(request: Request, stream: str = "") -> Response:
        """A page of a stream (reading-list, starred, read, a feed or a label)."""
        answer = await _read(
            api, request, lambda c, u, p: api.contents(c, u, stream or (_one(p, "s") or READING_LIST), p)
        )
        return answer if isinstance(answer, Response) else JSONResponse(answer)

    def change_route(path: str, work: Callable[[Connection, accounts.User, dict[str, list[str]]], str]) -> None:
        """A changing route (POST) answering OK."""

        async def handler(request: Request) -> Response:
            """Authenticate, check T and change."""
            return await _write(api, request, work)

        router.add_api_route(path, handler, methods=["POST"])

    change_route("/reader/api/0/edit-tag", api.edit_tag)
    change_route("/reader/api/0/mark-all-as-read", api.mark_all_as_read)
    change_route("/reader/api/0/subscription/edit", api.subscription_edit)
    change_route("/reader/api/0/rename-tag", api.rename_tag)
    change_route("/reader/api/0/disable-tag", api.disable_tag)

    @router.post("/reader/api/0/subscription/quickadd")
    async def quickadd(request: Request) -> Response:
        """Follow a URL."""
        params = await _params(request)

        def run() -> Response:
            """Subscribe in one write transaction."""
            with api.db.write() as conn:
                try:
                    user = api.user(conn, request)
                except UnauthorizedError as exc:
                    return _unauthorized(exc)
                return JSONResponse(api.quickadd(conn, user, params))

        return await run_in_threadpool(run)

    return router
