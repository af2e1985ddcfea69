"""Keeps the embedded PostgreSQL up while the app runs.

Its server may die (killed, out of memory) or shut itself down (a PANIC whose recovery could not
write to a full disk). The supervisor notices and starts it again; PostgreSQL's crash recovery
keeps every committed change. Meanwhile the app answers 503, with the reason when it is known.
It also keeps the server's log folder bounded (EmbeddedCluster.prune_logs).
"""

import logging
import threading
import time
from types import TracebackType

from desktop.database import EmbeddedCluster, StartCancelled

log = logging.getLogger(__name__)

DISK_FULL = "disk_full"
CHECK_EVERY_S = 0.25
PRUNE_LOGS_EVERY_S = 10.0
# Waits between failed starts; the last one repeats until a start works (space freed, say).
RETRY_AFTER_S = (0.5, 1.0, 2.0, 3.0)


class Supervisor:
    def __init__(self, cluster: EmbeddedCluster) -> None:
        self._cluster = cluster
        self._stopping = threading.Event()
        self._reason: str | None = None
        self._thread = threading.Thread(target=self._watch, name="database-supervisor")

    def outage_reason(self) -> str | None:
        """Why the database is down, when that is known: for the app's 503 answers."""
        return self._reason

    def __enter__(self) -> "Supervisor":
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._stopping.set()
        self._thread.join()

    def _watch(self) -> None:
        pruned_at = time.monotonic()
        while not self._stopping.wait(CHECK_EVERY_S):
            if not self._cluster.running():
                self._restart()
            if time.monotonic() - pruned_at > PRUNE_LOGS_EVERY_S:
                self._cluster.prune_logs()
                pruned_at = time.monotonic()

    def _restart(self) -> None:
        log.warning("the embedded PostgreSQL has stopped; starting it again")
        attempt = 0
        while not self._stopping.is_set():
            self._reason = DISK_FULL if self._cluster.out_of_space() else None
            try:
                self._cluster.start(cancelled=self._stopping.is_set)
            except StartCancelled:
                log.info("the restart of PostgreSQL was cut short: the app is stopping")
                return
            except Exception as error:  # whatever it was, try again: supervision must go on
                self._reason = DISK_FULL if self._cluster.out_of_space() else None
                log.warning("PostgreSQL did not start again (%s): %s", self._reason, error)
            else:
                self._reason = None
                log.info("the embedded PostgreSQL is back")
                return
            self._stopping.wait(RETRY_AFTER_S[min(attempt, len(RETRY_AFTER_S) - 1)])
            attempt += 1
