"""Benchmark: the window's memory over a long session of quick moves.

    .venv/bin/python -m tests.benchmarks.window_memory [--moves 2000] [--step 500] [--idle 60]
        [--page app|minimal] [--bundle [ARCHIVE]] [--no-chromium] [--chromium-flags FLAGS]

Opens the real window as `python3 launcher.py` does (with `--bundle`, the bundle, built by
tools/bundle.sh or given, unpacked and run by a normal user) on a throwaway data folder with
201 types, under its own Xvfb, and drives quick moves ("+1 → Building" in one of the first
rows, in turn, about 40 ms apart) through the page itself over the DevTools protocol
(`QTWEBENGINE_REMOTE_DEBUGGING`). After each step of moves, and after an idle minute, it
prints the memory (RSS) of each of the window's processes: the app's own (Qt, the server),
the web engine's renderer and zygotes (and GPU or utility processes where there are any),
their sum, the page's JS heap (V8) and DOM heap (Blink's), and how long a move took, from the
click to the row showing the new count. Then the same run in the system Chromium against the
same app, served headless, for the ratio.

`--page minimal` drives instead a page that only moves one miniature by `fetch` and shows
the count, in the same window: the web engine's own share, without the app's page.
`--chromium-flags` adds to the window's QTWEBENGINE_CHROMIUM_FLAGS (to compare settings;
the window leaves a `--js-flags` given there as it is).
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests.benchmarks.window_start import base_env, display, double_click_python
from tests.desktop.conftest import free_port, stop_leftover_postgres
from tests.devtools import MB, QUICK_MOVE_SHOWN, QUICK_MOVES, DevTools, devtools

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "launcher.py"
TYPES = 201
IN_BOX = 10_000  # each type's miniatures in the box (the minimal page moves one type's)
GAP_MS = 40
CHROMIUM = "/usr/bin/chromium"

# The engine's own share: the page replaced by a button that moves one miniature by fetch and
# a count, on the same origin (the same server, the same window).
MINIMAL_PAGE = """
async (typeId) => {
  document.documentElement.innerHTML = '<body><button id=move>+1</button> <b id=count>0</b></body>'
  document.getElementById('move').onclick = async () => {
    const answer = await fetch(`/api/v1/types/${typeId}/move`, {
      method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({from_stage: 'IN_BOX', to_stage: 'BUILDING', qty: 1}),
    })
    document.getElementById('count').textContent = (await answer.json()).counts.BUILDING
  }
  return true
}
"""
MINIMAL_MOVES = """
async (moves, gapMs) => {
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  const took = []
  const shown = document.getElementById('count')
  for (let i = 0; i < moves; i++) {
    const before = shown.textContent
    const started = performance.now()
    document.getElementById('move').click()
    while (shown.textContent === before) await pause(2)
    took.push(performance.now() - started)
    await pause(gapMs)
  }
  return took
}
"""


def own_kind(process: psutil.Process) -> str:
    """The app's own process, postgres, Chromium's browser, or the web engine's process type
    from its command line (renderer, zygote, gpu-process, utility, ...)."""
    command = process.cmdline()
    kinds = [a.removeprefix("--type=") for a in command if a.startswith("--type=")]
    if kinds:
        return "utility" if kinds[0].startswith("utility") else kinds[0]
    name = Path(command[0]).name if command else ""
    if name == "postgres":
        return "postgres"
    return "browser" if name in ("chromium", "chrome") else "app"


def usage_by_kind(root: int) -> tuple[dict[str, float], dict[str, float]]:
    """RSS (MB) and CPU time used so far (s) of the process tree under `root`, summed by kind;
    postgres is left out (the server's own benchmark covers it). Qt WebEngine's renderers keep
    the zygote's command line: a zygote's child with no children of its own is a renderer
    (with the sandbox on, a zygote starts another, whose children are the renderers)."""
    rss: dict[str, float] = {}
    cpu: dict[str, float] = {}
    kinds: dict[int, str] = {}
    parents: dict[int, int] = {}
    try:
        top = psutil.Process(root)
        processes = [top, *top.children(recursive=True)]
        for process in processes:
            kinds[process.pid] = own_kind(process)
            parents[process.pid] = process.ppid()
    except psutil.Error:
        return rss, cpu  # the window closed meanwhile
    with_children = set(parents.values())
    for process in processes:
        kind = kinds[process.pid]
        if kind == "postgres":
            continue
        if kind == "zygote" and kinds.get(parents[process.pid]) == "zygote":
            kind = "zygote" if process.pid in with_children else "renderer"
        with contextlib.suppress(psutil.Error):
            rss[kind] = rss.get(kind, 0.0) + process.memory_info().rss / MB
            times = process.cpu_times()
            cpu[kind] = cpu.get(kind, 0.0) + times.user + times.system
    return rss, cpu


@dataclass
class Sample:
    label: str
    memory: dict[str, float]
    cpu: dict[str, float]
    js_heap: float
    dom_heap: float
    move_ms: list[float] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(self.memory.values())


def sample(label: str, root: int, tools: DevTools, took: list[float] | None = None) -> Sample:
    js_heap, dom_heap = tools.heaps()
    return Sample(label, *usage_by_kind(root), js_heap, dom_heap, took or [])


def drive(tools: DevTools, root: int, args: argparse.Namespace, type_id: int) -> list[Sample]:
    """The moves, `step` at a time, a sample after each step and one after idling."""
    minimal = args.page == "minimal"
    tools.wait_for(QUICK_MOVE_SHOWN)
    if minimal:
        tools.run(MINIMAL_PAGE, type_id)
    time.sleep(3)  # the page settles (fonts, first paints) before the first sample
    samples = [sample("0", root, tools)]
    print_sample(samples)
    done = 0
    while done < args.moves:
        batch = min(args.step, args.moves - done)
        took = tools.run(MINIMAL_MOVES if minimal else QUICK_MOVES, batch, GAP_MS)
        done += batch
        samples.append(sample(f"{done:,} moves", root, tools, took))
        print_sample(samples)
    if args.idle:
        time.sleep(args.idle)
        samples.append(sample(f"{args.idle:.0f} s idle", root, tools))
        print_sample(samples)
    return samples


def print_sample(samples: list[Sample]) -> None:
    now, first = samples[-1], samples[0]
    kinds = ", ".join(f"{kind} {mb:.0f}" for kind, mb in sorted(now.memory.items()))
    line = (
        f"  {now.label:>12}: {kinds}; total {now.total:.0f} MB ({now.total - first.total:+.0f});"
        f" JS heap {now.js_heap:.1f} MB, DOM heap {now.dom_heap:.1f} MB"
    )
    if now.move_ms:
        before = samples[-2]
        cpu = {
            k: (v - before.cpu.get(k, 0.0)) * 1000 / len(now.move_ms) for k, v in now.cpu.items()
        }
        line += (
            f"; move median {statistics.median(now.move_ms):.0f} ms, p95 "
            f"{percentile(now.move_ms):.0f}; CPU per move: "
            + ", ".join(f"{kind} {ms:.1f} ms" for kind, ms in sorted(cpu.items()) if ms >= 0.05)
        )
    print(line, flush=True)


def percentile(values: list[float], share: float = 0.95) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        result: dict[str, Any] = json.load(answer)
        return result


@contextlib.contextmanager
def headless(command: list[str], env: dict[str, str]) -> Iterator[str]:
    """The app served without a window; yields its URL."""
    process = subprocess.Popen(
        [*command, "--headless", "--port", "0"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if " is running at " not in line:
            raise RuntimeError(f"the app did not start: {line!r}")
        yield line.split(" is running at ")[1].split()[0]
    finally:
        process.terminate()
        process.wait(60)


def seed(command: list[str], env: dict[str, str]) -> int:
    """A new data folder with the types; the id of the first (the minimal page moves it)."""
    with headless(command, env) as url:
        ids = [
            post_json(
                f"{url}/api/v1/types",
                {"name": f"Bench type {number:03d}", "counts": {"IN_BOX": IN_BOX}},
            )["id"]
            for number in range(TYPES)
        ]
    return int(ids[0])


@contextlib.contextmanager
def stopping(process: subprocess.Popen[bytes]) -> Iterator[None]:
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def run_window(
    command: list[str], env: dict[str, str], args: argparse.Namespace, type_id: int
) -> list[Sample]:
    port = free_port()
    window_env = {**env, "QTWEBENGINE_REMOTE_DEBUGGING": f"127.0.0.1:{port}"}
    if args.chromium_flags:
        window_env["QTWEBENGINE_CHROMIUM_FLAGS"] = args.chromium_flags
    # Its output says where DevTools listens; anything else goes to the app's log file.
    process = subprocess.Popen(
        command, env=window_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    with stopping(process), devtools(port) as tools:
        return drive(tools, process.pid, args, type_id)


def run_chromium(
    url: str, env: dict[str, str], args: argparse.Namespace, type_id: int
) -> list[Sample]:
    port = free_port()
    profile = Path(tempfile.mkdtemp(prefix="miniatures-chromium-", dir="/tmp"))
    flags = [
        f"--remote-debugging-port={port}",
        f"--user-data-dir={profile}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1100,720",  # the window's size
    ]
    if os.geteuid() == 0:
        flags.append("--no-sandbox")
    process = subprocess.Popen(
        [CHROMIUM, *flags, url], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        with stopping(process), devtools(port) as tools:
            return drive(tools, process.pid, args, type_id)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def summary(name: str, samples: list[Sample]) -> str:
    """One line: where the processes started, where they were after the moves and at the
    end, and the moves' speed."""
    first, last = samples[0], samples[-1]
    moved = [s for s in samples if s.move_ms][-1]
    took = [ms for s in samples for ms in s.move_ms]
    moves = len(took)
    renderer = "renderer" if "renderer" in last.cpu else "app"
    cpu = (moved.cpu.get(renderer, 0.0) - first.cpu.get(renderer, 0.0)) * 1000 / moves
    return (
        f"{name}: processes {first.total:.0f} MB at the start, {moved.total:.0f} MB after "
        f"{moves:,} moves ({moved.total - first.total:+.0f}), {last.total:.0f} MB at the end "
        f"({last.total - first.total:+.0f}); JS heap {first.js_heap:.1f} → {last.js_heap:.1f}"
        f" MB; move median {statistics.median(took):.0f} ms, p95 {percentile(took):.0f} ms; "
        f"{renderer} CPU {cpu:.1f} ms per move"
    )


def run_source(args: argparse.Namespace) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="miniatures-memory-", dir="/tmp"))
    lines = []
    try:
        (folder / "data").mkdir()
        env = base_env(folder / "data")
        command = [sys.executable, str(LAUNCHER)]
        type_id = seed(command, env)
        with display() as shown_on:
            env["DISPLAY"] = shown_on
            print("The window (python3 launcher.py):", flush=True)
            window = run_window([double_click_python(), str(LAUNCHER)], env, args, type_id)
            lines.append(summary("window", window))
            if not args.no_chromium:
                with headless(command, env) as url:
                    print(f"Chromium ({CHROMIUM}) on the same app:", flush=True)
                    lines.append(summary("chromium", run_chromium(url, env, args, type_id)))
    finally:
        stop_leftover_postgres(folder / "data" / "pgdata")
        shutil.rmtree(folder, ignore_errors=True)
    return lines


def run_bundle(args: argparse.Namespace) -> list[str]:
    from tests.packaging.bundle_user import build_bundle, normal_user, program, unpack, user_env

    archive = args.bundle if isinstance(args.bundle, Path) else build_bundle()[0]
    user = normal_user()
    folder = unpack(archive, user)
    try:
        command = program(user, folder)
        env = user_env(user, folder)
        type_id = seed(command, env)
        with display() as shown_on:
            env["DISPLAY"] = shown_on
            print(f"The bundle ({archive.name}), run by {user.pw_name}:", flush=True)
            return [summary("bundle", run_window(command, env, args, type_id))]
    finally:
        stop_leftover_postgres(folder / "data" / "pgdata")
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=2000)
    parser.add_argument("--step", type=int, default=500)
    parser.add_argument("--idle", type=float, default=60, help="seconds idle at the end")
    parser.add_argument("--page", choices=("app", "minimal"), default="app")
    parser.add_argument(
        "--bundle",
        nargs="?",
        const=True,
        type=Path,
        metavar="ARCHIVE",
        help="run the bundle (built by tools/bundle.sh unless an archive is given)",
    )
    parser.add_argument("--no-chromium", action="store_true", help="skip the Chromium run")
    parser.add_argument("--chromium-flags", help="the window's QTWEBENGINE_CHROMIUM_FLAGS")
    args = parser.parse_args()
    if args.moves > IN_BOX:
        parser.error(f"--moves: at most {IN_BOX} (the miniatures in one type's box)")
    print(f"{args.moves} quick moves, {GAP_MS} ms apart, on {TYPES} types; page: {args.page}")
    lines = run_bundle(args) if args.bundle else run_source(args)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
