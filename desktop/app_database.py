"""The app's database for as long as the app runs: DATABASE_URL's server as it is, or the
embedded cluster in the data folder, started, given the app's database, kept running by a
supervisor, and stopped again on the way out."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg

from backend.settings import Settings
from desktop.database import EmbeddedCluster
from desktop.supervisor import Supervisor

log = logging.getLogger(__name__)

APP_DATABASE = "miniatures"
# The embedded build has no ICU: the builtin provider gives the same Unicode behaviour everywhere.
CREATE_DATABASE = (
    f"CREATE DATABASE {APP_DATABASE} ENCODING 'UTF8' LOCALE_PROVIDER builtin "
    "BUILTIN_LOCALE 'PG_UNICODE_FAST' TEMPLATE template0"
)


def ensure_app_database(cluster: EmbeddedCluster) -> str:
    """Creates the app's database when missing; answers its URL."""
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (APP_DATABASE,)
        ).fetchone()
        if found is None:
            log.info("creating database %s", APP_DATABASE)
            conn.execute(CREATE_DATABASE)
    return cluster.url(APP_DATABASE)


def _no_reason() -> str | None:
    return None


@dataclass(frozen=True)
class AppDatabase:
    """The app's database URL, and why it is down when its supervisor knows (e.g. disk_full)."""

    url: str
    outage_reason: Callable[[], str | None] = field(default=_no_reason)


@contextmanager
def app_database(settings: Settings) -> Iterator[AppDatabase]:
    """The app's database for as long as the app runs.

    DATABASE_URL given: that server, untouched. Otherwise the embedded cluster in
    <data dir>/pgdata, kept running by a supervisor, and stopped again on the way out.
    """
    if settings.database_url:
        yield AppDatabase(settings.database_url)
        return
    cluster = EmbeddedCluster(settings.data_dir / "pgdata")
    cluster.start()
    try:
        url = ensure_app_database(cluster)
        with Supervisor(cluster) as supervisor:
            yield AppDatabase(url, supervisor.outage_reason)
    finally:
        cluster.stop()
