"""The embedded PostgreSQL under a live launcher: it comes back by itself after its server is
killed, with every committed change, and what a crash leaves behind does not pile up."""

import json
import signal
import threading
import time
from contextlib import suppress
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest

from desktop.app_database import APP_DATABASE
from desktop.database import (
    LOG_FILES_KEPT,
    Postmaster,
    cluster_processes,
)
from desktop.logs import LOG_NAME
from tests.dbserver import postgres_pids
from tests.desktop.conftest import free_port, wait_until
from tests.resilience.workload import Ledger, check_invariants, create_types, movers

pytestmark = pytest.mark.slow

LONG_QUERY = "SELECT count(*) FROM generate_series(1, 10000000000)"
UNAVAILABLE = {"code": "ERR_DATABASE_UNAVAILABLE", "params": {}}
LOG_FILE_BYTES = 10 * 1024 * 1024  # desktop.database.LOG_FILE_SIZE


def statuses_until_back(client: httpx.Client, timeout: float = 120.0) -> list[int]:
    """Asks for the list until it is answered again; every status seen on the way."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get("/api/v1/types")
        seen.append(response.status_code)
        if response.status_code == 200:
            return seen
        assert response.status_code == 503 and response.json() == UNAVAILABLE, response.text
        time.sleep(0.05)
    raise AssertionError(f"the app did not answer again within {timeout} s: {seen[-5:]}")


def cluster_url(pgdata: Path) -> str:
    info = Postmaster.read(pgdata)
    assert info is not None
    return f"postgresql://postgres:@/{APP_DATABASE}?host={info.socket_dir}"


def run_in_background(url: str, sql: str) -> int:
    """Runs a statement on a connection of its own, in a thread; answers its backend's pid."""
    conn = psycopg.connect(url, autocommit=True)

    def run() -> None:
        with suppress(psycopg.Error):
            conn.execute(sql)

    threading.Thread(target=run, daemon=True).start()
    return conn.info.backend_pid


def query_running(pgdata: Path, pid: int) -> bool:
    with psycopg.connect(cluster_url(pgdata)) as conn:
        row = conn.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
    return row is not None and row[0] == "active"


def test_killed_postmaster_comes_back_with_every_committed_change(
    start_launcher, launch_dir: Path
) -> None:
    pgdata = launch_dir / "pgdata"
    launcher = start_launcher(["--headless", "--port", str(free_port())])
    url = launcher.wait_for_url()
    with httpx.Client(base_url=url, timeout=30.0) as client:
        type_ids = create_types(client, ["Orks", "Некроны"], in_box=5_000)
        ledger = Ledger()
        with movers(url, type_ids, ledger, 3, stop_on_transport_error=False):
            assert wait_until(lambda: ledger.acknowledged_moves >= 30, timeout=60)
            postmaster = psutil.Process(postgres_pids(pgdata)[0])
            postmaster.kill()  # kill -9, as the out-of-memory killer would
            seen = statuses_until_back(client)
            assert 503 in seen, seen
            assert psutil.Process(postgres_pids(pgdata)[0]).pid != postmaster.pid
            # Once back, the movers succeed again without any restart of the app.
            back_at = ledger.acknowledged_moves
            assert wait_until(lambda: ledger.acknowledged_moves > back_at + 10, timeout=60)
        assert set(ledger.statuses) <= {200, 400, 503}, ledger.statuses
        check_invariants(client, ledger)

        # And a second time: the supervisor keeps watching after a restart.
        for process in cluster_processes(pgdata):  # the whole cluster at once this time
            process.send_signal(signal.SIGKILL)
        assert 503 in statuses_until_back(client)
        check_invariants(client, ledger)
    assert launcher.terminate(timeout=60) == 0
    assert cluster_processes(pgdata) == []


def test_a_launch_waits_out_a_backend_left_by_a_killed_server(
    start_launcher, launch_dir: Path
) -> None:
    """Launcher and postmaster killed while a backend keeps running a query: the next launch
    must not start a second server beside it, and must not fail either."""
    pgdata = launch_dir / "pgdata"
    first = start_launcher(["--headless", "--port", str(free_port())])
    url = first.wait_for_url()
    with httpx.Client(base_url=url, timeout=30.0) as client:
        create_types(client, ["Tau"], in_box=7)
    # A query that never looks up from its work: it outlives its postmaster.
    backend_pid = run_in_background(cluster_url(pgdata), LONG_QUERY)
    assert wait_until(lambda: query_running(pgdata, backend_pid), timeout=30)
    first.process.kill()
    first.process.wait(10)
    psutil.Process(postgres_pids(pgdata)[0]).kill()
    assert wait_until(lambda: postgres_pids(pgdata) == [], timeout=30)
    assert psutil.Process(backend_pid).is_running(), "the busy backend should outlive its server"

    second = start_launcher(["--headless", "--port", str(free_port())])
    url = second.wait_for_url(timeout=120)
    with httpx.Client(base_url=url, timeout=30.0) as client:
        assert [kind["name"] for kind in client.get("/api/v1/types").json()] == ["Tau"]
    assert not psutil.pid_exists(backend_pid) or _zombie(backend_pid)
    # The list of handles that grew by one per crash is gone.
    assert not (pgdata / ".handle_pids.json").exists()
    assert second.terminate(timeout=60) == 0
    assert cluster_processes(pgdata) == []


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def test_log_and_leftovers_stay_bounded(start_launcher, launch_dir: Path) -> None:
    pgdata = launch_dir / "pgdata"
    first = start_launcher(["--headless", "--port", str(free_port())])
    first.wait_for_url()
    assert first.terminate(timeout=60) == 0
    # What an earlier version or a crash left: a log file that only grew, a half-written
    # safety copy of an import, a list of handles with one pid per crash.
    (pgdata / "log").rename(launch_dir / "log-folder")
    (pgdata / "log").write_bytes(b"old log line\n" * 10_000)
    (pgdata / ".handle_pids.json").write_text(json.dumps([1, 2, 3]))
    backups = launch_dir / "backups"
    backups.mkdir(exist_ok=True)
    partial = backups / ".before-import-2026-11-26T100000.123456Z.json.partial"
    partial.write_text('{"format": "miniatures-tra')
    kept = backups / "before-import-2026-11-25T100000.123456Z.json"
    kept.write_text("{}")

    again = start_launcher(["--headless", "--port", str(free_port())])
    url = again.wait_for_url()
    assert httpx.get(f"{url}/api/v1/health", timeout=30).status_code == 200
    assert (pgdata / "log").is_dir()
    names = [path.name for path in (pgdata / "log").iterdir()]
    assert names and all(name.startswith("postgresql-") for name in names), names
    assert not (pgdata / ".handle_pids.json").exists()
    assert not partial.exists()
    assert kept.exists()
    with psycopg.connect(cluster_url(pgdata)) as conn:
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('logging_collector', 'log_truncate_on_rotation', 'log_filename')"
            ).fetchall()
        )
    assert settings == {
        "logging_collector": "on",
        "log_truncate_on_rotation": "off",
        "log_filename": "postgresql-%Y-%m-%d_%H%M%S.log",
    }
    assert again.terminate(timeout=60) == 0


def test_the_servers_log_is_capped_per_file_and_in_all(start_launcher, launch_dir: Path) -> None:
    pgdata = launch_dir / "pgdata"
    launcher = start_launcher(["--headless", "--port", str(free_port())])
    launcher.wait_for_url()
    with psycopg.connect(cluster_url(pgdata), autocommit=True) as conn:
        in_force = dict(
            conn.execute(
                "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN "
                "('log_rotation_size', 'log_rotation_age', 'log_filename')"
            ).fetchall()
        )
        assert in_force == {
            "log_rotation_size": "10240kB",
            "log_rotation_age": "1440min",
            "log_filename": "postgresql-%Y-%m-%d_%H%M%S.log",
        }
        # Far more than the folder may hold, as a server that logs a lot (errors in a loop).
        # A second apart, as file names count seconds: within one, a rotation reopens its file.
        for _ in range(15):
            conn.execute(
                "DO $$ BEGIN FOR i IN 1..900 LOOP RAISE LOG '%', repeat('x', 8000); END LOOP;"
                " PERFORM pg_sleep(1.1); END $$"
            )
    folder = pgdata / "log"
    file_cap = LOG_FILE_BYTES + 64 * 1024  # the cap is checked after each message is written

    def sizes() -> list[int]:
        return [path.stat().st_size for path in folder.glob("postgresql-*.log")]

    assert wait_until(lambda: len(sizes()) == LOG_FILES_KEPT, timeout=120), sizes()
    assert all(size <= file_cap for size in sizes()), sizes()
    assert sum(sizes()) <= LOG_FILES_KEPT * file_cap
    # The newest file is the one being written: the server keeps logging after the pruning.
    with psycopg.connect(cluster_url(pgdata), autocommit=True) as conn:
        conn.execute("DO $$ BEGIN RAISE LOG 'still logging'; END $$")
    newest = max(folder.glob("postgresql-*.log"), key=lambda path: path.stat().st_mtime)
    assert wait_until(lambda: b"still logging" in newest.read_bytes(), timeout=60)
    assert launcher.terminate(timeout=60) == 0


def test_first_start_with_a_locale_that_is_not_installed(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path
) -> None:
    env = {**launcher_env, "LANG": "ru_RU.UTF-8", "LC_CTYPE": "xx_XX.UTF-8"}
    env.pop("LC_ALL", None)
    launcher = start_launcher(["--headless", "--port", str(free_port())], env)
    url = launcher.wait_for_url(timeout=120)
    with httpx.Client(base_url=url, timeout=30.0) as client:
        created = client.post("/api/v1/types", json={"name": "Ёжики", "counts": {"IN_BOX": 2}})
        assert created.status_code == 201, created.text
        assert [kind["name"] for kind in client.get("/api/v1/types").json()] == ["Ёжики"]
    with psycopg.connect(cluster_url(launch_dir / "pgdata")) as conn:
        locale = "SELECT datcollate, datctype FROM pg_database WHERE datname = 'postgres'"
        assert conn.execute(locale).fetchone() == ("C", "C")
    assert launcher.terminate(timeout=60) == 0


def recovering(pgdata: Path, killed: int) -> psutil.Process | None:
    """The startup process of a new server replaying the WAL after a crash, if there is one."""
    for process in cluster_processes(pgdata):
        try:
            if process.ppid() != killed and "startup" in " ".join(process.cmdline()):
                return process
        except psutil.Error:
            continue
    return None


def test_a_stop_during_a_restart_cuts_it_short(start_launcher, launch_dir: Path) -> None:
    """The postmaster is killed and its restart is slow (crash recovery of a large change on a
    slow disk, played here by pausing the recovery): a stop must not wait for that start to
    finish. It shuts the starting server down, and leaves nothing running and the data whole."""
    pgdata = launch_dir / "pgdata"
    launcher = start_launcher(["--headless", "--port", str(free_port())])
    url = launcher.wait_for_url()
    with httpx.Client(base_url=url, timeout=30.0) as client:
        create_types(client, ["Orks", "Некроны"], in_box=12)
    startup = None
    for _ in range(3):  # caught while it replays; a recovery quicker than the catch goes again
        with psycopg.connect(cluster_url(pgdata), autocommit=True) as conn:
            conn.execute(  # WAL that the restart has to replay
                "CREATE TABLE IF NOT EXISTS ballast (pad text);"
                "INSERT INTO ballast SELECT repeat('x', 200) FROM generate_series(1, 500000)"
            )
        killed = postgres_pids(pgdata)[0]
        psutil.Process(killed).kill()
        deadline = time.monotonic() + 60
        while startup is None and time.monotonic() < deadline:
            startup = recovering(pgdata, killed)
            ready = Postmaster.read(pgdata)
            if ready is not None and ready.pid != killed and ready.status == "ready":
                break
        if startup is not None:
            with suppress(psutil.Error):
                startup.suspend()
            break
        assert wait_until(lambda: len(postgres_pids(pgdata)) == 1, timeout=60)
    assert startup is not None, "crash recovery was never caught under way"
    try:
        launcher.process.send_signal(signal.SIGTERM)
        # The stop asks the starting server to shut down rather than waiting for its start
        # (which would take until pg_ctl gives up, minutes later).
        assert wait_until(lambda: shutdown_requested(pgdata), timeout=60)
    finally:
        with suppress(psutil.Error):
            startup.resume()
    assert launcher.process.wait(60) == 0
    assert cluster_processes(pgdata) == []
    assert "restart of PostgreSQL was cut short" in (launch_dir / "logs" / LOG_NAME).read_text()

    again = start_launcher(["--headless", "--port", str(free_port())])
    with httpx.Client(base_url=again.wait_for_url(timeout=120), timeout=30.0) as client:
        names = [kind["name"] for kind in client.get("/api/v1/types").json()]
        assert names == ["Orks", "Некроны"]
    assert again.terminate(timeout=60) == 0
    assert cluster_processes(pgdata) == []


def shutdown_requested(pgdata: Path) -> bool:
    logs = sorted((pgdata / "log").glob("postgresql-*.log"), key=lambda path: path.stat().st_mtime)
    return any(b"received fast shutdown request" in path.read_bytes() for path in logs[-2:])


def test_a_half_written_postmaster_pid_is_not_yet_a_server(tmp_path: Path) -> None:
    """A starting server writes postmaster.pid in steps (the supervisor and a launch read it
    meanwhile): until the socket folder and the address are in, it names no server to reach."""
    steps = ["4242", str(tmp_path), "1764480000", "5432", "/tmp", "127.0.0.1", "  1234  5", "ready"]
    for written in range(len(steps) + 1):
        (tmp_path / "postmaster.pid").write_text("\n".join(steps[:written]) + "\n")
        server = Postmaster.read(tmp_path)
        if written < 6:
            assert server is None, written
        else:
            assert server is not None
            assert (server.pid, server.port, server.socket_dir, server.host) == (
                4242,
                5432,
                "/tmp",
                "127.0.0.1",
            )
            assert server.status == ("ready" if written == 8 else "")
