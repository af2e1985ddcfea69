"""Shared fixtures: a real PostgreSQL, migrated once; each test isolated.

- `client`: the real app; each test runs inside an outer transaction that is rolled back.
- `committed_client`: the real app with real commits (concurrency); tables emptied after.
- `live_server`: a real uvicorn on a free loopback port, for browser and process tests.
"""

import hashlib
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from backend.db import make_engine
from backend.main import create_app
from backend.migrate import upgrade_database
from backend.settings import Settings
from tests.dbserver import create_database, drop_database, postgres_server

BASE_URL = "http://127.0.0.1"
TABLES = "groups, miniature_types, stage_counts, history_events, device_sessions"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # As root the embedded PostgreSQL runs as another user that must traverse every parent of
    # its data folder, while pytest resets the shared /tmp/pytest-of-<user> to 0700 whenever a
    # run starts: a run in another checkout would lock this one's servers out. So each
    # checkout keeps its own base folder (emptied at the start of each run, as pytest's is).
    if config.option.basetemp is None:
        digest = hashlib.sha256(str(config.rootpath).encode()).hexdigest()[:10]
        config.option.basetemp = f"/tmp/miniatures-pytest-{digest}"


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def database_factory(pg_admin_url: str) -> Iterator[Callable[[], str]]:
    """Makes fresh empty databases on the test server; drops them at the end."""
    made: list[str] = []

    def make() -> str:
        url = create_database(pg_admin_url)
        made.append(url)
        return url

    yield make
    for url in made:
        drop_database(pg_admin_url, url)


@pytest.fixture(scope="session")
def pg_url(database_factory: Callable[[], str]) -> str:
    url = database_factory()
    upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def settings(pg_url: str, data_dir: Path) -> Settings:
    return Settings(database_url=pg_url, data_dir=data_dir)


@pytest.fixture
def backups_dir(settings: Settings) -> Iterator[Path]:
    """The shared data folder's backups/, empty before and after the test."""
    shutil.rmtree(settings.backups_dir, ignore_errors=True)
    yield settings.backups_dir
    shutil.rmtree(settings.backups_dir, ignore_errors=True)


def empty_tables(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    app = create_app(settings, session_factory=factory, daily_copies=False)
    try:
        with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as test_client:
            yield test_client
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def committed_client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, daily_copies=False)
    try:
        with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as test_client:
            yield test_client
    finally:
        empty_tables(engine)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(engine: Engine, settings: Settings) -> Iterator[str]:
    """A real server in a thread; the URL it serves, e.g. http://127.0.0.1:54321."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, engine=engine, daily_copies=False),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server did not start")
        started.wait(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def reset_db(engine: Engine) -> Iterator[None]:
    """Empties the tables before and after a test that commits through a real server."""
    empty_tables(engine)
    yield
    empty_tables(engine)
