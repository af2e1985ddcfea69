"""The benchmark: a throwaway embedded PostgreSQL, the real server in its own process, the data
set loaded through the real import, then every measurement from an HTTP client on loopback.

Run: `.venv/bin/python -m tests.benchmarks` (about two minutes); `--data v1` loads the data set
of commit 142340c instead (version 1: no ids, nothing undone), to compare with that commit on
the same data; `--data v2` the same types with no groups and no notes, as code before groups
reads it.
"""

import argparse
import datetime
import hashlib
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg

from backend.migrate import upgrade_database
from backend.services.copies import STATE_QUERY as COPY_STATE_QUERY
from tests.benchmarks import floor
from tests.benchmarks.measure import PeakMemory, concurrent, percentile, timed, timed_each
from tests.benchmarks.report import Metric, print_table, with_ratios, write_results
from tests.benchmarks.seed import BIG_TYPE_NAME, V1_SHA256, backup_bytes
from tests.dbserver import libpq_url
from tests.resilience.processes import AppServer, Cluster, Launcher

HERE = Path(__file__).resolve().parent
API = "/api/v1"
CLIENTS = 16
JSON = {"Content-Type": "application/json"}
# The floors every other figure is shown against (see report.with_ratios).
HEALTH = "floor: GET /health p50"
PSYCOPG_MOVE = "floor: psycopg move p50"
PSYCOPG_MOVES_RATE = f"floor: psycopg moves/s, {CLIENTS} clients"


class Failed(Exception):
    """A request the benchmark relies on did not answer as the contract says."""


def ok(response: httpx.Response, status: int = 200) -> httpx.Response:
    if response.status_code != status:
        raise Failed(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:200]}"
        )
    return response


def ms(samples: list[float], p: int) -> float:
    return percentile(samples, p)


class Bench:
    def __init__(
        self, cluster: Cluster, database_url: str, data_dir: Path, version: int = 3
    ) -> None:
        self.cluster = cluster
        self.database_url = database_url
        self.libpq_url = libpq_url(database_url)
        self.server = AppServer(database_url, data_dir)
        self.metrics: list[Metric] = []
        self.type_ids: list[int] = []
        self.big_id = 0
        self.group_ids: list[int] = []
        self.version = version
        self.backup = backup_bytes(version)
        if version == 1 and hashlib.sha256(self.backup).hexdigest() != V1_SHA256:
            raise Failed("the version 1 data set is no longer the one 142340c measured")

    def add(self, *metrics: Metric) -> None:
        for metric in metrics:
            self.metrics.append(metric)
            print(f"  {metric.name}: {metric.shown(metric.value)} {metric.status}", flush=True)

    def section(self, names: list[str], measure: Callable[[], list[Metric]]) -> None:
        """Runs one measurement; if the API cannot do it yet, its goal rows say why instead."""
        try:
            self.add(*measure())
        except (Failed, httpx.HTTPError) as error:
            for name in names:
                goal, unit, higher = GOALS[name]
                self.add(Metric(name, None, unit, goal, higher, note=str(error)[:120]))

    @staticmethod
    def unseeded() -> list[Metric]:
        raise Failed("the data set could not be imported")

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, timeout=60.0)

    # --- the data set ------------------------------------------------------------------------
    def empty_database(self) -> None:
        with psycopg.connect(self.libpq_url, autocommit=True) as conn:
            conn.execute(
                "TRUNCATE groups, miniature_types, stage_counts, history_events"
                " RESTART IDENTITY CASCADE"
            )

    def import_seed(self, client: httpx.Client) -> float:
        began = time.perf_counter()
        response = client.post(
            f"{API}/import", params={"mode": "replace"}, content=self.backup, headers=JSON
        )
        elapsed = time.perf_counter() - began
        ok(response)
        return elapsed

    def load_ids(self, client: httpx.Client) -> None:
        types = ok(client.get(f"{API}/types")).json()
        self.big_id = next(t["id"] for t in types if t["name"] == BIG_TYPE_NAME)
        self.type_ids = [t["id"] for t in types if t["id"] != self.big_id]
        if self.version >= 3:
            self.group_ids = [g["id"] for g in ok(client.get(f"{API}/groups")).json()["groups"]]

    # --- measurements ------------------------------------------------------------------------
    def floors(self) -> list[Metric]:
        with self.client() as client:
            health = timed(lambda: ok(client.get(f"{API}/health")), 1000, warmup=50)

        def worker(_: int) -> list[float]:
            with self.client() as client:
                return timed(lambda: ok(client.get(f"{API}/health")), 300, warmup=5)

        many, elapsed = concurrent(worker, CLIENTS)
        result = [
            Metric(HEALTH, ms(health, 50), "ms"),
            Metric("floor: GET /health p95", ms(health, 95), "ms", floor=HEALTH),
            # The most requests/s this server and this client can exchange at all.
            Metric(
                f"floor: GET /health/s, {CLIENTS} clients",
                len(many) / elapsed,
                "/s",
                note=f"p95 {ms(many, 95):.2f} ms",
            ),
        ]
        if self.type_ids:
            one = floor.one_client(self.libpq_url, self.type_ids, 2000)
            many, elapsed = floor.many_clients(self.libpq_url, self.type_ids, CLIENTS, 300)
            result += [
                Metric(PSYCOPG_MOVE, ms(one, 50), "ms"),
                Metric("floor: psycopg move p95", ms(one, 95), "ms", floor=PSYCOPG_MOVE),
                Metric(
                    PSYCOPG_MOVES_RATE,
                    len(many) / elapsed,
                    "/s",
                    note=f"p95 {ms(many, 95):.2f} ms",
                ),
            ]
        return result

    def reads(self) -> list[Metric]:
        with self.client() as client:
            listing = timed(lambda: ok(client.get(f"{API}/types")), 200)
            queries = ["marine", "ОРК", "0042", "ёж", "е", "zzz-nothing", "Big", "00"]
            search = timed_each(
                lambda q: ok(client.get(f"{API}/types", params={"q": q})), queries * 40
            )
            ids = [self.type_ids[(n * 37) % len(self.type_ids)] for n in range(1000)]
            one = timed_each(lambda i: ok(client.get(f"{API}/types/{i}")), ids)
            # The list right after a change: the answer cache cannot serve it.
            changed = []
            for type_id in ids[:200]:
                ok(client.post(f"{API}/types/{type_id}/add", json={"qty": 1}, headers=JSON))
                changed += timed(lambda: ok(client.get(f"{API}/types")), 1, warmup=0)
        return [
            Metric("GET /types p50 (1001 types)", ms(listing, 50), "ms", floor=HEALTH),
            Metric("GET /types p95 (1001 types)", ms(listing, 95), "ms", goal=5, floor=HEALTH),
            Metric("GET /types p99 (1001 types)", ms(listing, 99), "ms", floor=HEALTH),
            Metric(
                "GET /types p95 right after a change",
                ms(changed, 95),
                "ms",
                note=f"p50 {ms(changed, 50):.2f} ms; rebuilt, not from the answer cache",
                floor=HEALTH,
            ),
            Metric(
                "GET /types?q= search p95",
                ms(search, 95),
                "ms",
                note=f"p50 {ms(search, 50):.2f} ms",
                floor=HEALTH,
            ),
            Metric(
                "GET /types/{id} p95",
                ms(one, 95),
                "ms",
                note=f"p50 {ms(one, 50):.2f} ms",
                floor=HEALTH,
            ),
            *self.group_reads(),
        ]

    def group_reads(self) -> list[Metric]:
        """One group's list (built each time, not from the answer cache) and the groups with
        their totals: the data set's 1000 types are in 30 groups."""
        if not self.group_ids:
            return []
        with self.client() as client:
            wanted = [self.group_ids[n % len(self.group_ids)] for n in range(300)]
            one = timed_each(lambda g: ok(client.get(f"{API}/types", params={"group": g})), wanted)
            groups = timed(lambda: ok(client.get(f"{API}/groups")), 200)
            stats = timed_each(
                lambda g: ok(client.get(f"{API}/stats", params={"group": g})), wanted
            )
        return [
            Metric(
                "GET /types?group= p95 (one of 30 groups)",
                ms(one, 95),
                "ms",
                note=f"p50 {ms(one, 50):.2f} ms; about 34 types each",
                floor=HEALTH,
            ),
            Metric(
                "GET /groups p95 (30 groups, their totals)",
                ms(groups, 95),
                "ms",
                note=f"p50 {ms(groups, 50):.2f} ms",
                floor=HEALTH,
            ),
            Metric(
                "GET /stats?group= p95",
                ms(stats, 95),
                "ms",
                note=f"p50 {ms(stats, 50):.2f} ms",
                floor=HEALTH,
            ),
        ]

    def move_body(self) -> bytes:
        return b'{"from_stage": "IN_BOX", "to_stage": "BUILDING", "qty": 1}'

    def moves(self) -> list[Metric]:
        body = self.move_body()

        def move(client: httpx.Client, type_id: int) -> None:
            ok(client.post(f"{API}/types/{type_id}/move", content=body, headers=JSON))

        with self.client() as client:
            ids = [self.type_ids[(n * 13) % len(self.type_ids)] for n in range(2000)]
            single = timed_each(lambda i: move(client, i), ids)

        def worker(number: int) -> list[float]:
            with self.client() as client:
                picks = [
                    self.type_ids[(number * 7919 + n * 31) % len(self.type_ids)] for n in range(400)
                ]
                return timed_each(lambda i: move(client, i), picks)

        many, elapsed = concurrent(worker, CLIENTS)
        return [
            Metric("move p50, one client", ms(single, 50), "ms", floor=PSYCOPG_MOVE),
            Metric("move p95, one client", ms(single, 95), "ms", goal=3, floor=PSYCOPG_MOVE),
            Metric(
                f"moves/s, {CLIENTS} clients",
                len(many) / elapsed,
                "/s",
                goal=500,
                higher_is_better=True,
                floor=PSYCOPG_MOVES_RATE,
            ),
            Metric(f"move p95, {CLIENTS} clients", ms(many, 95), "ms", floor=PSYCOPG_MOVE),
        ]

    def history(self) -> list[Metric]:
        url = f"{API}/types/{self.big_id}/history"
        undone = "; 1,000 of the events undone (11,000 in the log)" if self.version >= 2 else ""
        with self.client() as client:
            groups = ok(client.get(url)).json()["groups"]
            samples = timed(lambda: ok(client.get(url)), 60)
            # Right after a change elsewhere (the answer cache cannot serve it), as when the
            # type on screen is read again after another window moved miniatures.
            changed = []
            for type_id in self.type_ids[:60]:
                ok(client.post(f"{API}/types/{type_id}/add", json={"qty": 1}, headers=JSON))
                changed += timed(lambda: ok(client.get(url)), 1, warmup=0)
        return [
            Metric(
                "history p95 (10k events)",
                ms(samples, 95),
                "ms",
                goal=30,
                note=f"p50 {ms(samples, 50):.1f} ms, {len(groups)} groups{undone}; read again "
                "unchanged, as on every focus of the window",
                floor=HEALTH,
            ),
            Metric(
                "history p95 right after a change",
                ms(changed, 95),
                "ms",
                note=f"p50 {ms(changed, 50):.1f} ms; rebuilt, not from the answer cache",
                floor=HEALTH,
            ),
        ]

    def export(self) -> list[Metric]:
        with self.client() as client:
            samples = timed(lambda: ok(client.get(f"{API}/export")), 5, warmup=1)
            size = len(client.get(f"{API}/export").content)
        return [
            Metric(
                "export (1001 types, 110k events)",
                statistics.median(samples) / 1000,
                "s",
                goal=0.5,
                note=f"median of 5, max {max(samples) / 1000:.2f} s, {size / 1e6:.1f} MB",
                floor=HEALTH,
            )
        ]

    def copies(self) -> list[Metric]:
        """A manual copy of the whole data set, what the daily check costs, and moves made
        while copies are being written (against the one-client move p95 of this run)."""
        with self.client() as client:
            samples = timed(lambda: ok(client.post(f"{API}/backups"), 201), 5, warmup=1)
            size = ok(client.get(f"{API}/backups")).json()["backups"][0]["bytes"]
            listing = timed(lambda: ok(client.get(f"{API}/backups")), 100)
        state = timed(self.data_state, 20, warmup=2)

        writing = threading.Event()
        during: list[float] = []

        def copy_again_and_again() -> None:
            with self.client() as client:
                while writing.is_set():
                    ok(client.post(f"{API}/backups"), 201)

        body = self.move_body()
        writing.set()
        copier = threading.Thread(target=copy_again_and_again)
        copier.start()
        try:
            with self.client() as client:
                ids = [self.type_ids[(n * 17) % len(self.type_ids)] for n in range(600)]
                during = timed_each(
                    lambda i: ok(client.post(f"{API}/types/{i}/move", content=body, headers=JSON)),
                    ids,
                )
        finally:
            writing.clear()
            copier.join()
        baseline = next(
            (m.value for m in self.metrics if m.name == "move p95, one client" and m.value), None
        )
        ratio = f"; {ms(during, 95) / baseline:.1f}x the move p95 without" if baseline else ""
        return [
            Metric(
                "manual copy (1001 types, 110k events)",
                statistics.median(samples) / 1000,
                "s",
                goal=1,
                note=f"POST /backups, median of 5, max {max(samples) / 1000:.2f} s, "
                f"{size / 1e6:.1f} MB written and fsynced",
                floor=HEALTH,
            ),
            Metric(
                "daily check: has anything changed",
                statistics.median(state),
                "ms",
                note="the data's fingerprint, compared with the newest copy's; median of 20",
                floor=PSYCOPG_MOVE,
            ),
            Metric("GET /backups p95 (10 copies)", ms(listing, 95), "ms", floor=HEALTH),
            Metric(
                "move p95 while copies are written",
                ms(during, 95),
                "ms",
                note=f"p50 {ms(during, 50):.2f} ms, {len(during)} moves{ratio}",
                floor=PSYCOPG_MOVE,
            ),
        ]

    def data_state(self) -> None:
        with psycopg.connect(self.libpq_url) as conn:
            conn.execute(str(COPY_STATE_QUERY)).fetchone()

    def imports(self, first: float | None) -> list[Metric]:
        assert first is not None
        runs = [first]
        with self.client() as client:
            for _ in range(2):
                self.empty_database()
                runs.append(self.import_seed(client))
        return [
            Metric(
                "import (1001 types, 110k events), empty DB",
                statistics.median(runs),
                "s",
                goal=1,
                note=f"mode=replace, median of 3: {', '.join(f'{r:.2f}' for r in runs)} s; "
                f"{len(self.backup) / 1e6:.1f} MB, "
                + {
                    3: "version 3 with ids, 1,000 undo links, 30 groups and 334 recipes",
                    2: "version 2 with ids and 1,000 undo links",
                    1: "version 1 (no ids, no undo)",
                }[self.version],
                floor=HEALTH,
            )
        ]

    def warm_start(self) -> list[Metric]:
        runs = []
        for _ in range(3):
            self.server.stop()
            runs.append(self.server.start())
        return [
            Metric(
                "warm start to healthy",
                statistics.median(runs),
                "s",
                goal=1.5,
                note=f"median of 3: {', '.join(f'{r:.2f}' for r in runs)} s",
                floor=HEALTH,
            )
        ]

    def launcher_start(self) -> list[Metric]:
        """What a user waits for: `launcher.py --headless` starting its own PostgreSQL too."""
        launcher = Launcher(self.server.data_dir / "launcher")
        first = launcher.start(timeout=60)
        launcher.stop()
        runs = []
        for _ in range(2):
            runs.append(launcher.start(timeout=60))
            launcher.stop()
        return [
            Metric(
                "launcher --headless warm start",
                statistics.median(runs),
                "s",
                note=f"embedded PostgreSQL included; runs {', '.join(f'{r:.2f}' for r in runs)} s; "
                f"first start (initdb) {first:.2f} s",
                floor=HEALTH,
            )
        ]

    # --- the whole run -----------------------------------------------------------------------
    def run(self) -> None:
        upgrade_database(self.database_url)
        cold = self.server.start()
        print(f"server up in {cold:.2f} s on {self.server.url}", flush=True)
        pid: Callable[[], int | None] = lambda: (  # noqa: E731
            self.server.process.pid if self.server.process else None
        )
        with PeakMemory(pid) as memory:
            first_import: float | None = None
            with self.client() as client:
                try:
                    first_import = self.import_seed(client)
                    self.load_ids(client)
                    print(f"seeded in {first_import:.2f} s", flush=True)
                except (Failed, httpx.HTTPError) as error:
                    print(f"seeding failed, API-dependent rows will be n/a: {error}", flush=True)
            self.add(*self.floors())
            sections: list[tuple[list[str], Callable[[], list[Metric]]]] = [
                (["GET /types p95 (1001 types)"], self.reads),
                (["move p95, one client", f"moves/s, {CLIENTS} clients"], self.moves),
                (["history p95 (10k events)"], self.history),
                (["export (1001 types, 110k events)"], self.export),
                (["manual copy (1001 types, 110k events)"], self.copies),
                (
                    ["import (1001 types, 110k events), empty DB"],
                    lambda: self.imports(first_import),
                ),
            ]
            for names, measure in sections:
                self.section(names, measure if first_import is not None else self.unseeded)
            self.section(["warm start to healthy"], self.warm_start)
        self.add(Metric("peak server memory (RSS)", memory.peak_bytes / 2**20, "MB", goal=300))
        self.server.stop()
        self.add(*self.launcher_start())


# name: (goal, unit, higher is better)
GOALS: dict[str, tuple[float, str, bool]] = {
    "GET /types p95 (1001 types)": (5, "ms", False),
    "move p95, one client": (3, "ms", False),
    f"moves/s, {CLIENTS} clients": (500, "/s", True),
    "history p95 (10k events)": (30, "ms", False),
    "export (1001 types, 110k events)": (0.5, "s", False),
    "manual copy (1001 types, 110k events)": (1, "s", False),
    "import (1001 types, 110k events), empty DB": (1, "s", False),
    "warm start to healthy": (1.5, "s", False),
}


def machine(database_url: str) -> dict[str, str | int]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    with psycopg.connect(libpq_url(database_url)) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cpus": os.cpu_count() or 0,
        "load_average": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "postgresql": row[0] if row else "?",
        "platform": platform.platform(),
    }


DATA_SETS = {"v3": 3, "v2": 2, "v1": 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks")
    parser.add_argument(
        "--data",
        choices=DATA_SETS,
        default="v3",
        help="v3 (default): today's data set, with ids, 1,000 undone events, the types in 30 "
        "groups and every third with notes; v2: the same without groups or notes, as code "
        "before groups reads it; v1: the data set of commit 142340c byte for byte (no ids, no "
        "undo), to compare with that commit",
    )
    version = DATA_SETS[parser.parse_args(argv).data]
    began = time.perf_counter()
    cluster = Cluster(prefix="miniatures-bench-")
    try:
        database_url = cluster.create_database()
        info = machine(database_url)
        info["data"] = f"version {version}"
        bench = Bench(cluster, database_url, cluster.folder / "data", version)
        try:
            bench.run()
        finally:
            bench.server.stop()
    finally:
        cluster.close()
    print()
    with_ratios(bench.metrics)
    print_table(bench.metrics)
    write_results(bench.metrics, info, HERE / "results" / "latest.json", HERE / "RESULTS.md")
    print(
        f"\n{time.perf_counter() - began:.0f} s; JSON in tests/benchmarks/results/latest.json, "
        "table in tests/benchmarks/RESULTS.md"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
