"""A full disk, for real: the data folder on a small filesystem of its own that the test fills.

Meanwhile every 503 says `reason: disk_full`; once space is freed the app answers again by
itself, with everything that was acknowledged before."""

import errno
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from desktop.database import cluster_processes
from tests.dbserver import postgres_pids
from tests.desktop.conftest import free_port, stop_leftover_postgres, wait_until

pytestmark = pytest.mark.slow

SIZE = "160m"  # the cluster takes about 45 MB
DISK_FULL = {"code": "ERR_DATABASE_UNAVAILABLE", "params": {"reason": "disk_full"}}


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A tmpfs of SIZE for this test; skipped, loudly, only where mounting is impossible."""
    folder = Path(tempfile.mkdtemp(prefix="miniatures-disk-", dir="/tmp"))
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mount.returncode != 0:
        folder.rmdir()
        pytest.skip(
            "FULL-DISK PATH NOT TESTED: cannot mount a small filesystem here "
            f"(needs root; uid {os.getuid()}): {mount.stderr.strip()}"
        )
    try:
        yield folder
    finally:
        stop_leftover_postgres(folder / "data" / "pgdata")
        wait_until(lambda: cluster_processes(folder / "data" / "pgdata") == [], timeout=30)
        subprocess.run(["umount", "--lazy", str(folder)], check=False)
        folder.rmdir()


def fill(path: Path) -> None:
    """Writes zeros until the filesystem has no byte left."""
    with path.open("wb", buffering=0) as file:
        for chunk in (b"\0" * (1 << 20), b"\0" * 4096, b"\0"):
            try:
                while file.write(chunk):
                    pass
            except OSError as error:
                assert error.errno == errno.ENOSPC, error


def health(client: httpx.Client) -> tuple[int, object]:
    response = client.get("/api/v1/health")
    return response.status_code, response.json()


def test_full_disk_is_reported_and_the_app_comes_back_once_space_is_freed(
    start_launcher, launcher_env: dict[str, str], small_disk: Path
) -> None:
    data = small_disk / "data"
    pgdata = data / "pgdata"
    env = {**launcher_env, "MINIATURES_DATA_DIR": str(data)}
    launcher = start_launcher(["--headless", "--port", str(free_port())], env)
    url = launcher.wait_for_url(timeout=120)
    kept: list[str] = []
    with httpx.Client(base_url=url, timeout=60.0) as client:
        for number in range(10):
            name = f"Before {number}"
            assert client.post("/api/v1/types", json={"name": name}).status_code == 201
            kept.append(name)

        filler = small_disk / "filler"
        fill(filler)
        refused = 0
        for number in range(300):  # until PostgreSQL has to ask for more space, and cannot
            name = f"While full {number} " + "x" * 80
            response = client.post("/api/v1/types", json={"name": name, "counts": {"DONE": 1}})
            if response.status_code == 201:
                kept.append(name)
                continue
            assert (response.status_code, response.json()) == (503, DISK_FULL), response.text
            refused += 1
            if refused == 5:
                break
        assert refused == 5, "the full disk was never noticed"

        # The server dies while the disk is full: it cannot start again until space is freed.
        postmaster = psutil.Process(postgres_pids(pgdata)[0])
        postmaster.kill()
        assert wait_until(lambda: health(client) == (503, DISK_FULL), timeout=60)
        failed_starts = launcher_log(data).count("did not start again (disk_full)")
        assert wait_until(
            lambda: launcher_log(data).count("did not start again (disk_full)") > failed_starts,
            timeout=60,
        ), "the supervisor stopped trying"
        assert health(client) == (503, DISK_FULL)

        filler.unlink()  # the user frees some space
        assert wait_until(lambda: health(client)[0] == 200, timeout=120), launcher_log(data)
        names = {kind["name"] for kind in client.get("/api/v1/types").json()}
        assert set(kept) <= names
        assert client.post("/api/v1/types", json={"name": "After"}).status_code == 201
    assert launcher.terminate(timeout=60) == 0
    assert cluster_processes(pgdata) == []


def launcher_log(data: Path) -> str:
    return (data / "logs" / "miniatures.log").read_text(errors="replace")
