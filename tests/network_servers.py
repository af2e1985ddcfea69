"""The app on its two real listeners, for the tests of other devices: a loopback port, and the
network listener (bound to every address, reached by the tests only through 127.0.0.1 on its
port). The listener reports a documentation address (192.0.2.10, never contacted) as its URL.
"""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine

from backend.main import create_app
from backend.settings import Settings
from desktop.network import NetworkListener
from desktop.server import AppServer

REPORTED = "192.0.2.10"  # TEST-NET-1: what the listener says it is reached at; never contacted


class HeldClock:
    """The app's clock, moved only by the test."""

    def __init__(self) -> None:
        self.at = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        return stop.is_set()

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class Servers:
    loopback: httpx.Client
    network: httpx.Client  # 127.0.0.1 on the network listener's port
    listener: NetworkListener
    clock: HeldClock

    @property
    def network_port(self) -> int:
        return self.listener.port

    def pair(self, client: httpx.Client | None = None, **headers: str) -> httpx.Client:
        """A device paired through the network listener: its own client, holding the cookie."""
        code = self.loopback.post("/api/v1/pairings").json()["code"]
        device = client or httpx.Client(base_url=str(self.network.base_url), timeout=10)
        answer = device.post("/api/v1/session", json={"pair": code}, headers=headers)
        assert answer.status_code == 204, answer.text
        return device


def run_servers(settings: Settings, engine: Engine, data_dir: Path) -> Iterator[Servers]:
    clock = HeldClock()
    listener = NetworkListener(data_dir, addresses=lambda: [REPORTED], first_port=0)
    app = create_app(settings, engine=engine, daily_copies=False, clock=clock, network=listener)
    loopback = AppServer(app)
    loopback.start()
    listener.serve(app)
    listener.set_enabled(True)
    try:
        with (
            httpx.Client(base_url=f"http://127.0.0.1:{loopback.port}", timeout=10) as near,
            httpx.Client(base_url=f"http://127.0.0.1:{listener.port}", timeout=10) as far,
        ):
            yield Servers(near, far, listener, clock)
    finally:
        listener.close()
        loopback.stop()
