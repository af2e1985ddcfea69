"""The local-server guards, in the contract's order: Host, Origin, media type, size.

A page on another site must not be able to drive this server: the Host allow-list stops
DNS rebinding, the Origin check stops cross-site requests, and requiring a JSON body makes a
cross-site form post impossible. No CORS headers are ever sent.
"""

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend import errors

DEFAULT_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_BODY_BYTES = 20 * 1024 * 1024


def host_name(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _configured(host: str) -> str:
    """A host name as configured, compared as a Host header's: "nas:8000" and "fe80::1" work."""
    host = host.strip().lower()
    if host.count(":") > 1 and not host.startswith("["):
        return f"[{host}]"  # a bare IPv6 address
    return host_name(host)


class GuardMiddleware:
    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed_hosts = DEFAULT_HOSTS | {_configured(host) for host in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = self.check(scope, headers)
        if problem is not None:
            await JSONResponse(problem.body(), status_code=problem.status)(scope, receive, send)
            return
        await self.app(scope, self.limited(receive), send)

    def check(self, scope: Scope, headers: Headers) -> errors.AppError | None:
        host = headers.get("host", "")
        if host_name(host) not in self.allowed_hosts:
            return errors.BadHost()
        method = scope["method"]
        if method not in CHANGING_METHODS:
            return None
        origin = headers.get("origin")
        if origin is not None and origin.lower() != f"{scope['scheme']}://{host}".lower():
            return errors.ForbiddenOrigin()
        has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
        if has_body:
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json":
                return errors.UnsupportedMediaType()
            length = headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
                return errors.ImportTooLarge(max_bytes=MAX_BODY_BYTES)
        return None

    @staticmethod
    def limited(receive: Receive) -> Receive:
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise errors.ImportTooLarge(max_bytes=MAX_BODY_BYTES)
            return message

        return receive_limited
