"""Who may ask: the contract's "Other devices" rules, beside the guards (`backend.guards`).

A request needs a session when it came through the network listener, or when an access key is
set; then only `GET /health`, `POST /session` and the UI's files (outside /api) answer without
one. Which listener a request came through is stamped on its ASGI scope by that listener's own
server (`mark_network`): nothing a client sends (Host, a source address, a header) can set it.

The secrets: a session's cookie is 256 random bits, and the database keeps only its SHA-256
(a long random token needs no slow hash); a session opened under an access key also keeps an
HMAC of its cookie under that key, so a changed key ends it, and the column tells nothing of
the key without the cookie. The key is compared in constant time, as digests of equal length.
Pairing codes and failed attempts live in memory (`backend.pairing`, `backend.attempts`).
Keys and codes are never logged, never put in an error, never in a URL that reaches the server.
"""

import hashlib
import hmac
import ipaddress
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from backend import errors
from backend.attempts import FailedAttempts
from backend.db_errors import database_failure
from backend.guards import NETWORK, NETWORK_LISTENER
from backend.network import NetworkControl, NoNetwork
from backend.pairing import PairingCodes
from backend.services import device_sessions
from backend.settings import Settings

log = logging.getLogger(__name__)

SESSION_COOKIE = "miniatures_session"
MIN_KEY_LENGTH = 16
MAKE_A_KEY = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
# Paths that answer without a session: whether the app is up (no data in it), and the door.
OPEN_PATHS = frozenset({("GET", "/api/v1/health"), ("HEAD", "/api/v1/health")})
SESSION_PATH = "/api/v1/session"


def mark_network(app: ASGIApp) -> ASGIApp:
    """The app as the network listener serves it: every request it passes on says so."""

    async def through_network(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = {**scope, NETWORK_LISTENER: NETWORK}
        await app(scope, receive, send)

    return through_network


def from_network(scope: Scope) -> bool:
    return scope.get(NETWORK_LISTENER) == NETWORK


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def startup_problem(settings: Settings, host: str | None = None) -> str | None:
    """Why the server must not start as configured, in one line naming the fix; None if it may.

    Never open to the network by accident: network names or a non-loopback address need a key.
    The key itself never appears in the line.
    """
    key = settings.access_key
    if key is not None and len(key.get_secret_value()) < MIN_KEY_LENGTH:
        return (
            f"MINIATURES_ACCESS_KEY is too short: use at least {MIN_KEY_LENGTH} characters "
            f"(make one with: {MAKE_A_KEY})"
        )
    if key is None and settings.allowed_hosts:
        return (
            "MINIATURES_ALLOWED_HOSTS opens the app to the network: set MINIATURES_ACCESS_KEY "
            f"as well (make one with: {MAKE_A_KEY}), or remove MINIATURES_ALLOWED_HOSTS"
        )
    if key is None and host is not None and not is_loopback(host):
        return (
            f"--host {host} opens the app to the network: set MINIATURES_ACCESS_KEY first "
            f"(make one with: {MAKE_A_KEY}), or leave out --host"
        )
    return None


def new_token() -> str:
    """A session's cookie: 256 random bits."""
    return secrets.token_urlsafe(32)


def digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def key_matches(given: str, key: str) -> bool:
    """In constant time: digests of equal length, whatever the lengths of the two texts."""
    return hmac.compare_digest(digest(given), digest(key))


def key_proof(key: str | None, token: str) -> bytes | None:
    """What ties a session to the key in force when it was opened (None without a key)."""
    if key is None:
        return None
    return hmac.new(key.encode(), token.encode(), hashlib.sha256).digest()


def session_token(headers: Headers) -> str | None:
    token = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE)
    # A real one is 43 characters: anything far longer is not worth hashing.
    return token if token and len(token) <= 128 else None


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Access:
    """The app's doors: its key, its pairing codes, the failed attempts, its network listener."""

    key: str | None
    now: Callable[[], datetime] = utc_now
    network: NetworkControl = field(default_factory=NoNetwork)
    pairing: PairingCodes = field(init=False)
    attempts: FailedAttempts = field(init=False)

    def __post_init__(self) -> None:
        self.pairing = PairingCodes(self.now)
        self.attempts = FailedAttempts(self.now)

    @staticmethod
    def key_of(settings: Settings) -> str | None:
        return settings.access_key.get_secret_value() if settings.access_key else None


class SessionRule:
    """Whether a request may go on without or with its session: run first, before the guards.

    On the loopback listener without a key, nothing is asked. Otherwise a request to the API
    needs a live session (found in the database on each request, so a removed device is out
    at once).
    """

    def __init__(
        self,
        access: Access,
        sessions: sessionmaker[Session],
        database_outage: Callable[[], str | None],
    ) -> None:
        self.key = access.key
        self.now = access.now
        self.sessions = sessions
        self.database_outage = database_outage

    def needed(self, scope: Scope) -> bool:
        if self.key is None and not from_network(scope):
            return False
        path: str = scope["path"]
        if not path.startswith("/api"):
            return False  # the UI's files hold no data
        return (scope["method"], path) not in OPEN_PATHS and path != SESSION_PATH

    async def check(self, scope: Scope, headers: Headers) -> errors.AppError | None:
        if not self.needed(scope):
            return None
        token = session_token(headers)
        if token is None:
            return errors.AuthRequired()
        try:
            device_id = await run_in_threadpool(self._find, token)
        except (sa_exc.DBAPIError, sa_exc.TimeoutError, psycopg.Error) as error:
            log.warning("database error while checking a session: %s", type(error).__name__)
            return database_failure(error, self.database_outage())
        return errors.AuthRequired() if device_id is None else None

    def _find(self, token: str) -> int | None:
        with self.sessions() as session, session.begin():
            return device_sessions.find_session(
                session=session,
                token_hash=digest(token),
                key_proof=key_proof(self.key, token),
                now=self.now(),
            )
