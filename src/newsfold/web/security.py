"""Headers every response carries: a strict Content-Security-Policy, the usual hardening, server timing."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere on the site: scripts and stylesheets are static files of the site.
SITE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware: security headers, a Server-Timing header (time in the app, queueing for threads included),
    HEAD as a bodiless GET."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap app."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; decorate the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # /docs too: Swagger UI is served from this site with its starter script as a file, so nothing is inline
        csp = SITE_CSP
        # HEAD (feed readers and link checkers use it) is answered as GET without the body
        head = scope.get("method") == "HEAD"
        inner = dict(scope, method="GET") if head else scope

        async def send_with_headers(message: Message) -> None:
            """Add the headers to the response start."""
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in _COMMON if name not in present]
                headers.append((b"content-security-policy", csp.encode("ascii")))
                elapsed = (time.perf_counter() - started) * 1000
                # then the handler's own timing when it gave one: "app;dur=A, handler;dur=H"
                timing = [f"app;dur={elapsed:.3f}".encode("ascii")]
                timing += [value for name, value in headers if name.lower() == b"server-timing"]
                headers = [(name, value) for name, value in headers if name.lower() != b"server-timing"]
                headers.append((b"server-timing", b", ".join(timing)))
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(inner, receive, send_with_headers)
