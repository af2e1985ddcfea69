"""Real launcher processes on throwaway data folders under /tmp (the embedded PostgreSQL,
run as root, makes every parent folder traversable: keep test data there)."""

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.dbserver import postgres_pids

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "launcher.py"
URL_LINE = re.compile(r"is running at (http://\S+) ")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


class Launcher:
    """`python launcher.py ...` as a user runs it (or another `program` taking the same flags:
    the installed command, the bundle), with its output read line by line."""

    def __init__(
        self,
        args: list[str],
        env: dict[str, str],
        *,
        program: list[str] | None = None,
        cwd: Path = ROOT,
    ) -> None:
        self.process = subprocess.Popen(
            [*(program or [sys.executable, str(LAUNCHER)]), *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern: str | re.Pattern[str], timeout: float = 60.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r}; output so far: {self.lines}")

    def wait_for_url(self, timeout: float = 60.0) -> str:
        return self.wait_for(URL_LINE, timeout).group(1)

    def output(self) -> str:
        """Everything printed, once the process has ended."""
        while (line := self._queue.get(timeout=10)) is not None:
            self.lines.append(line)
        self._queue.put(None)
        return "\n".join(self.lines)

    def terminate(self, timeout: float = 20.0) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)


def stop_leftover_postgres(pgdata: Path) -> None:
    for pid in postgres_pids(pgdata):
        try:
            postmaster = psutil.Process(pid)
            postmaster.send_signal(signal.SIGINT)  # fast shutdown
            postmaster.wait(20)
        except psutil.Error:
            continue


@pytest.fixture
def launch_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="miniatures-desktop-", dir="/tmp"))
    yield folder
    stop_leftover_postgres(folder / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def launcher_env(launch_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "TERM"}
    }
    env.update(
        MINIATURES_DATA_DIR=str(launch_dir),
        # The test interpreter is the project's environment already: no setup step.
        MINIATURES_SKIP_BOOTSTRAP="1",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def start_launcher(launcher_env: dict[str, str]) -> Iterator[type[Launcher]]:
    """Starts launchers; any still running at the end of the test is killed."""
    started: list[Launcher] = []

    class Tracked(Launcher):
        def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
            super().__init__(args, env or launcher_env)
            started.append(self)

    yield Tracked
    for launcher in started:
        if launcher.process.poll() is None:
            launcher.process.kill()
            launcher.process.wait(10)


@pytest.fixture
def browser_stand_in(tmp_path: Path) -> tuple[str, Path]:
    """A BROWSER command that records the URLs it was asked to open, instead of opening them."""
    record = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\necho "$1" >> {record}\n')
    script.chmod(0o755)
    return str(script), record


def wait_until(condition: object, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False
