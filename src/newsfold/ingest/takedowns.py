"""Takedowns: remove a URL's or a source's items, block them from returning, and log each takedown."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from newsfold.errors import InputError
from newsfold.fold.link import provenance
from newsfold.forget import forget
from newsfold.model import Article
from newsfold.store import integrity as integrity_db
from newsfold.store import sources as sources_db
from newsfold.store import stories as stories_db
from newsfold.store import takedowns as takedowns_db
from newsfold.store.base import Connection
from newsfold.store.takedowns import Takedown


def normalize_url(url: str) -> str:
    """A URL as the block list keeps it: lower-case scheme and host, no default port, final / or fragment."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # out of range: keep what was written
        port, host = None, parts.netloc.lower()
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


# query parameters that track a reader and never name a different page
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "ocid",
        "cmpid",
        "s_cid",
        "ns_campaign",
        "ns_mchannel",
        "ns_source",
        "ns_linkname",
        "ns_fee",
    }
)


def _tracking(name: str) -> bool:
    """Whether a query parameter only tracks the reader (utm_*, click ids, mailing ids)."""
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMETERS


def match_key(url: str | None) -> str | None:
    """The one form in which two URLs of the same page agree, for matching (takedowns, inputs already read): no
    scheme (http and https alike), host lower-cased without www. and default port, no final /, no fragment, tracking
    parameters dropped and the rest sorted. None for what is not an http(s) URL."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = "&".join(
        sorted(pair for pair in parts.query.split("&") if pair and not _tracking(unquote_plus(pair.partition("=")[0])))
    )
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{query}" if query else "")


def _host(key: str) -> str:
    """The host of a match key (which every stored spelling of a URL with this key contains)."""
    return key.split("/", 1)[0].split(":", 1)[0]


def _articles_at(conn: Connection, key: str) -> list[str]:
    """The ids of stored articles whose canonical, source or origin URL has this match key."""
    return [
        found.id
        for found in takedowns_db.articles_at_host(conn, _host(key))
        if key in {match_key(url) for url in (found.canonical_url, found.source_url, found.origin_location)}
    ]


def _remove(conn: Connection, ids: Sequence[str]) -> set[str]:
    """Delete these articles with every row derived from them; refresh their stories and mark them for their story
    hooks (derived parts recomputed from what remains); return those stories."""
    ids = list(dict.fromkeys(ids))
    forget(conn, ids)  # their terms out of folding's frequencies, their texts out of the translation cache
    stories = integrity_db.remove_articles(conn, ids)
    for story_id in stories:
        provenance.assign(conn, story_id)  # a copy of a removed original: the original is chosen again
        stories_db.refresh_story(conn, story_id)
    integrity_db.mark_pending(conn, stories)
    return stories


def take_down_url(conn: Connection, url: str, reason: str = "", actor: str = "cli") -> Takedown:
    """Remove every article from url and block it; logged."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise InputError(url, f"malformed URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(url, "a takedown needs an http or https URL")
    target = normalize_url(url)
    key = match_key(url)
    if key is None:
        raise InputError(url, "a takedown needs an http or https URL")
    takedown_id = takedowns_db.log_takedown(conn, "url", target, reason, actor)
    ids = _articles_at(conn, key)
    stories = _remove(conn, ids)
    takedowns_db.block(conn, "url", target, takedown_id)
    takedowns_db.record_removed(conn, takedown_id, len(ids))
    return takedowns_db.get_takedown(conn, takedown_id, stories)


def take_down_source(conn: Connection, name: str, reason: str = "", actor: str = "cli") -> Takedown:
    """Remove every article of a source (by name, or fetched through the registered source) and block it."""
    key = name.strip()
    if not key:
        raise InputError("takedown", "a source takedown needs a source name")
    takedown_id = takedowns_db.log_takedown(conn, "source", key, reason, actor)
    sources = sources_db.source_ids_named_or_at(conn, key)
    ids = takedowns_db.articles_of_source_name(conn, key)
    for source_id in sources:
        ids += takedowns_db.articles_fetched_through(conn, source_id)
        sources_db.block_source(conn, source_id)
    ids = list(dict.fromkeys(ids))
    stories = _remove(conn, ids)
    takedowns_db.block(conn, "source", key.lower(), takedown_id)
    takedowns_db.record_removed(conn, takedown_id, len(ids))
    return takedowns_db.get_takedown(conn, takedown_id, stories)


def blocked_keys(conn: Connection) -> set[str]:
    """The match keys of every URL on the block list."""
    keys = (match_key(url) for url in takedowns_db.blocked_urls(conn))
    return {k for k in keys if k}


def url_blocked(conn: Connection, url: str | None) -> bool:
    """Whether a URL is on the block list (matched by match_key: scheme, www., tracking parameters ignored)."""
    key = match_key(url)
    return key is not None and key in blocked_keys(conn)


def _blocked(article: Article, keys: set[str], sources: set[str]) -> bool:
    """Whether an article's URLs or source name is among these blocked ones."""
    for url in (article.canonical_url, article.source.url, article.origin.location):
        if match_key(url) in keys:
            return True
    name = (article.source.name or "").strip().lower()
    return bool(name) and name in sources


def drop_blocked(conn: Connection, articles: Sequence[Article]) -> list[Article]:
    """The articles not taken down (the engine's one check before storing)."""
    if not takedowns_db.anything_blocked(conn):
        return list(articles)
    keys, sources = blocked_keys(conn), takedowns_db.blocked_source_names(conn)
    return [a for a in articles if not _blocked(a, keys, sources)]
