"""Stopping the real headless launcher many times, under load: every stop ends, exits 0 and
leaves no PostgreSQL behind."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from desktop.database import cluster_processes
from tests.desktop.conftest import free_port, wait_until

pytestmark = pytest.mark.slow

STOPS = 30
CLIENTS = 4
# Each way of stopping, in turn: idle, with requests in flight, two signals at once.
KINDS = ("idle", "busy", "twice", "busy-twice", "sigint-busy")


@contextmanager
def requests_in_flight(url: str) -> Iterator[list[int]]:
    """Clients creating and listing types until the server goes away; answers counted."""
    answered: list[int] = []
    done = threading.Event()

    def client(number: int) -> None:
        with httpx.Client(base_url=url, timeout=30.0) as http:
            step = 0
            while not done.is_set():
                step += 1
                try:
                    http.post("/api/v1/types", json={"name": f"Load {number}-{step}-{id(done)}"})
                    answered.append(http.get("/api/v1/types").status_code)
                except httpx.TransportError:
                    return  # the server has stopped listening

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        yield answered
    finally:
        done.set()
        for thread in threads:
            thread.join(60)


def test_many_stops_under_load_all_end_cleanly(start_launcher, launch_dir: Path) -> None:
    pgdata = launch_dir / "pgdata"
    for number in range(STOPS):
        kind = KINDS[number % len(KINDS)]
        launcher = start_launcher(["--headless", "--port", str(free_port())])
        url = launcher.wait_for_url(timeout=120)
        first = signal.SIGINT if kind.startswith("sigint") else signal.SIGTERM
        if "busy" in kind:
            with requests_in_flight(url) as answered:
                assert wait_until(lambda: len(answered) >= 3, timeout=60), (number, kind)
                launcher.process.send_signal(first)
                if "twice" in kind:
                    launcher.process.send_signal(signal.SIGTERM)
                code = launcher.process.wait(90)
        else:
            launcher.process.send_signal(first)
            if kind == "twice":
                launcher.process.send_signal(signal.SIGTERM)
            code = launcher.process.wait(90)
        assert code == 0, (number, kind, launcher.output())
        assert cluster_processes(pgdata) == [], (number, kind)
        assert not (pgdata / "postmaster.pid").exists(), (number, kind)
