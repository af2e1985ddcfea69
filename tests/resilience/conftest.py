"""Fixtures for crash tests: the app in a process of its own, on a database it may lose."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backend.migrate import upgrade_database
from tests.resilience.processes import AppServer, Cluster


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """An embedded PostgreSQL of this test's own, so it can be killed or stopped."""
    own = Cluster()
    try:
        yield own
    finally:
        own.close()


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[Callable[[str], AppServer]]:
    """Starts the app on a migrated database URL; every server started is stopped after."""
    started: list[AppServer] = []

    def start(database_url: str) -> AppServer:
        upgrade_database(database_url)
        server = AppServer(database_url, tmp_path / "data")
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
