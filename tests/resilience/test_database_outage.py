"""The database stops while the app runs: requests are answered ERR_DATABASE_UNAVAILABLE while
it is down, nothing is half-written, and the app recovers by itself once the database is back."""

from collections.abc import Callable

import httpx
import pytest

from tests.desktop.conftest import wait_until
from tests.resilience.processes import AppServer, Cluster
from tests.resilience.workload import Ledger, check_invariants, create_types, movers

pytestmark = pytest.mark.slow

UNAVAILABLE = {"code": "ERR_DATABASE_UNAVAILABLE", "params": {}}
# An outage must be reported, not waited out: every answer below has to come while the database
# is still down (it is started again only afterwards). An app that waited for the database would
# not answer at all; this bound only keeps such a failure from hanging the test.
ANSWER_WITHIN_S = 60.0


def outage_requests(type_id: int) -> list[tuple[str, str, dict[str, object] | None]]:
    return [
        ("GET", "/api/v1/health", None),
        ("GET", "/api/v1/types", None),
        ("GET", f"/api/v1/types/{type_id}/history", None),
        ("POST", "/api/v1/types", {"name": "Made during the outage"}),
        (
            "POST",
            f"/api/v1/types/{type_id}/move",
            {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 1},
        ),
        ("GET", "/api/v1/export", None),
    ]


def test_database_outage_is_reported_while_it_lasts_and_recovered_without_restart(
    cluster: Cluster, app_server: Callable[[str], AppServer]
) -> None:
    server = app_server(cluster.create_database())
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        type_ids = create_types(client, ["Orks", "Тираниды"], in_box=10_000)
        ledger = Ledger()
        with movers(server.url, type_ids, ledger, 4, stop_on_transport_error=False):
            assert wait_until(lambda: ledger.acknowledged_moves >= 5, timeout=60)
            cluster.stop()  # while the movers are mid-transaction
            for method, path, body in outage_requests(type_ids[0]):
                response = client.request(method, path, json=body, timeout=ANSWER_WITHIN_S)
                assert response.status_code == 503, (path, response.text)
                assert response.json() == UNAVAILABLE

            cluster.start()
            # No restart of the app: its very next request finds the database again.
            assert client.get("/api/v1/types").status_code == 200
            recovered_at = ledger.acknowledged_moves
            moved_again = wait_until(lambda: ledger.acknowledged_moves > recovered_at, timeout=60)
            assert moved_again, "the movers did not succeed again"
        # Refused moves (not enough miniatures) and the outage; never an internal error.
        assert set(ledger.statuses) <= {200, 400, 503}, ledger.statuses
        assert ledger.statuses[503] > 0, ledger.statuses

        types = check_invariants(client, ledger)
        assert "Made during the outage" not in {kind["name"] for kind in types}
