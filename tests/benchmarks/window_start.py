"""Benchmark: "double-click to window showing the list", warm.

    .venv/bin/python -m tests.benchmarks.window_start [--runs 5]

Starts `launcher.py` as a double-click does, on a throwaway data folder with one type in
it, and times until the window's page shows that type (read from inside the page). The
first start (a new database) is reported apart. Without a display it runs its own Xvfb.
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import launcher  # noqa: E402  (the repository root is not a package)
from tests.xvfb import virtual_display  # noqa: E402

TYPE_NAME = "Bench Marines"


def double_click_python() -> str:
    """The interpreter a double-click uses: the system's, outside the virtual environment."""
    if launcher.install_needed(launcher.ROOT, launcher.VENV, launcher.EXTRAS):
        return sys.executable  # no set-up stamp: run inside the environment directly
    return str(Path(sys.base_prefix) / "bin" / "python3")


@contextlib.contextmanager
def display() -> Iterator[str]:
    """The current screen, or a virtual one."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    with virtual_display() as shown_on:
        yield shown_on


def base_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "MINIATURES_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("VIRTUAL_ENV", None)
    if launcher.install_needed(launcher.ROOT, launcher.VENV, launcher.EXTRAS):
        print("(no current set-up stamp in .venv: set-up checks skipped)")
        env["MINIATURES_SKIP_BOOTSTRAP"] = "1"
    if os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    return env


LAUNCHER = [sys.executable, str(launcher.ROOT / "launcher.py")]


def seed(env: dict[str, str], command: list[str] = LAUNCHER) -> float:
    """First start of `command` on a new data folder (initdb, migrations), then one type added;
    the seconds until it said where it serves."""
    started = time.time()
    process = subprocess.Popen(
        [*command, "--headless", "--port", "0"], env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.time() - started
    url = line.split(" is running at ")[1].split()[0]
    request = urllib.request.Request(
        f"{url}/api/v1/types",
        data=json.dumps({"name": TYPE_NAME, "counts": {"IN_BOX": 5}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).close()
    process.terminate()
    process.wait(30)
    return elapsed


def time_to_window(command: list[str], env: dict[str, str], work: Path, text: str) -> float:
    """Seconds from starting the program to its window showing `text`; then it is closed."""
    result = work / "result.json"
    result.unlink(missing_ok=True)
    (work / "probe.json").write_text(json.dumps({"wait_for_text": text, "result": str(result)}))
    started = time.time()
    code = subprocess.run(
        command,
        env={**env, "MINIATURES_DESKTOP_PROBE": str(work / "probe.json")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=180,
    ).returncode
    seen = json.loads(result.read_text())
    if code != 0 or not seen.get("text_shown"):
        raise SystemExit(f"the window did not show {text!r} (exit {code}): {seen}")
    return float(seen["shown_at"]) - started


def time_window(env: dict[str, str], folder: Path) -> float:
    command = [double_click_python(), str(launcher.ROOT / "launcher.py")]
    return time_to_window(command, env, folder, TYPE_NAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="miniatures-bench-", dir="/tmp"))
    try:
        env = base_env(folder / "data")
        (folder / "data").mkdir()
        first = seed(env)
        print(f"first start on a new data folder (headless, to the URL): {first:.2f} s")
        with display() as shown_on:
            env["DISPLAY"] = shown_on
            times = [time_window(env, folder) for _ in range(runs)]
        print(
            f"double-click to window showing the list, warm: median {statistics.median(times):.2f}"
            f" s (runs: {', '.join(f'{t:.2f}' for t in times)})"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
