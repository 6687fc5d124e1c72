"""URLs from input, parsed by one function that refuses anything malformed with an InputError and raises nothing else.

Every URL a page, feed, sitemap, OPML list or user names is read here before it is joined, compared or fetched.
Hosts are strict: a bracketed host must be an IPv6 address (no zone), and a host whose last label is a number must
be a plain dotted-quad IPv4 address ("0177.0.0.1", "127.1" or "2130706433" mean loopback to some resolvers and
something else to others, so they are refused rather than guessed).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from newsfold.errors import InputError

MAX_URL_CHARS = 16_384
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")


@dataclass(slots=True, frozen=True)
class Url:
    """A parsed URL: its parts, the host lower-cased (IPv6 without brackets), and the text it was read from."""

    text: str
    scheme: str
    netloc: str
    host: str | None
    port: int | None
    path: str
    query: str
    fragment: str
    username: str | None
    password: str | None

    @property
    def is_web(self) -> bool:
        """Whether this is an absolute http(s) URL with a host."""
        return self.scheme in ("http", "https") and bool(self.host)


def printable(text: str, limit: int = 200) -> str:
    """Text for a one-line message: control characters escaped, shortened to limit characters."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def _where(location: str | None, text: str) -> str:
    """The location an error names: the given one, else the URL itself (shortened, one line)."""
    return location or printable(text)


def _check_host(parts: SplitResult, host: str) -> str | None:
    """Why a host is unacceptable, or None."""
    if "[" in parts.netloc:
        if "%" in host:
            return "IPv6 host with a zone"
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return "malformed IPv6 host"
        return None
    if any(char.isspace() for char in host):
        return "malformed host name (spaces)"
    labels = host.rstrip(".").split(".")
    if _NUMERIC_LABEL.match(labels[-1]):
        try:
            address = ipaddress.IPv4Address(host)
        except ValueError:
            return f"refused: ambiguous numeric host {host!r} (only plain dotted-quad IPv4 addresses are read)"
        if str(address) != host:
            return f"refused: ambiguous numeric host {host!r}"
        return None
    if not host.isascii():
        try:
            host.encode("idna")
        except UnicodeError:
            return "malformed international host name"
    if any(not label for label in labels):
        return "malformed host name (empty label)"
    return None


def parse_url(text: str, location: str | None = None) -> Url:
    """A URL's parts; InputError (naming location, else the URL) when it is malformed, and no other exception."""
    if not isinstance(text, str):
        raise InputError(_where(location, repr(text)), "not a URL (not text)")
    text = text.strip()
    if not text:
        raise InputError(_where(location, text), "empty URL")
    if len(text) > MAX_URL_CHARS:
        raise InputError(_where(location, text), f"URL over {MAX_URL_CHARS} characters")
    if _CONTROL.search(text):
        raise InputError(_where(location, text), "malformed URL (spaces or control characters)")
    try:
        parts = urlsplit(text)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise InputError(_where(location, text), f"malformed URL ({exc})") from exc
    if host is not None:
        problem = _check_host(parts, host)
        if problem is not None:
            raise InputError(_where(location, text), problem)
    return Url(
        text=text,
        scheme=parts.scheme.lower(),
        netloc=parts.netloc,
        host=host or None,
        port=port,
        path=parts.path,
        query=parts.query,
        fragment=parts.fragment,
        username=parts.username,
        password=parts.password,
    )


def fetchable_url(text: str, location: str | None = None) -> Url:
    """A URL newsfold may fetch or keep as a source: absolute http(s) with a host and no credentials; else
    InputError (the one check the fetcher and the source registry share)."""
    url = parse_url(text, location)
    if not url.is_web:
        raise InputError(location or text, "only http or https URLs are fetched")
    if url.username or url.password:
        raise InputError(location or text, "URLs with credentials are not fetched")
    return url


def try_url(text: str | None) -> Url | None:
    """A URL's parts, or None when it is missing or malformed."""
    if not text:
        return None
    try:
        return parse_url(text)
    except InputError:
        return None


def host_of(text: str | None) -> str | None:
    """The host of a URL, or None when it has none or is malformed."""
    url = try_url(text)
    return url.host if url else None


def join_url(base: str | None, link: str) -> str | None:
    """A link resolved against its base (both from input), or None when either is malformed."""
    if try_url(link) is None:
        return None
    if base and try_url(base) is None:
        base = None
    try:
        joined = urljoin(base or "", link.strip())
    except ValueError:
        return None
    return joined if try_url(joined) is not None else None
