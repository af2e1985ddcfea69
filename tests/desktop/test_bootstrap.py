"""launcher.py's set-up: what decides a reinstall or a UI build, and real runs on a tiny project."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import launcher
from tests.desktop.conftest import LAUNCHER

APP_STUB = """
import sys

def main(argv):
    print("app started in", sys.prefix, "with", argv, flush=True)
    return 0
"""
TINY_PYPROJECT = """
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "tiny-app"
version = "0.1.0"

[project.optional-dependencies]
desktop = []

[tool.setuptools]
packages = ["desktop"]
"""
# A UI whose build needs nothing from the registry: writes dist/index.html with node.
UI_PACKAGE = {
    "name": "tiny-ui",
    "version": "0.1.0",
    "private": True,
    "scripts": {
        "build": "node -e \"require('fs').mkdirSync('dist',{recursive:true});"
        "require('fs').writeFileSync('dist/index.html','built')\""
    },
}
UI_LOCK = {
    "name": "tiny-ui",
    "version": "0.1.0",
    "lockfileVersion": 3,
    "requires": True,
    "packages": {"": {"name": "tiny-ui", "version": "0.1.0"}},
}


def make_project(root: Path, with_ui: bool = False) -> Path:
    shutil.copy(LAUNCHER, root / "launcher.py")
    (root / "pyproject.toml").write_text(TINY_PYPROJECT)
    (root / "desktop").mkdir()
    (root / "desktop" / "__init__.py").write_text("")
    (root / "desktop" / "app.py").write_text(APP_STUB)
    if with_ui:
        (root / "ui" / "src").mkdir(parents=True)
        (root / "ui" / "src" / "main.ts").write_text("export {}\n")
        (root / "ui" / "package.json").write_text(json.dumps(UI_PACKAGE))
        (root / "ui" / "package-lock.json").write_text(json.dumps(UI_LOCK))
    return root


def run(root: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env.pop("MINIATURES_SKIP_BOOTSTRAP", None)
    if path is not None:
        env["PATH"] = path
    # The base interpreter, as a user without any environment would run it.
    python = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return subprocess.run(
        [str(python), str(root / "launcher.py"), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# --- Decisions ---------------------------------------------------------------------------


def fake_venv(root: Path) -> Path:
    venv = root / ".venv"
    launcher.venv_python(venv).parent.mkdir(parents=True)
    launcher.venv_python(venv).write_text("")
    return venv


def write_stamp(root: Path, venv: Path, extras: tuple[str, ...]) -> None:
    stamp = launcher.wanted_stamp(root, extras)
    (venv / launcher.STAMP.name).write_text(json.dumps(stamp))


def test_install_needed_without_a_virtual_environment(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(TINY_PYPROJECT)
    assert launcher.install_needed(tmp_path, tmp_path / ".venv", ("desktop",))


def test_stamp_of_this_pyproject_means_no_reinstall(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(TINY_PYPROJECT)
    venv = fake_venv(tmp_path)
    write_stamp(tmp_path, venv, ("desktop", "dev"))
    assert not launcher.install_needed(tmp_path, venv, ("desktop",))


def test_changed_pyproject_means_reinstall(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(TINY_PYPROJECT)
    venv = fake_venv(tmp_path)
    write_stamp(tmp_path, venv, ("desktop",))
    (tmp_path / "pyproject.toml").write_text(TINY_PYPROJECT + "\n# a new dependency\n")
    assert launcher.install_needed(tmp_path, venv, ("desktop",))


def test_missing_extra_or_broken_stamp_means_reinstall(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(TINY_PYPROJECT)
    venv = fake_venv(tmp_path)
    write_stamp(tmp_path, venv, ("dev",))
    assert launcher.install_needed(tmp_path, venv, ("desktop",))
    (venv / launcher.STAMP.name).write_text("{not json")
    assert launcher.install_needed(tmp_path, venv, ("desktop",))


def test_ui_build_follows_the_sources(tmp_path: Path) -> None:
    ui = make_project(tmp_path, with_ui=True) / "ui"
    assert launcher.ui_build_needed(ui)  # never built
    (ui / "dist").mkdir()
    (ui / "dist" / "index.html").write_text("built")
    (ui / "node_modules" / "left-pad").mkdir(parents=True)
    past = time.time() - 100
    os.utime(ui / "src" / "main.ts", (past, past))
    os.utime(ui / "package.json", (past, past))
    os.utime(ui / "package-lock.json", (past, past))
    assert not launcher.ui_build_needed(ui)
    (ui / "node_modules" / "left-pad" / "index.js").write_text("")  # not a source
    assert not launcher.ui_build_needed(ui)
    os.utime(ui / "src" / "main.ts")
    assert launcher.ui_build_needed(ui)


def test_npm_install_follows_the_lock(tmp_path: Path) -> None:
    ui = make_project(tmp_path, with_ui=True) / "ui"
    assert launcher.npm_install_needed(ui)
    (ui / "node_modules").mkdir()
    (ui / "node_modules" / ".package-lock.json").write_text("{}")
    past = time.time() - 100
    os.utime(ui / "package-lock.json", (past, past))
    assert not launcher.npm_install_needed(ui)
    os.utime(ui / "package-lock.json")
    assert launcher.npm_install_needed(ui)


def path_without_node(tmp_path: Path) -> str:
    """PATH with the Python interpreter but no node/npm."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    return f"{bin_dir}:/nonexistent"


def test_missing_npm_names_nodejs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", path_without_node(tmp_path))
    with pytest.raises(launcher.SetupError, match=r"Node\.js 20 or newer.*npm was not found"):
        launcher.find_npm()


def test_old_node_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in (("node", "echo v18.19.0"), ("npm", "exit 0")):
        (bin_dir / name).write_text(f"#!/bin/sh\n{script}\n")
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(launcher.SetupError, match=r"Node\.js 20 or newer; this machine has v18"):
        launcher.find_npm()


def test_stale_ui_without_node_keeps_the_existing_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ui = make_project(tmp_path, with_ui=True) / "ui"
    (ui / "dist").mkdir()
    (ui / "dist" / "index.html").write_text("old build")
    os.utime(ui / "dist" / "index.html", (time.time() - 100, time.time() - 100))
    monkeypatch.setenv("PATH", path_without_node(tmp_path))
    launcher.build_ui(ui, tmp_path / "setup.log")
    assert "using the existing build" in capsys.readouterr().out
    assert (ui / "dist" / "index.html").read_text() == "old build"


# --- Real runs on a tiny project ---------------------------------------------------------


def test_first_run_without_npm_stops_with_a_clear_message(tmp_path: Path) -> None:
    root = make_project(tmp_path, with_ui=True)
    venv = root / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    write_stamp(root, venv, ("desktop",))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    result = run(root, "--headless", path=str(bin_dir))
    assert result.returncode == 1
    assert "Node.js 20 or newer" in result.stdout
    assert "app started" not in result.stdout


def test_later_runs_hand_over_at_once(tmp_path: Path) -> None:
    """A stamp that matches: no setup, straight into the project's environment."""
    root = make_project(tmp_path)
    venv = root / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    write_stamp(root, venv, ("desktop",))
    started = time.monotonic()
    result = run(root, "--headless", "--port", "9")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"app started in {venv} with ['--headless', '--port', '9']"
    assert time.monotonic() - started < 2.0


def test_first_run_sets_up_then_later_runs_skip_it(tmp_path: Path) -> None:
    root = make_project(tmp_path, with_ui=True)
    first = run(root, "--browser")
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("Setting up Miniatures Progress Tracker")
    assert any("installing Python packages" in line for line in lines)
    assert any("building the UI" in line for line in lines)
    assert lines[-1] == f"app started in {root / '.venv'} with ['--browser']"
    assert len(lines) <= 10, "a few readable lines, not pip's output"
    assert "Successfully installed" in (root / ".venv" / "setup.log").read_text()
    assert (root / "ui" / "dist" / "index.html").read_text() == "built"

    second = run(root)
    assert second.returncode == 0
    assert second.stdout.splitlines() == [f"app started in {root / '.venv'} with []"]

    # Sources newer than the build: only the UI is built again.
    time.sleep(0.01)
    (root / "ui" / "src" / "main.ts").write_text("export const changed = 1\n")
    third = run(root)
    assert "installing Python packages" not in third.stdout
    assert "building the UI" in third.stdout
