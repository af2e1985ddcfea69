"""The local-server guards, in the contract's order: Host, Origin, media type, size; before
them, the session rule (`SessionCheck`: `backend.access.SessionRule`) where the request needs
a session.

A page on another site must not be able to drive this server: the Host allow-list stops
DNS rebinding, the Origin check stops cross-site requests, and requiring a JSON body makes a
cross-site form post impossible. No CORS headers are ever sent. The size limit holds however
the body is sent: a body over 64 KiB is answered 413 before any route reads it, unless the
route it goes to reads its body itself within a limit of its own (`reads_own_body`: the
import, whose 20 MiB are its route's business). The network listener's Host guard also accepts
the names and addresses it reports in its URLs (`network_hosts`). Every answer of theirs is
made by `errors.error_response`.
"""

import re
from collections.abc import Callable, Iterable
from typing import Protocol

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend import errors
from backend.limits import MAX_BODY_BYTES


class SessionCheck(Protocol):
    """What the guard asks of the session rule (`backend.access.SessionRule`), which depends on
    this module and not the other way round."""

    async def check(self, scope: Scope, headers: Headers) -> errors.AppError | None: ...


# How the network listener's server marks the requests it passes on (`backend.access`).
NETWORK_LISTENER, NETWORK = "miniatures.listener", "network"
DEFAULT_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

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


def _never(_: Scope) -> bool:
    return False


def _no_hosts() -> frozenset[str]:
    return frozenset()


class GuardMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        allowed_hosts: Iterable[str] = (),
        reads_own_body: Callable[[Scope], bool] = _never,
        session_rule: SessionCheck | None = None,
        network_hosts: Callable[[], frozenset[str]] = _no_hosts,
    ) -> None:
        """`reads_own_body(scope)`: whether the request goes to a route that reads its body
        itself, within its own limit; `network_hosts()`: the hosts of the network listener's
        URLs, accepted on that listener."""
        self.app = app
        self.reads_own_body = reads_own_body
        self.session_rule = session_rule
        self.network_hosts = network_hosts
        configured = (_configured(host) for host in allowed_hosts)
        self.allowed_hosts = DEFAULT_HOSTS | {host for host in configured if host}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = None
        if self.session_rule is not None:
            problem = await self.session_rule.check(scope, headers)
        if problem is None:
            problem = self.check(scope, headers)
        if problem is None and _has_body(headers) and not self.reads_own_body(scope):
            problem = _too_large(headers)
            if problem is None and "content-length" not in headers:
                # A chunked body's size is known only once read: read here, within the limit,
                # so that no route ever holds more or fails halfway through a body.
                receive, problem = await _read_within(receive)
        if problem is not None:
            await errors.error_response(problem)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def check(self, scope: Scope, headers: Headers) -> errors.AppError | None:
        """Host, Origin and media type, in that order."""
        host = headers.get("host", "")
        name = host_name(host)
        if name not in self.allowed_hosts and not (
            scope.get(NETWORK_LISTENER) == NETWORK and name in self.network_hosts()
        ):
            return errors.BadHost()
        if scope["method"] in CHANGING_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() != f"{scope['scheme']}://{host}".lower():
                return errors.ForbiddenOrigin()
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if _has_body(headers) and media_type != "application/json":
                return errors.UnsupportedMediaType()
        return None


def _has_body(headers: Headers) -> bool:
    return headers.get("content-length", "0") != "0" or "transfer-encoding" in headers


def _too_large(headers: Headers) -> errors.AppError | None:
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:  # the server refused a malformed one
        return errors.BodyTooLarge(max_bytes=MAX_BODY_BYTES)
    return None


async def _read_within(receive: Receive) -> tuple[Receive, errors.AppError | None]:
    """The whole body as one message, or the error once it passes the limit (what was read
    is dropped at once; the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return _replay(message, receive), None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return receive, errors.BodyTooLarge(max_bytes=MAX_BODY_BYTES)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return _replay({"type": "http.request", "body": body, "more_body": False}, receive), None


def _replay(first: Message, receive: Receive) -> Receive:
    """A receive that gives `first` once, then whatever the server sends next (a disconnect)."""
    pending: list[Message] = [first]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed
