"""The local-server guards, in the contract's order: Host, Origin, media type, size.

A page on another site must not be able to drive this server: the Host allow-list stops
DNS rebinding, the Origin check stops cross-site requests, and requiring a JSON body makes a
cross-site form post impossible. No CORS headers are ever sent. The size limit holds however
the body is sent: a body over its route's limit is answered 413 before any route reads it.
"""

import mmap
import re
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend import errors

DEFAULT_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_BODY_BYTES = 64 * 1024
IMPORT_PATH = "/api/v1/import"

# RFC 9110 Host: a name or an IPv4 address, or an IPv6 address in brackets; then an optional
# port of digits. Anything else ("127.0.0.1:evil", "[::1]evil.com") is not a host.
_HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[a-z0-9._~-]+)(?::(?P<port>[0-9]{1,5}))?")


def host_name(host_header: str) -> str | None:
    """The host of a Host header, lower-cased, IPv6 in brackets; None when it is malformed."""
    match = _HOST.fullmatch(host_header.strip().lower())
    if match is None:
        return None
    port = match["port"]
    if port is not None and int(port) > 65535:
        return None
    return match["name"]


def _configured(host: str) -> str | None:
    """A host name as configured, compared as a Host header's: "nas:8000" and "fe80::1" work."""
    host = host.strip().lower()
    if host.count(":") > 1 and not host.startswith("["):
        host = f"[{host}]"  # a bare IPv6 address
    return host_name(host)


def body_limit(scope: Scope) -> tuple[int, type[errors.AppError]]:
    """The largest body a request may carry, and the error for one that is larger."""
    if scope["path"] == IMPORT_PATH:
        return MAX_IMPORT_BYTES, errors.ImportTooLarge
    return MAX_BODY_BYTES, errors.BodyTooLarge


class GuardMiddleware:
    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        configured = (_configured(host) for host in allowed_hosts)
        self.allowed_hosts = DEFAULT_HOSTS | {host for host in configured if host}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = self.check(scope, headers)
        chunked = "content-length" not in headers and "transfer-encoding" in headers
        if problem is None and (chunked or scope["path"] == IMPORT_PATH):
            # A chunked body's size is known only once read: read here, within the limit, so
            # that no route ever holds more than its limit or fails halfway through a body.
            # An import body is read here however it is sent, so that it is held once.
            receive, problem = await _read_within(receive, *body_limit(scope))
        if problem is not None:
            await JSONResponse(problem.body(), status_code=problem.status)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def check(self, scope: Scope, headers: Headers) -> errors.AppError | None:
        host = headers.get("host", "")
        if host_name(host) not in self.allowed_hosts:
            return errors.BadHost()
        has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
        if scope["method"] in CHANGING_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() != f"{scope['scheme']}://{host}".lower():
                return errors.ForbiddenOrigin()
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if has_body and media_type != "application/json":
                return errors.UnsupportedMediaType()
        length = headers.get("content-length", "")
        if length.isdigit():  # the server has refused a malformed one
            limit, too_large = body_limit(scope)
            if int(length) > limit:
                return too_large(max_bytes=limit)
        return None


async def _read_within(
    receive: Receive, limit: int, too_large: type[errors.AppError]
) -> tuple[Receive, errors.AppError | None]:
    """The whole body as one message, or the error once it passes the limit (what was read
    is dropped at once; the rest is never read).

    The body is written into an anonymous map of the limit's size, whose pages are taken only
    as they are written: so it is held once, with no list of chunks to join and no copy to
    grow it. The message carries a view of what was written.
    """
    buffer = mmap.mmap(-1, limit)
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            buffer.close()
            return _replay(message, receive), None
        chunk = message.get("body", b"")
        if size + len(chunk) > limit:
            buffer.close()
            return receive, too_large(max_bytes=limit)
        buffer[size : size + len(chunk)] = chunk
        size += len(chunk)
        if not message.get("more_body", False):
            break
    body = memoryview(buffer)[:size]
    return _replay({"type": "http.request", "body": body, "more_body": False}, receive), None


def _replay(first: Message, receive: Receive) -> Receive:
    """A receive that gives `first` once, then whatever the server sends next (a disconnect)."""
    pending: list[Message] = [first]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed
