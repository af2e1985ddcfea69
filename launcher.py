#!/usr/bin/env python3
"""Miniatures Progress Tracker: double-click (or `python3 launcher.py`) to run the app.

The first run sets things up: a virtual environment in .venv beside this file, the
project's packages, the UI build. Then it starts again inside the virtual environment and
hands over to `desktop.app`. Later runs start at once. Standard library only until then.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "miniatures-setup.json"
LOG = VENV / "setup.log"
UI = ROOT / "ui"
EXTRAS = ("desktop",)
MIN_NODE = 20
# Tests and self-managed environments run the app straight from the current interpreter.
SKIP_ENV = "MINIATURES_SKIP_BOOTSTRAP"


class SetupError(Exception):
    """A setup step failed; the message says what to do about it."""


def venv_python(venv: Path = VENV) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def running_in(venv: Path) -> bool:
    return Path(sys.prefix).resolve() == venv.resolve()


# --- What is installed ---------------------------------------------------------------


def wanted_stamp(root: Path, extras: tuple[str, ...]) -> dict[str, object]:
    digest = hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()
    return {"pyproject_sha256": digest, "extras": sorted(extras)}


def install_needed(root: Path, venv: Path, extras: tuple[str, ...]) -> bool:
    """True unless the stamp shows this pyproject.toml installed with (at least) these extras."""
    if not venv_python(venv).exists():
        return True
    try:
        stamp = json.loads((venv / STAMP.name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    wanted = wanted_stamp(root, extras)
    installed = stamp.get("extras", []) if isinstance(stamp, dict) else []
    return (
        not isinstance(stamp, dict)
        or stamp.get("pyproject_sha256") != wanted["pyproject_sha256"]
        or not set(extras) <= set(installed)
    )


# --- Whether the UI needs a build ----------------------------------------------------


def newest_mtime(folder: Path, skip: set[str]) -> float:
    newest = 0.0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in skip and not d.startswith(".")]
        for name in filenames:
            try:
                newest = max(newest, os.stat(os.path.join(dirpath, name)).st_mtime)
            except OSError:
                continue
    return newest


def ui_build_needed(ui: Path) -> bool:
    built = ui / "dist" / "index.html"
    if not built.exists():
        return True
    return newest_mtime(ui, {"node_modules", "dist"}) > built.stat().st_mtime


def npm_install_needed(ui: Path) -> bool:
    # npm writes node_modules/.package-lock.json on every install: older than the lock = stale.
    installed = ui / "node_modules" / ".package-lock.json"
    lock = ui / "package-lock.json"
    if not installed.exists():
        return True
    return lock.exists() and lock.stat().st_mtime > installed.stat().st_mtime


def find_npm() -> str:
    """The npm command, or SetupError naming what to install."""
    npm = shutil.which("npm")
    node = shutil.which("node")
    if npm is None or node is None:
        raise SetupError(
            f"Building the UI needs Node.js {MIN_NODE} or newer, and npm was not found. "
            "Install Node.js from https://nodejs.org/ (or your package manager), then run "
            "this again."
        )
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    major = version.strip().lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < MIN_NODE:
        raise SetupError(
            f"Building the UI needs Node.js {MIN_NODE} or newer; this machine has "
            f"{version.strip() or 'an unknown version'}. Upgrade Node.js, then run this again."
        )
    return npm


# --- Steps ---------------------------------------------------------------------------


def say(message: str) -> None:
    print(message, flush=True)


def run_step(title: str, command: list[str], cwd: Path, log: Path) -> None:
    """Runs one setup command with its output in the log; on failure shows the log's tail."""
    say(f"  - {title}")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}   (in {cwd})\n")
        out.flush()
        result = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise SetupError(
            f"{title} failed (exit code {result.returncode}). Last lines of {log}:\n"
            + "\n".join("    " + line for line in tail)
        )


def create_venv(venv: Path, log: Path) -> None:
    try:
        import ensurepip  # noqa: F401  (Debian splits it out into python3-venv)
    except ImportError:
        raise SetupError(
            "This Python cannot create virtual environments. On Debian or Ubuntu install "
            "it with: sudo apt install python3-venv"
        ) from None
    venv.mkdir(parents=True, exist_ok=True)
    run_step(
        "creating the virtual environment (.venv)",
        [sys.executable, "-m", "venv", str(venv)],
        venv.parent,
        log,
    )


def install_project(root: Path, venv: Path, extras: tuple[str, ...], log: Path) -> None:
    python = str(venv_python(venv))
    run_step(
        f"installing Python packages, a few minutes the first time (details: {log})",
        [
            python,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--progress-bar",
            "off",
            "-e",
            f".[{','.join(sorted(extras))}]",
        ],
        root,
        log,
    )
    (venv / STAMP.name).write_text(json.dumps(wanted_stamp(root, extras)), encoding="utf-8")


def build_ui(ui: Path, log: Path) -> None:
    if not (ui / "package.json").exists() or not ui_build_needed(ui):
        return
    try:
        npm = find_npm()
    except SetupError:
        if (ui / "dist" / "index.html").exists():
            say("Note: the UI sources changed but Node.js is missing; using the existing build.")
            return
        raise
    if npm_install_needed(ui):
        ci = (ui / "package-lock.json").exists()
        run_step(
            "installing the UI's packages (npm)",
            [npm, "ci" if ci else "install", "--no-audit", "--no-fund"],
            ui,
            log,
        )
    run_step("building the UI", [npm, "run", "build"], ui, log)


def ensure_environment(extras: tuple[str, ...] = EXTRAS) -> Path:
    """Creates .venv and installs the project when needed; builds the UI when stale.

    Returns the virtual environment's Python. Also usable by scripts:
    `python3 -c "import launcher; launcher.ensure_environment(('desktop', 'dev'))"`.
    """
    started = time.monotonic()
    fresh = install_needed(ROOT, VENV, extras)
    if fresh:
        say("Setting up Miniatures Progress Tracker (first run, or its dependencies changed):")
        if not venv_python(VENV).exists():
            create_venv(VENV, LOG)
        install_project(ROOT, VENV, extras, LOG)
    build_ui(UI, LOG)
    if fresh:
        say(f"Setup finished in {time.monotonic() - started:.0f} s.")
    return venv_python(VENV)


def hand_over(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from desktop.app import main as app_main

    return app_main(argv)


def main(argv: list[str]) -> int:
    # Reached by older interpreters too (this file avoids newer syntax): say why it stops.
    if sys.version_info < (3, 11):  # noqa: UP036
        say(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
        return 1
    if os.environ.get(SKIP_ENV) == "1":
        return hand_over(argv)
    try:
        python = ensure_environment()
    except SetupError as error:
        say(f"Setup stopped: {error}")
        return 1
    except KeyboardInterrupt:
        say("Setup interrupted; run this again to finish it.")
        return 130
    if running_in(VENV):
        return hand_over(argv)
    # Start again inside the virtual environment, where the project's packages are.
    command = [str(python), str(Path(__file__).resolve()), *argv]
    if os.name == "nt":
        return subprocess.call(command)
    os.execv(command[0], command)
    return 1  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
