"""Ctrl-C and SIGTERM as one "please stop" event, noticed even while Qt owns the main thread."""

import logging
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType

log = logging.getLogger(__name__)


class StopRequest:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._wakeup: tuple[socket.socket, socket.socket] | None = None  # kept open while we run

    def install(self) -> None:
        """Must run on the main thread, before any GUI loop starts."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        # A Python signal handler waits until the main thread runs Python again, which a GUI
        # loop may not do for a long time: the wakeup fd is written at once, from C.
        reader, writer = socket.socketpair()
        writer.setblocking(False)
        signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self._wakeup = (reader, writer)
        threading.Thread(target=self._watch, args=(reader,), name="signals", daemon=True).start()

    def _watch(self, reader: socket.socket) -> None:
        stopping = {int(signal.SIGINT), int(signal.SIGTERM)}
        while data := reader.recv(1):
            if data[0] in stopping:
                self.request(signal.Signals(data[0]).name)

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        # Runs on the main thread between two bytecodes, perhaps inside Event.wait holding its
        # lock, or inside request() holding ours: it must take no lock at all. The C handler
        # has already written the signal to the wakeup fd, and the watcher thread stops us.
        pass

    def on_stop(self, callback: Callable[[], None]) -> None:
        with self._lock:
            self._callbacks.append(callback)
            already = self._event.is_set()
        if already:
            callback()

    def request(self, reason: str) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks = list(self._callbacks)
        log.info("stop requested (%s)", reason)
        for callback in callbacks:
            try:
                callback()
            except Exception:  # e.g. a window that never opened: the rest must still stop
                log.exception("stop callback failed")

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def wait(self) -> None:
        # Short waits keep the main thread interruptible on every platform.
        while not self._event.wait(0.5):
            pass
