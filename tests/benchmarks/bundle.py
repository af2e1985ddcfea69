"""Benchmark: the bundle's budgets.

    .venv/bin/python -m tests.benchmarks.bundle [--runs 5]

Builds the bundle with `bash tools/bundle.sh` (timed; its build environment is reused when
it is current, as on a developer's machine), then measures the archive, the unpacked
folder, and, run by a normal user with an empty PATH on a virtual display: the first start
on a new data folder (initdb, migrations) to the window showing the empty collection, and
warm starts to the window showing the list. Prints the table and rewrites the bundle block
of tests/benchmarks/RESULTS.md.
"""

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks.report import Metric, print_table, table_rows, with_ratios
from tests.benchmarks.window_start import TYPE_NAME, seed, time_to_window
from tests.desktop.conftest import stop_leftover_postgres
from tests.packaging.bundle_user import (
    ROOT,
    build_bundle,
    normal_user,
    program,
    unpack,
    user_env,
)
from tests.xvfb import virtual_display

EMPTY_COLLECTION = "Your pile starts here"  # the UI's words for an empty collection (en)
RESULTS = ROOT / "tests" / "benchmarks" / "RESULTS.md"
START, END = "<!-- bundle:start -->", "<!-- bundle:end -->"
MB = 1024 * 1024


def folder_size(path: Path) -> int:
    """Bytes on disk, as `du` counts them."""
    answer = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(answer.stdout.split()[0]) * 1024


def time_help(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run([*command, "--help"], env=env, stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - started


def measure(runs: int, given: Path | None) -> list[Metric]:
    load_before = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    archive, build_seconds = (given, None) if given else build_bundle()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    build_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    user = normal_user()
    folder = unpack(archive, user)
    try:
        work = folder / "probe"
        work.mkdir()
        shutil.chown(work, user.pw_uid, user.pw_gid)
        command = program(user, folder)
        env = user_env(user, folder)
        with virtual_display() as display:
            env["DISPLAY"] = display
            # The floor: the frozen program starting and parsing its flags, nothing more.
            floor = statistics.median(time_help(command, env) for _ in range(runs))
            first = time_to_window(command, env, work, EMPTY_COLLECTION)
            seed(env, command)
            warm = [time_to_window(command, env, work, TYPE_NAME) for _ in range(runs)]
        unpacked = folder_size(folder / "MiniaturesTracker")
    finally:
        stop_leftover_postgres(folder / "data" / "pgdata")
        shutil.rmtree(folder, ignore_errors=True)
    return with_ratios(
        [
            Metric("floor: the program's start (--help)", floor, "s", note=f"median of {runs}"),
            Metric("archive size", archive.stat().st_size / MB, "MB", 220, note=archive.name),
            Metric("unpacked size", unpacked / MB, "MB", 500, note="du: bytes on disk"),
            Metric(
                "build (tools/bundle.sh)",
                build_seconds,
                "s",
                300,
                note=f"build venv reused; {build_cpu:.0f} s of CPU, load average {load_before:.1f}"
                " at its start"
                if given is None
                else "not built in this run (--archive)",
            ),
            Metric(
                "first start to the window (initdb)",
                first,
                "s",
                5,
                note="new data folder: initdb, migrations, empty collection shown",
                floor="floor: the program's start (--help)",
            ),
            Metric(
                "warm start to the window showing the list",
                statistics.median(warm),
                "s",
                3,
                note=f"median of {runs}: " + ", ".join(f"{t:.2f}" for t in warm),
                floor="floor: the program's start (--help)",
            ),
        ]
    )


def write_summary(metrics: list[Metric]) -> None:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()} "
        f"({os.cpu_count()} CPUs, load average {load} at the end), "
        "run by a normal user with an empty PATH on Xvfb.",
        "",
        "| metric | result | × floor | goal | | note |",
        "|---|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in table_rows(metrics)),
    ]
    block = f"{START}\n" + "\n".join(lines) + f"\n{END}"
    text = RESULTS.read_text()
    if START in text:
        pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
        text = pattern.sub(lambda _: block, text)
    else:
        text += f"\n## The bundle (`python -m tests.benchmarks.bundle`)\n\n{block}\n"
    RESULTS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--archive", type=Path, help="measure this archive instead of building")
    args = parser.parse_args()
    metrics = measure(args.runs, args.archive)
    print_table(metrics)
    write_summary(metrics)


if __name__ == "__main__":
    main()
