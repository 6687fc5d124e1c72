"""The fetcher: the one module that opens network connections, and the rules every request obeys.

Every request: http(s) only; the host resolved once and every address checked against the blocked ranges, then the
socket connected to that checked address (TLS keeps the host name for SNI and certificates); redirects followed by
hand with each hop checked again; bodies capped while streaming, before and after decompression; timeouts on connect,
read and the whole request; robots.txt obeyed (cached per host); per-host politeness; retries with backoff on
429/5xx honouring Retry-After; conditional GET.
"""

from __future__ import annotations

import email.utils
import json
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.robotparser import RobotFileParser

import brotli
import httpcore
import httpx

from newsfold.config import Config
from newsfold.errors import InputError
from newsfold.ingest.addresses import AddressPolicy
from newsfold.urls import fetchable_url, join_url, parse_url

log = logging.getLogger(__name__)

REDIRECTS = {301, 302, 303, 307, 308}
ROBOTS_REFUSAL = "disallowed by robots.txt (the setting fetch.obey_robots = false ignores it)"
RETRYABLE = {429, 500, 502, 503, 504}


class BlockedAddressError(Exception):
    """A host resolved to an address the policy refuses (raised inside the transport)."""


class PolicyError(InputError):
    """A setting refused the request (a blocked address, robots.txt, the size limit); the reason names the setting."""


def over_limit(location: str, limit: int, what: str = "body") -> PolicyError:
    """The refusal of a body over the size limit, naming the setting that raises it."""
    return PolicyError(location, f"{what} over the {limit} byte limit; raise it with the setting fetch.max_bytes")


class ConnectionFailedError(InputError):
    """The host could not be resolved or connected to (no network, or the server is down)."""


@dataclass(slots=True, frozen=True)
class FetchSettings:
    """How the fetcher behaves: limits, identity, politeness, retries and reachable networks."""

    user_agent: str = "newsfold/0.1 (+https://github.com/newsfold/newsfold)"
    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    host_delay: float = 1.0
    host_concurrency: int = 1
    retries: int = 2
    backoff: float = 1.0
    max_retry_after: float = 120.0
    obey_robots: bool = True
    robots_ttl: float = 3600.0
    robots_retry: float = 600.0
    allowed_networks: tuple[str, ...] = ()
    ca_file: str | None = None
    read_timeout: float | None = None  # seconds one read may stall (None: the whole request's timeout)

    @classmethod
    def from_config(cls, config: Config, allow: Iterable[str] = (), **overrides: Any) -> FetchSettings:
        """Settings from the effective configuration plus extra allowed networks."""
        networks = tuple(config["fetch.allowed_networks"]) + tuple(allow)
        values: dict[str, Any] = {
            "user_agent": str(config["fetch.user_agent"]),
            "timeout": float(config["fetch.timeout"]),
            "max_bytes": int(config["fetch.max_bytes"]),
            "host_delay": float(config["fetch.host_delay"]),
            "host_concurrency": int(config["fetch.host_concurrency"]),
            "retries": int(config["fetch.retries"]),
            "obey_robots": bool(config["fetch.obey_robots"]),
            "allowed_networks": networks,
        }
        values.update(overrides)
        return cls(**values)


@dataclass(slots=True)
class Response:
    """A fetched response: final URL, status, headers and the decoded body (capped)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304 to a conditional GET."""
        return self.status == 304

    @property
    def media_type(self) -> str | None:
        """The Content-Type without its parameters, lower-cased."""
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    @property
    def charset(self) -> str | None:
        """The charset parameter of the Content-Type, if any."""
        for part in (self.headers.get("content-type") or "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None


class _Deadline(threading.local):
    """The current request's absolute deadline, per thread (sync httpx reads in the calling thread)."""

    at: float | None = None


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose reads and writes never outlast the request's total deadline (slow-loris)."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        """Wrap a stream."""
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None) -> float | None:
        """The timeout for the next operation: the smaller of its own and what is left of the request."""
        at = self._deadline.at
        if at is None:
            return timeout
        left = at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the whole request took longer than its time limit")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read, bounded by the deadline."""
        return self._inner.read(max_bytes, self._left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Write, bounded by the deadline."""
        self._inner.write(buffer, self._left(timeout))

    def close(self) -> None:
        """Close the socket."""
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        """Upgrade to TLS (the host name, not the pinned address, goes to SNI) and keep the deadline."""
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, self._left(timeout)), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        """Socket details, as the inner stream gives them."""
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Resolves each host once, checks every address against the policy, then connects to a checked address."""

    def __init__(self, policy: AddressPolicy, deadline: _Deadline) -> None:
        """Guard connections with policy."""
        self.policy = policy
        self.deadline = deadline

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address of host, all checked; BlockedAddressError if any is refused."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            why = exc.strerror if isinstance(exc, socket.gaierror) and exc.strerror else str(exc)
            raise httpcore.ConnectError(f"cannot resolve {host} ({why})") from exc
        addresses: list[str] = []
        for info in infos:
            address = str(info[4][0])
            refusal = self.policy.refusal(address)
            if refusal is not None:
                raise BlockedAddressError(f"{host} resolves to a refused address: {refusal}")
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first reachable checked address of host (the pinned address)."""
        error: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in self.resolve(host, port):
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self.deadline)
        assert error is not None
        raise error


class _Decoder:
    """Content-Encoding decoding with a cap on the decoded size (decompression bombs stop at the cap)."""

    def __init__(self, encoding: str, limit: int, location: str) -> None:
        """A decoder for one response's encoding."""
        self.encoding = encoding.strip().lower()
        self.limit = limit
        self.location = location
        self.size = 0
        self._zlib: Any = None
        self._brotli: Any = None
        if self.encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)
        elif self.encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif self.encoding == "br":
            self._brotli = brotli.Decompressor()
        elif self.encoding not in ("", "identity"):
            raise InputError(location, f"unsupported Content-Encoding {encoding!r}")

    def _count(self, data: bytes) -> bytes:
        """Add decoded bytes to the total, refusing past the cap."""
        self.size += len(data)
        if self.size > self.limit:
            raise over_limit(self.location, self.limit, "body once decompressed")
        return data

    def feed(self, chunk: bytes) -> bytes:
        """Decode one raw chunk."""
        try:
            if self._zlib is not None:
                out = self._zlib.decompress(chunk, self.limit - self.size + 1)
                if self._zlib.unconsumed_tail:
                    raise over_limit(self.location, self.limit, "body once decompressed")
                return self._count(out)
            if self._brotli is not None:
                parts = [self._count(self._brotli.process(chunk, output_buffer_limit=self.limit - self.size + 1))]
                while not self._brotli.can_accept_more_data():
                    parts.append(self._count(self._brotli.process(b"", output_buffer_limit=self.limit - self.size + 1)))
                return b"".join(parts)
        except (zlib.error, brotli.error) as exc:
            raise InputError(self.location, f"corrupt {self.encoding} body ({exc})") from exc
        return self._count(chunk)


class HostGate:
    """Per-host politeness: at most N requests at once to a host, and a delay between two starts."""

    def __init__(self, concurrency: int, delay: float, clock: Callable[[], float] = time.monotonic) -> None:
        """Gate hosts with these limits."""
        self.concurrency = max(1, concurrency)
        self.delay = max(0.0, delay)
        self.clock = clock
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}

    def acquire(self, host: str, sleep: Callable[[float], None]) -> None:
        """Wait for a slot on host and for its delay to pass."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        slot.acquire()
        with self._lock:
            start = max(self.clock(), self._next.get(host, 0.0))
            self._next[host] = start + self.delay
        wait = start - self.clock()
        if wait > 0:
            sleep(wait)

    def release(self, host: str) -> None:
        """Give the slot back."""
        with self._lock:
            slot = self._slots[host]
        slot.release()


def policy_stamp(settings: FetchSettings) -> str:
    """The settings a refusal depends on, as one string: a source refused under another stamp is worth retrying."""
    networks = sorted({str(n) for n in AddressPolicy.from_strings(settings.allowed_networks).allowed})
    return json.dumps({"networks": networks, "robots": settings.obey_robots, "max_bytes": settings.max_bytes})


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds to wait, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else time.time()
    return max(0.0, when.timestamp() - current)


def host_key(url: str) -> str:
    """scheme://host:port of a URL: the unit of politeness and of robots.txt (InputError when malformed)."""
    parts = parse_url(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = (parts.host or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{port}"


class Fetcher:
    """Fetches URLs under the safety and politeness rules; thread-safe; one per process or command."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        """A fetcher with its own connection pool, robots cache and host gate."""
        self.settings = settings or FetchSettings()
        self.policy = AddressPolicy.from_strings(self.settings.allowed_networks)
        self.policy_stamp = policy_stamp(self.settings)
        self.stop = stop or threading.Event()
        self._sleep = sleep or self._interruptible_sleep
        self._deadline = _Deadline()
        self.backend = GuardedBackend(self.policy, self._deadline)
        transport = httpx.HTTPTransport(retries=0)
        ssl_context = (
            ssl.create_default_context(cafile=self.settings.ca_file)
            if self.settings.ca_file
            else httpx.create_ssl_context()
        )
        transport._pool = httpcore.ConnectionPool(  # the guarded backend pins every connection
            ssl_context=ssl_context,
            max_connections=64,
            max_keepalive_connections=32,
            keepalive_expiry=5.0,
            network_backend=self.backend,
        )
        self.client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(
                self.settings.timeout,
                read=self.settings.read_timeout or self.settings.timeout,
                connect=min(self.settings.connect_timeout, self.settings.timeout),
                pool=self.settings.timeout,
            ),
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept-Encoding": "gzip, deflate, br",
            },
        )
        self.gate = HostGate(self.settings.host_concurrency, self.settings.host_delay)
        self._robots: dict[str, tuple[float, RobotFileParser | None, str | None]] = {}
        self._robots_lock = threading.Lock()

    def _interruptible_sleep(self, seconds: float) -> None:
        """Sleep, waking early when the fetcher is asked to stop."""
        self.stop.wait(seconds)

    def close(self) -> None:
        """Close every pooled connection."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        """Use as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on exit."""
        self.close()

    def _robots_for(self, url: str) -> tuple[RobotFileParser | None, str | None]:
        """The host's robots.txt rules, cached per host: (rules or None for allow-all, a problem that forbids all).

        As RFC 9309 says: a 4xx means no rules; a 5xx or an unreachable robots.txt means complete disallow, which is
        kept only briefly (robots_retry) so a host that comes back is fetched again soon.
        """
        key = host_key(url)
        now = time.monotonic()
        with self._robots_lock:
            cached = self._robots.get(key)
        if cached is not None and now < cached[0]:
            return cached[1], cached[2]
        parser: RobotFileParser | None = None
        problem: str | None = None
        expires = now + self.settings.robots_ttl
        try:
            response = self._request(key + "/robots.txt", {}, check_robots=False, retries=0)
        except InputError as exc:
            if isinstance(exc, PolicyError):
                raise PolicyError(url, exc.reason) from exc
            problem = f"robots.txt unreachable ({exc.reason}); not fetching from this host for now"
            expires = now + self.settings.robots_retry
        else:
            if response.status >= 500 or response.status == 429:
                problem = f"robots.txt answered HTTP {response.status}; not fetching from this host for now"
                expires = now + self.settings.robots_retry
            elif response.status == 200:
                parser = RobotFileParser()
                parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        with self._robots_lock:
            self._robots[key] = (expires, parser, problem)
        return parser, problem

    def check_robots(self, url: str) -> None:
        """Raise InputError when robots.txt does not let our user agent fetch url (or cannot be read)."""
        if not self.settings.obey_robots:
            return
        parser, problem = self._robots_for(url)
        if problem is not None:
            raise InputError(url, problem)
        if parser is not None and not parser.can_fetch(self.settings.user_agent, url):
            raise PolicyError(url, ROBOTS_REFUSAL)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET url (conditionally when etag/last_modified are given); InputError(url, reason) when it fails."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._request(url, headers, check_robots=self.settings.obey_robots, retries=self.settings.retries)

    def download(self, url: str, sink: Callable[[bytes], None]) -> Response:
        """GET url handing a 200 body to sink chunk by chunk (capped like every body); other answers come back whole.

        For large files (models): nothing is held in memory; the caller owns what sink wrote, also when this raises.
        """
        return self._request(url, {}, check_robots=self.settings.obey_robots, retries=self.settings.retries, sink=sink)

    def _request(
        self,
        url: str,
        headers: dict[str, str],
        *,
        check_robots: bool,
        retries: int,
        sink: Callable[[bytes], None] | None = None,
    ) -> Response:
        """Follow redirects by hand, checking every hop; retry 429/5xx with backoff."""
        start_url = url
        hops: list[str] = []
        attempt = 0
        while True:
            if self.stop.is_set():
                raise InputError(start_url, "fetching stopped")
            fetchable_url(url)
            if check_robots:
                self.check_robots(url)
            response = self._once(url, headers, sink)
            if response.status in REDIRECTS and "location" in response.headers:
                if len(hops) >= self.settings.max_redirects:
                    raise InputError(start_url, f"more than {self.settings.max_redirects} redirects")
                hops.append(url)
                target = join_url(url, response.headers["location"])
                if target is None:
                    raise InputError(start_url, f"malformed URL in a redirect: {response.headers['location'][:200]!r}")
                url = target
                continue
            if response.status in RETRYABLE and attempt < retries:
                wait = retry_after_seconds(response.headers.get("retry-after"))
                if wait is None:
                    wait = self.settings.backoff * (2**attempt)
                if wait > self.settings.max_retry_after:
                    raise InputError(url, f"HTTP {response.status}; server asks to wait {wait:.0f} s")
                attempt += 1
                log.info("%s: HTTP %d, retry %d in %.1f s", url, response.status, attempt, wait)
                self._sleep(wait)
                continue
            response.redirects = hops
            return response

    def _once(self, url: str, headers: dict[str, str], sink: Callable[[bytes], None] | None = None) -> Response:
        """One request to one URL, under the host gate, the deadline and the size caps."""
        host = host_key(url)
        self.gate.acquire(host, self._sleep)
        self._deadline.at = time.monotonic() + self.settings.timeout
        try:
            return self._send(url, headers, sink)
        except BlockedAddressError as exc:
            raise PolicyError(url, f"refused: {exc}") from exc
        except httpx.ConnectTimeout as exc:
            seconds = min(self.settings.connect_timeout, self.settings.timeout)
            raise ConnectionFailedError(url, f"cannot connect (timed out after {seconds:g} s)") from exc
        except httpx.TimeoutException as exc:
            raise InputError(url, f"timed out after {self.settings.timeout:g} s") from exc
        except httpx.ConnectError as exc:
            raise ConnectionFailedError(url, str(exc) or "cannot connect") from exc
        except httpx.HTTPError as exc:
            raise InputError(url, f"request failed ({exc})") from exc
        except httpx.InvalidURL as exc:
            raise InputError(url, f"malformed URL ({exc})") from exc
        finally:
            self._deadline.at = None
            self.gate.release(host)

    def _send(self, url: str, headers: dict[str, str], sink: Callable[[bytes], None] | None = None) -> Response:
        """Send the request and read the body, capped before and after decompression (a 200 body to sink if given)."""
        cap = self.settings.max_bytes
        request = self.client.build_request("GET", url, headers=headers)
        response = self.client.send(request, stream=True)
        try:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise over_limit(url, cap, f"body of {declared} bytes")
            decoder = _Decoder(response.headers.get("content-encoding", ""), cap, url)
            raw_size = 0
            parts: list[bytes] = []
            for chunk in response.iter_raw(65536):
                raw_size += len(chunk)
                if raw_size > cap:
                    raise over_limit(url, cap)
                if sink is not None and response.status_code == 200:
                    sink(decoder.feed(chunk))
                else:
                    parts.append(decoder.feed(chunk))
        finally:
            response.close()
        return Response(
            url=url,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=b"".join(parts),
            fetched=datetime.now(UTC),
        )
