"""A second launch brings the running window to the front (a loopback socket and a token)."""

import contextlib
import logging
import secrets
import socket
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class FocusListener:
    """Answers "ok" to a connection that sends the token, after calling the focus callback."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.token = secrets.token_hex(16)  # only who can read the data folder may ask
        self._on_focus: Callable[[], None] | None = None
        threading.Thread(target=self._serve, name="focus", daemon=True).start()

    def on_focus(self, callback: Callable[[], None]) -> None:
        self._on_focus = callback

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return  # closed
            with conn:
                conn.settimeout(2)
                try:
                    asked = conn.recv(64).decode(errors="replace").strip()
                    if asked == self.token and self._on_focus is not None:
                        log.info("focus requested by a second launch")
                        self._on_focus()
                        conn.sendall(b"ok\n")
                except OSError:
                    continue

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._socket.close()


def request_focus(port: int, token: str) -> bool:
    """True when the running app has brought its window to the front."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as conn:
            conn.sendall(token.encode() + b"\n")
            return conn.recv(8).startswith(b"ok")
    except OSError:
        return False
