"""Where the import checks undo links: in Python while a history's ids grow (as export writes
them, `backend/services/backup/links.py`), or always in PostgreSQL (as it does past an id that
does not grow). `python -m tests.benchmarks.undo_links [--runs N]` imports each file both ways,
alternating, into an empty database of a throwaway embedded PostgreSQL (each import rolled
back), and prints the CPU time of this process and of its PostgreSQL backend, and the wall
time: medians, and B's ratio to A. CPU time holds on a loaded machine; wall time does not.

The files: the benchmark's data set (110,000 events, 1,000 undo links), and the worst case for
the links, 20 MiB version 2 files whose one type holds every event, each with its id: every
tenth an undo (tests/security/test_hostile_input.py builds the same shape), and every other.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path

import psutil
from sqlalchemy import text
from typing_extensions import Buffer

from backend.db import make_engine, make_session_factory
from backend.limits import MAX_IMPORT_BYTES
from backend.migrate import upgrade_database
from backend.schemas import ImportMode
from backend.services.backup import check, load
from backend.services.copies import CopyStore
from backend.services.import_flow import import_backup
from tests.benchmarks.seed import backup_bytes
from tests.dbserver import create_database, postgres_server
from tests.security.test_hostile_input import one_type_file


class _InPostgres(check.UndoLinks):
    """Links that hand every history to PostgreSQL from its first event."""

    def __init__(self) -> None:
        super().__init__()
        self.unorder()


@contextmanager
def always_in_postgres() -> Iterator[None]:
    links, checked_by = check.UndoLinks, load.check_backup

    def all_unordered(body: Buffer, write: check.WriteRow) -> check.Checked:
        return replace(checked_by(body, write), unordered_ids=True)

    check.UndoLinks, load.check_backup = _InPostgres, all_unordered  # type: ignore[misc]
    try:
        yield
    finally:
        check.UndoLinks, load.check_backup = links, checked_by  # type: ignore[misc]


@contextmanager
def as_today() -> Iterator[None]:
    yield


Variant = Callable[[], AbstractContextManager[None]]


def measure(url: str, body: bytes, variant: Variant, copies: CopyStore) -> tuple[float, ...]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin(), variant():
        backend = psutil.Process(session.execute(text("SELECT pg_backend_pid()")).scalar_one())
        cpu, pg, wall = time.process_time(), backend.cpu_times(), time.perf_counter()
        summary = import_backup(
            session=session, body=body, mode=ImportMode.REPLACE, dry_run=False, copies=copies
        )
        pg_after = backend.cpu_times()
        result = (
            time.process_time() - cpu,
            pg_after.user + pg_after.system - pg.user - pg.system,
            time.perf_counter() - wall,
        )
        session.rollback()
    engine.dispose()
    assert summary.events_added > 0
    return result


def every_other_an_undo(size: int) -> bytes:
    """The most links a history can hold: each addition undone by the next event."""
    head = b'{"format":"miniatures-tracker","version":2,"types":[{"name":"All","history":['
    added = b'{"id":%d,"from_stage":null,"to_stage":"IN_BOX","qty":1,"at":"2026-11-01T09:00:00Z"}'
    undone = (
        b'{"id":%d,"from_stage":"IN_BOX","to_stage":null,"qty":1,"at":"2026-11-01T09:00:30Z",'
        b'"undoes":%d}'
    )
    pair = len(added) + len(undone) + 20
    events = []
    for number in range(1, 2 * ((size - len(head) - 8) // pair), 2):
        events += [added % number, undone % (number + 1, number)]
    return head + b",".join(events) + b"]}]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    files = {
        "benchmark data set (110,000 events)": backup_bytes(2),
        "one type, every event, ids growing (20 MiB)": one_type_file(MAX_IMPORT_BYTES),
        "one type, every other event an undo (20 MiB)": every_other_an_undo(MAX_IMPORT_BYTES),
    }
    variants: dict[str, Variant] = {
        "A: in Python while ids grow": as_today,
        "B: always in PostgreSQL": always_in_postgres,
    }
    with postgres_server() as admin:
        url = create_database(admin)
        upgrade_database(url)
        copies = CopyStore(Path(tempfile.mkdtemp()))  # an empty database takes no safety copy
        print("| file | variant | Python CPU | PostgreSQL CPU | CPU total | wall |")
        print("|---|---|---|---|---|---|")
        for name, body in files.items():
            found: dict[str, list[tuple[float, ...]]] = {v: [] for v in variants}
            for _ in range(runs):
                for label, variant in variants.items():
                    found[label].append(measure(url, body, variant, copies))
            base = 0.0
            for label, samples in found.items():
                py, pg, wall = (statistics.median(s[i] for s in samples) for i in range(3))
                ratio = f" ({(py + pg) / base:.2f}x)" if base else ""
                base = base or py + pg
                print(
                    f"| {name} | {label} | {py:.3f} s | {pg:.3f} s | {py + pg:.3f} s{ratio} |"
                    f" {wall:.3f} s |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
