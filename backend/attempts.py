"""Failed attempts to open a session, per address: after 10 within a minute, that address must
wait until the minute of the first of them has passed, right key or wrong.

In memory: they matter only while they are recent, and a restart gives a guesser nothing a
minute's wait does not. Bounded: each address keeps its last 10 failures, and at most
MAX_ADDRESSES addresses are remembered (the oldest forgotten first).
"""

import math
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime, timedelta

LIMIT = 10
WINDOW = timedelta(minutes=1)
MAX_ADDRESSES = 10_000


class FailedAttempts:
    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()

    def retry_after(self, address: str) -> int | None:
        """Seconds this address must still wait, or None when it may try."""
        now = self.now()
        with self._lock:
            failures = self._failures.get(address)
            if failures is None or len(failures) < LIMIT:
                return None
            left = failures[0] + WINDOW - now
        if left <= timedelta(0):
            return None
        return max(1, math.ceil(left.total_seconds()))

    def failed(self, address: str) -> None:
        now = self.now()
        with self._lock:
            failures = self._failures.pop(address, None) or deque(maxlen=LIMIT)
            failures.append(now)
            self._failures[address] = failures  # now the newest
            while len(self._failures) > MAX_ADDRESSES:
                self._failures.popitem(last=False)
