"""The launcher as a process: serve, stop, restart, a second launch, a crash."""

import json
import os
import signal
import time
import urllib.request
from pathlib import Path

import psutil

from tests.dbserver import postgres_pids
from tests.desktop.conftest import free_port, get, wait_until


def create_type(base_url: str, name: str, in_box: int) -> dict[str, object]:
    request = urllib.request.Request(
        f"{base_url}/api/v1/types",
        data=json.dumps({"name": name, "counts": {"IN_BOX": in_box}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        created: dict[str, object] = json.loads(response.read())
        return created


def type_names(base_url: str) -> list[str]:
    status, body = get(f"{base_url}/api/v1/types")
    assert status == 200
    return [item["name"] for item in json.loads(body)]


def test_headless_serves_then_stops_cleanly_on_sigterm(start_launcher, launch_dir: Path) -> None:
    port = free_port()
    launcher = start_launcher(["--headless", "--port", str(port)])
    url = launcher.wait_for_url()
    assert url == f"http://127.0.0.1:{port}"
    status, body = get(f"{url}/api/v1/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert postgres_pids(launch_dir / "pgdata"), "the embedded PostgreSQL should be running"
    assert (launch_dir / "logs" / "miniatures.log").stat().st_size > 0

    started = time.monotonic()
    assert launcher.terminate(timeout=15) == 0
    assert time.monotonic() - started < 10
    assert postgres_pids(launch_dir / "pgdata") == []
    assert not (launch_dir / "pgdata" / "postmaster.pid").exists()
    assert not (launch_dir / "instance.json").exists()


def test_ctrl_c_stops_cleanly(start_launcher, launch_dir: Path) -> None:
    launcher = start_launcher(["--headless", "--port", str(free_port())])
    launcher.wait_for_url()
    launcher.process.send_signal(signal.SIGINT)
    assert launcher.process.wait(15) == 0
    assert postgres_pids(launch_dir / "pgdata") == []


def test_restart_keeps_the_collection(start_launcher, launch_dir: Path) -> None:
    # How quick a warm start is, is measured by the benchmarks (`python -m tests.benchmarks`).
    first = start_launcher(["--headless", "--port", str(free_port())])
    url = first.wait_for_url()
    create_type(url, "Space Marines", 10)
    assert first.terminate() == 0

    for _ in range(2):
        again = start_launcher(["--headless", "--port", str(free_port())])
        url = again.wait_for_url()
        assert type_names(url) == ["Space Marines"]
        assert again.terminate() == 0


def test_second_launch_points_to_the_running_app(start_launcher, launch_dir: Path) -> None:
    first = start_launcher(["--headless", "--port", str(free_port())])
    url = first.wait_for_url()
    postmasters = postgres_pids(launch_dir / "pgdata")

    second = start_launcher(["--headless", "--port", str(free_port())])
    assert second.process.wait(30) == 0
    assert f"already running at {url}" in second.output()
    assert postgres_pids(launch_dir / "pgdata") == postmasters  # no second database server
    assert get(f"{url}/api/v1/health")[0] == 200  # the first one is untouched
    assert first.terminate() == 0


def test_second_window_launch_opens_the_running_app(
    start_launcher, launcher_env: dict[str, str], browser_stand_in: tuple[str, Path]
) -> None:
    first = start_launcher(["--headless", "--port", str(free_port())])
    url = first.wait_for_url()
    command, opened = browser_stand_in
    second = start_launcher([], {**launcher_env, "BROWSER": command})
    assert second.process.wait(30) == 0
    assert opened.read_text().split() == [url]
    assert first.terminate() == 0


def test_kill_9_then_restart_reuses_the_database_and_keeps_data(
    start_launcher, launch_dir: Path
) -> None:
    first = start_launcher(["--headless", "--port", str(free_port())])
    url = first.wait_for_url()
    create_type(url, "Orks", 3)
    first.process.kill()
    first.process.wait(10)
    orphans = postgres_pids(launch_dir / "pgdata")
    assert orphans, "PostgreSQL outlives a launcher killed with -9"

    second = start_launcher(["--headless", "--port", str(free_port())])
    url = second.wait_for_url()
    assert type_names(url) == ["Orks"]
    assert postgres_pids(launch_dir / "pgdata") == orphans  # reused, not a second server
    assert second.terminate() == 0
    assert postgres_pids(launch_dir / "pgdata") == []


def test_recovers_after_everything_was_killed(start_launcher, launch_dir: Path) -> None:
    """Power-loss case: launcher and PostgreSQL both gone, a stale postmaster.pid left."""
    first = start_launcher(["--headless", "--port", str(free_port())])
    url = first.wait_for_url()
    create_type(url, "Necrons", 5)
    postmaster = psutil.Process(postgres_pids(launch_dir / "pgdata")[0])
    first.process.kill()
    first.process.wait(10)
    postmaster.kill()
    postmaster.wait(10)
    pidfile = launch_dir / "pgdata" / "postmaster.pid"
    assert pidfile.exists()
    # The dead postmaster's pid now belongs to another process: a live, unrelated pid.
    pidfile.write_text(pidfile.read_text().replace(str(postmaster.pid), str(os.getpid()), 1))

    second = start_launcher(["--headless", "--port", str(free_port())])
    url = second.wait_for_url()
    assert type_names(url) == ["Necrons"]
    assert second.terminate() == 0
    assert postgres_pids(launch_dir / "pgdata") == []


def test_busy_port_is_reported_and_nothing_is_left_running(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path
) -> None:
    first = start_launcher(["--headless", "--port", str(free_port())])
    url = first.wait_for_url()
    busy = int(url.rsplit(":", 1)[1])
    other_dir = launch_dir / "other"
    other_dir.mkdir()
    env = {**launcher_env, "MINIATURES_DATA_DIR": str(other_dir)}
    second = start_launcher(["--headless", "--port", str(busy)], env)
    assert second.process.wait(30) == 1
    assert f"cannot listen on 127.0.0.1:{busy}" in second.output()
    assert wait_until(lambda: postgres_pids(other_dir / "pgdata") == [])
    assert first.terminate() == 0


def test_external_database_url_starts_no_embedded_server(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path, pg_url: str
) -> None:
    env = {**launcher_env, "DATABASE_URL": pg_url}
    launcher = start_launcher(["--headless", "--port", str(free_port())], env)
    url = launcher.wait_for_url()
    assert get(f"{url}/api/v1/health")[0] == 200
    assert not (launch_dir / "pgdata").exists()
    assert launcher.terminate() == 0
