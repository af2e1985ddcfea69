"""A window onto an app already serving elsewhere: is the URL this app, in a version we can use?"""

import hashlib
import http.client
import json
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from backend import __version__

HEALTH_PATH = "/api/v1/health"
TIMEOUT = 10.0
MAX_ANSWER_BYTES = 64 * 1024  # a health answer is tiny: never read a stranger's huge reply
CONNECTIONS_DIR = "connections"


class ServerCheckFailed(Exception):
    """The URL is not an app this window can open; the message is one line for the user."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"Cannot connect to {url}: {problem}.")


def normalise_server_url(text: str) -> str:
    """`http(s)://host[:port]` as the window will load it; a bare `host:port` means http.

    Raises ServerCheckFailed for anything else (the app is served at a server's root).
    """
    plain = bool(text) and not any(c.isspace() or not c.isprintable() for c in text)
    shown = text if plain else repr(text)
    raw = text.strip()
    if not raw or any(c.isspace() or not c.isprintable() for c in raw):
        raise ServerCheckFailed(shown, "that is not a valid URL")
    if "://" not in raw:
        raw = f"http://{raw}"
    try:
        parts = urllib.parse.urlsplit(raw)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number in range)
    except ValueError as error:
        raise ServerCheckFailed(shown, f"that is not a valid URL ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ServerCheckFailed(shown, "that is not a valid URL (use http:// or https://)")
    if not parts.hostname:
        raise ServerCheckFailed(shown, "that is not a valid URL (it names no host)")
    if parts.username is not None or parts.password is not None:
        raise ServerCheckFailed(shown, "the app takes no user name or password in its URL")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ServerCheckFailed(
            shown, "the app is served at the root of its server; give only http://host:port"
        )
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


def server_label(url: str) -> str:
    """Where a window is connected, for its title: e.g. `127.0.0.1:8000`."""
    return urllib.parse.urlsplit(url).netloc


def connection_folder(data_dir: Path, url: str) -> Path:
    """One folder per server: the window's lock and web storage for that target."""
    readable = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")[:60]
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return data_dir / CONNECTIONS_DIR / f"{readable}-{digest}"


def major_version(version: str) -> int | None:
    found = re.match(r"(\d+)\.", version)
    return int(found.group(1)) if found else None


def usable_version(version: str, own: str = __version__) -> bool:
    """The same major version: the API path, the backup format and the bridge agree."""
    major = major_version(version)
    return major is not None and major == major_version(own)


def _read_json(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _unreachable(url: str, reason: object) -> ServerCheckFailed:
    if isinstance(reason, ConnectionRefusedError):
        return ServerCheckFailed(url, "nothing answers there (connection refused)")
    if isinstance(reason, TimeoutError):
        return ServerCheckFailed(url, f"no answer within {TIMEOUT:.0f} s")
    if isinstance(reason, socket.gaierror):
        host = urllib.parse.urlsplit(url).hostname
        return ServerCheckFailed(url, f"the host name {host} is not known")
    if isinstance(reason, ssl.SSLError):
        return ServerCheckFailed(url, f"the secure connection failed ({reason.reason})")
    return ServerCheckFailed(url, f"the connection failed ({reason})")


def _not_this_app(url: str, status: int, body: bytes) -> ServerCheckFailed:
    answer = _read_json(body)
    code = answer.get("code") if isinstance(answer, dict) else None
    if code == "ERR_BAD_HOST":
        host = urllib.parse.urlsplit(url).hostname
        return ServerCheckFailed(
            url,
            f"the app there refuses the host name {host}; "
            "add it to MINIATURES_ALLOWED_HOSTS where the server runs",
        )
    if code == "ERR_DATABASE_UNAVAILABLE":
        return ServerCheckFailed(url, "the app answers but its database is unavailable")
    what = f"HTTP {status}" if status != 200 else "an answer that is not the app's"
    return ServerCheckFailed(
        url, f"it answers, but not as Miniatures Progress Tracker ({what} for {HEALTH_PATH})"
    )


def check_server(url: str) -> str:
    """Asks `GET URL/api/v1/health`; answers the server's version, or raises ServerCheckFailed."""
    request = urllib.request.Request(f"{url}{HEALTH_PATH}", headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            status, body = response.status, response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        with error:
            raise _not_this_app(url, error.code, error.read(MAX_ANSWER_BYTES)) from None
    except urllib.error.URLError as error:
        raise _unreachable(url, error.reason) from None
    except http.client.HTTPException:  # something that does not speak HTTP
        raise ServerCheckFailed(
            url, "it answers, but not as Miniatures Progress Tracker (not HTTP)"
        ) from None
    except OSError as error:  # e.g. the connection reset mid-answer
        raise _unreachable(url, error) from None
    answer = _read_json(body)
    if not (
        status == 200
        and isinstance(answer, dict)
        and answer.get("status") == "ok"
        and isinstance(answer.get("version"), str)
    ):
        raise _not_this_app(url, status, body)
    version: str = answer["version"]
    if not usable_version(version):
        raise ServerCheckFailed(
            url,
            f"it runs version {version[:40]}, and this window works with version "
            f"{major_version(__version__)}.x (update the older one)",
        )
    return version
