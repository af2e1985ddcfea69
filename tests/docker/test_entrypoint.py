"""entrypoint.sh run as the container runs it, against a real PostgreSQL and a real uvicorn."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "entrypoint.sh"
TABLES = {"miniature_types", "stage_counts", "history_events"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def container_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """The environment the image gives the script, with the venv's tools on PATH."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["MINIATURES_DATA_DIR"] = str(tmp_path / "data")
    env.update(values)
    return env


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def dockerfile_healthcheck() -> list[str]:
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, flags=re.MULTILINE)
    assert match, "the Dockerfile has no HEALTHCHECK in exec form"
    command: list[str] = json.loads(match.group(1))
    return command


def health_status(port: int) -> int | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code
    except httpx.TransportError:
        return None


def wait_until(
    what: str, done: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path, seconds: float
) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if proc.poll() is not None:
            pytest.fail(f"entrypoint exited ({proc.returncode}) before {what}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {seconds}s:\n{log.read_text()}")
        time.sleep(0.1)


@pytest.fixture
def later_database(pg_admin_url: str) -> Iterator[tuple[str, Callable[[], None]]]:
    """The URL of a database that does not exist yet, and the function that creates it."""
    url = make_url(pg_admin_url).set(database=f"miniatures_docker_{uuid.uuid4().hex[:10]}")

    def create() -> None:
        with psycopg.connect(libpq(pg_admin_url), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{url.database}\" TEMPLATE template0 ENCODING 'UTF8'")

    yield url.render_as_string(hide_password=False), create
    with psycopg.connect(libpq(pg_admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def test_entrypoint_waits_for_the_database_migrates_it_and_serves(
    later_database: tuple[str, Callable[[], None]], tmp_path: Path
) -> None:
    url, create_database = later_database
    port = free_port()
    env = container_env(tmp_path, DATABASE_URL=url, PORT=str(port), DB_WAIT_SECONDS="60")
    log = tmp_path / "entrypoint.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(ENTRYPOINT)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # The database is not there yet: the script keeps waiting instead of failing.
        wait_until("the waiting message", lambda: "waiting up to" in log.read_text(), proc, log, 15)
        time.sleep(1.5)
        assert proc.poll() is None, log.read_text()
        assert "applying database migrations" not in log.read_text()

        create_database()
        wait_until("a healthy server", lambda: health_status(port) == 200, proc, log, 60)
        body = httpx.get(f"http://127.0.0.1:{port}/api/v1/health").json()
        assert body["status"] == "ok"

        head = ScriptDirectory.from_config(Config(str(REPO / "alembic.ini"))).get_current_head()
        with psycopg.connect(libpq(url)) as conn:
            (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone() or ("",)
            tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables")}
        assert version == head
        assert tables >= TABLES

        # The image's own HEALTHCHECK command says healthy ...
        check = subprocess.run(dockerfile_healthcheck(), env=env, capture_output=True, timeout=10)
        assert check.returncode == 0, check.stderr
        # ... and, asked every few seconds from inside, its checks stay out of the access log,
        # while other requests from there are logged.
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/types").status_code == 200
        wait_until(
            "the request's log line", lambda: "/api/v1/types" in log.read_text(), proc, log, 10
        )
        assert "GET /api/v1/health" not in log.read_text()

        # exec: uvicorn itself is the process Docker signals (PID 1 in the container) ...
        assert b"uvicorn" in Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        # ... and it shuts down cleanly on SIGTERM (then re-raises it: status -15 / 143).
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in log.read_text()
        assert health_status(port) is None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_entrypoint_gives_up_on_an_unreachable_database_with_a_clear_message(
    tmp_path: Path,
) -> None:
    password = "pw-never-logged"
    url = f"postgresql+psycopg://miniatures:{password}@127.0.0.1:{free_port()}/miniatures"
    env = container_env(tmp_path, DATABASE_URL=url, DB_WAIT_SECONDS="2")
    started = time.monotonic()
    result = subprocess.run(
        [str(ENTRYPOINT)], cwd=REPO, env=env, capture_output=True, text=True, timeout=30
    )
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert 2 <= elapsed < 10, f"waited {elapsed:.1f}s for a 2s bound"
    assert "PostgreSQL at 127.0.0.1:" in output and "not reachable after 2s" in output
    assert password not in output
    assert "applying database migrations" not in output


def test_healthcheck_fails_when_no_server_answers(tmp_path: Path) -> None:
    env = container_env(tmp_path, PORT=str(free_port()))
    check = subprocess.run(dockerfile_healthcheck(), env=env, capture_output=True, timeout=10)
    assert check.returncode != 0
