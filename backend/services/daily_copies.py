"""The daily copy: when the app starts and then every 24 hours, if anything changed.

"Changed" compares the data's fingerprint with the one recorded in the newest copy (a few
milliseconds; no export). A background thread runs the schedule; its clock is injectable,
so the schedule is tested without waiting a day.
"""

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from backend.schemas import BackupEntry, CopyKind
from backend.services.copies import CopyStore, data_state
from backend.services.types import has_data

log = logging.getLogger(__name__)

INTERVAL = timedelta(hours=24)
# The thread looks at the wall clock at least this often, so a computer that slept through
# the due time takes its copy soon after it wakes up rather than a day later.
CHECK_EVERY = timedelta(hours=1)
# After a failure (the database unreachable, the disk full) the next try comes sooner.
RETRY_AFTER = timedelta(minutes=10)


class Clock(Protocol):
    def now(self) -> datetime: ...

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Returns after `seconds`, or as soon as `stop` is set; True when stopped."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        return stop.wait(seconds)


def take_daily_copy(store: CopyStore, session_factory: sessionmaker[Session]) -> BackupEntry | None:
    """A daily copy if the data differs from the newest copy's; an empty database with no
    copies yet needs none."""
    with session_factory() as session, session.begin():
        newest = store.newest_state()
        if newest is None:
            if not has_data(session):
                return None
        elif data_state(session) == newest:
            return None
        return store.write(session=session, kind=CopyKind.DAILY)


class DailyCopies:
    """The schedule; `start()` runs it in a thread until `stop()`."""

    def __init__(
        self,
        store: CopyStore,
        session_factory: sessionmaker[Session],
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.session_factory = session_factory
        self.clock = clock or SystemClock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        # A daemon: a copy cut short by the process ending is only a .partial file, removed
        # at the next start.
        self._thread = threading.Thread(target=self.run, name="daily-copies", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        due = self.clock.now()
        while not self._stop.is_set():
            if self.clock.now() >= due:
                due = self.clock.now() + self._check()
            left = (due - self.clock.now()).total_seconds()
            if self.clock.wait(max(0.0, min(left, CHECK_EVERY.total_seconds())), self._stop):
                return

    def _check(self) -> timedelta:
        """Takes the copy if one is due; how long until the next check."""
        try:
            take_daily_copy(self.store, self.session_factory)
        except Exception as error:  # the schedule must outlive any one failure
            log.warning("daily copy failed, trying again later: %s", type(error).__name__)
            return RETRY_AFTER
        return INTERVAL
