"""One running app per data folder: an OS file lock, and a small file saying where it runs."""

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from backend.files import write_atomically

LOCK_NAME = "instance.lock"
INFO_NAME = "instance.json"


@dataclass(frozen=True)
class RunningInstance:
    pid: int
    url: str
    focus: tuple[int, str] | None = None  # where a second launch asks for the window


def _try_lock(handle: IO[bytes]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:  # Windows: signal 0 is not a probe there
        return False
    return True


class InstanceBusy(Exception):
    """Another launch holds the data folder but has not said where it runs."""


class InstanceLock:
    """Held for the app's whole life; the OS releases it when the process dies, even by kill -9."""

    def __init__(self, data_dir: Path) -> None:
        self._lock_path = data_dir / LOCK_NAME
        self._info_path = data_dir / INFO_NAME
        self._handle: IO[bytes] | None = None

    def acquire(self, wait_for_other: float = 60.0) -> RunningInstance | None:
        """Takes the lock (None), or answers the instance that holds it.

        A holder still starting has not published its URL yet: wait for it, or for the lock
        to come free when that start fails.
        """
        deadline = time.monotonic() + wait_for_other
        while True:
            handle = self._lock_path.open("a+b")
            if _try_lock(handle):
                self._handle = handle
                self._info_path.unlink(missing_ok=True)  # left by a crash
                return None
            handle.close()
            other = self.running()
            if other is not None:
                return other
            if time.monotonic() > deadline:
                raise InstanceBusy(str(self._lock_path))
            time.sleep(0.1)

    def running(self) -> RunningInstance | None:
        try:
            info = json.loads(self._info_path.read_text(encoding="utf-8"))
            focus = info.get("focus")
            found = RunningInstance(
                pid=int(info["pid"]),
                url=str(info["url"]),
                focus=(int(focus[0]), str(focus[1])) if focus else None,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return found if _pid_alive(found.pid) else None

    def publish(self, url: str, focus: tuple[int, str] | None = None) -> None:
        info = {"pid": os.getpid(), "url": url, "focus": focus}
        write_atomically(self._info_path, json.dumps(info).encode())

    def release(self) -> None:
        if self._handle is None:
            return
        self._info_path.unlink(missing_ok=True)
        self._handle.close()  # closing the file releases the lock
        self._handle = None
