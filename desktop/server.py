"""uvicorn in a background thread: started for real before anyone is told the URL."""

import logging
import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp

from backend.collector import tune_collector

log = logging.getLogger(__name__)


class ServerFailed(Exception):
    """The server could not start; the message says why."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one with no race against other programs."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as error:
        raise ServerFailed(f"cannot listen on {host}:{port} ({error.strerror})") from error


def bind_everywhere(port: int) -> socket.socket:
    """A listening socket on every address of this machine, IPv4 and IPv6 where it can."""
    if socket.has_dualstack_ipv6():
        try:
            return socket.create_server(
                ("", port), family=socket.AF_INET6, dualstack_ipv6=True, backlog=128
            )
        except OSError:
            pass  # IPv6 switched off: IPv4 alone
    return bind("0.0.0.0", port)


def display_url(host: str, port: int) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class AppServer:
    """`listening` instead of host and port: a socket bound already (the network listener's);
    `lifespan=False` for a second server of an app whose first runs its start and stop."""

    def __init__(
        self,
        app: ASGIApp,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        listening: socket.socket | None = None,
        lifespan: bool = True,
    ) -> None:
        self._socket = listening or bind(host, port)
        self.port = self._socket.getsockname()[1]
        self.url = display_url(host, self.port)
        config = uvicorn.Config(
            app,
            host=host,
            port=self.port,
            log_config=None,  # our handlers: the rotating file in the data folder
            timeout_graceful_shutdown=10,
            lifespan="auto" if lifespan else "off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="uvicorn"
        )

    def start(self, timeout: float = 30.0) -> None:
        tune_collector()
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise ServerFailed("the web server stopped while starting (see the log)")
            if time.monotonic() > deadline:
                raise ServerFailed(f"the web server did not start within {timeout:.0f} s")
            time.sleep(0.005)
        log.info("serving %s", self.url)

    def stop(self) -> None:
        """Lets requests in flight finish, then returns."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join()
        self._socket.close()
