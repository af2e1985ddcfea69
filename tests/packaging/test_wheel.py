"""The wheel is the whole app: built from the repository (`pip wheel .`) or from its sdist
(`python -m build`), it carries the built UI, the migrations and their config, and once
installed in a clean virtual environment its `miniatures-tracker` command serves the app
with no Node.js on PATH."""

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dbserver import postgres_pids
from tests.desktop.conftest import ROOT, Launcher, free_port, get, stop_leftover_postgres
from tests.desktop.test_launcher_process import create_type, type_names

MIGRATIONS = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
RESOURCES = "backend/_resources"


def run(command: list[str | Path], **kwargs: object) -> None:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, (
        f"{command} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )


def only(folder: Path, pattern: str) -> Path:
    found = list(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("built")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out / "pip", ROOT])
    # The sdist first, then a wheel from the unpacked sdist: the UI is built from its sources.
    run([sys.executable, "-m", "build", "--outdir", out / "build", ROOT])
    return {
        "pip wheel": only(out / "pip", "*.whl"),
        "build wheel": only(out / "build", "*.whl"),
        "sdist": only(out / "build", "*.tar.gz"),
    }


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_sdist_carries_the_ui_sources_and_the_migrations(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    expected = {
        "setup.py",
        "launcher.py",
        "alembic.ini",
        "migrations/env.py",
        "ui/package.json",
        "ui/package-lock.json",
        "ui/index.html",
        "ui/src/main.ts",
        *(f"migrations/versions/{name}" for name in MIGRATIONS),
    }
    assert expected <= names, expected - names
    assert not [n for n in names if n.startswith(("ui/node_modules/", "ui/dist/"))]


@pytest.mark.parametrize("kind", ["pip wheel", "build wheel"])
def test_the_wheel_carries_the_ui_and_the_migrations(built: dict[str, Path], kind: str) -> None:
    names = wheel_names(built[kind])
    expected = {
        f"{RESOURCES}/ui/index.html",
        f"{RESOURCES}/alembic.ini",
        f"{RESOURCES}/migrations/env.py",
        f"{RESOURCES}/migrations/script.py.mako",
        *(f"{RESOURCES}/migrations/versions/{name}" for name in MIGRATIONS),
        "backend/resources.py",
        "desktop/app.py",
        "desktop/icon.png",
    }
    assert expected <= names, expected - names
    assets = [n for n in names if n.startswith(f"{RESOURCES}/ui/assets/")]
    assert any(n.endswith(".js") for n in assets) and any(n.endswith(".css") for n in assets)
    with zipfile.ZipFile(built[kind]) as archive:
        index = archive.read(f"{RESOURCES}/ui/index.html").decode()
        entry_points = archive.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        ).decode()
    # Every file the page loads is in the wheel.
    for linked in re.findall(r'(?:src|href)="/(assets/[^"]+)"', index):
        assert f"{RESOURCES}/ui/{linked}" in names
    assert "miniatures-tracker = desktop.app:main" in entry_points


def test_the_sdist_builds_the_same_wheel(built: dict[str, Path]) -> None:
    assert wheel_names(built["pip wheel"]) == wheel_names(built["build wheel"])


@pytest.fixture(scope="module")
def installed(built: dict[str, Path]) -> Iterator[Path]:
    """A clean virtual environment (no access to this one's packages) with the wheel; where
    the embedded PostgreSQL's own system user (as root) can reach its programs."""
    folder = Path(tempfile.mkdtemp(prefix="miniatures-wheel-venv-", dir="/tmp"))
    folder.chmod(0o755)
    venv = folder / "venv"
    run([sys.executable, "-m", "venv", venv])
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", built["pip wheel"]])
    yield venv
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Under /tmp: as root the embedded PostgreSQL opens up every parent folder of its data.
    folder = Path(tempfile.mkdtemp(prefix="miniatures-wheel-", dir="/tmp"))
    yield folder
    stop_leftover_postgres(folder / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


def test_the_installed_command_serves_the_app_without_node(
    installed: Path, data_dir: Path, tmp_path: Path
) -> None:
    # Only the environment's own commands, and useradd (the embedded PostgreSQL, as root).
    path = f"{installed / 'bin'}:/usr/sbin:/sbin"
    assert shutil.which("node", path=path) is None and shutil.which("npm", path=path) is None
    where = subprocess.run(
        [
            installed / "bin" / "python",
            "-c",
            "from backend import resources; print(resources.ui_dist())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.strip()
    assert where.startswith(str(installed)), where  # nothing comes from the source tree

    env = {"PATH": path, "MINIATURES_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    app = Launcher(
        ["--headless", "--port", str(free_port())],
        env,
        program=[str(installed / "bin" / "miniatures-tracker")],
        cwd=tmp_path,
    )
    try:
        url = app.wait_for_url(timeout=90)
        status, page = get(url)
        assert status == 200 and b'<div id="app">' in page
        for asset in re.findall(rb'(?:src|href)="(/assets/[^"]+)"', page):
            assert get(url + asset.decode())[0] == 200
        status, body = get(f"{url}/api/v1/health")
        assert status == 200 and json.loads(body)["status"] == "ok"
        create_type(url, "Space Marines", 10)
        assert type_names(url) == ["Space Marines"]
        assert app.terminate() == 0
    finally:
        if app.process.poll() is None:
            app.process.kill()
            app.process.wait(10)
    assert postgres_pids(data_dir / "pgdata") == []
