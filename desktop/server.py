"""uvicorn in a background thread: started for real before anyone is told the URL."""

import logging
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

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


def display_url(host: str, port: int) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class AppServer:
    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        self._socket = bind(host, port)
        self.port = self._socket.getsockname()[1]
        self.url = display_url(host, self.port)
        config = uvicorn.Config(
            app,
            host=host,
            port=self.port,
            log_config=None,  # our handlers: the rotating file in the data folder
            timeout_graceful_shutdown=10,
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
