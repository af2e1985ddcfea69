"""kill -9 while clients are moving miniatures: after a restart on the same data every
acknowledged move is there, the counts agree with the history, and the app serves at once."""

import time
from collections.abc import Callable

import httpx
import pytest

from tests.resilience.processes import AppServer, Cluster
from tests.resilience.workload import Ledger, check_invariants, create_types, movers

pytestmark = pytest.mark.slow

CLIENTS = 6
MOVES_BEFORE_CRASH = 200


def move_until_crash(server: AppServer, crash: Callable[[], None]) -> Ledger:
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        type_ids = create_types(client, ["Orks", "Некроны", "Aeldari"], in_box=20_000)
    ledger = Ledger()
    with movers(server.url, type_ids, ledger, CLIENTS):
        deadline = time.monotonic() + 30
        while ledger.acknowledged_moves < MOVES_BEFORE_CRASH and time.monotonic() < deadline:
            time.sleep(0.01)
        crash()
    assert ledger.acknowledged_moves >= MOVES_BEFORE_CRASH, ledger.statuses
    assert set(ledger.statuses) <= {200, 400}, ledger.statuses
    return ledger


def restart_and_check(server: AppServer, ledger: Ledger) -> None:
    took = server.start()
    assert took < 10, f"restart took {took:.1f} s"
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        # The first request after a restart is answered normally: no warm-up, no repair step.
        assert client.get("/api/v1/types").status_code == 200
        check_invariants(client, ledger)
        type_id = next(iter(ledger.acknowledged))[0]
        move = {"from_stage": "IN_BOX", "to_stage": "BUILDING", "qty": 1}
        assert client.post(f"/api/v1/types/{type_id}/move", json=move).status_code == 200


def test_app_killed_during_moves_keeps_every_acknowledged_move(
    database_factory: Callable[[], str], app_server: Callable[[str], AppServer]
) -> None:
    server = app_server(database_factory())
    ledger = move_until_crash(server, server.kill)
    restart_and_check(server, ledger)


def test_app_and_database_killed_during_moves_keep_every_acknowledged_move(
    cluster: Cluster, app_server: Callable[[str], AppServer]
) -> None:
    server = app_server(cluster.create_database())

    def crash_both() -> None:
        server.kill()
        cluster.kill()

    ledger = move_until_crash(server, crash_both)
    cluster.start()  # PostgreSQL's crash recovery replays its log
    restart_and_check(server, ledger)
