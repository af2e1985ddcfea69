"""A long mixed run from several clients at once, then the invariants: each client owns its
types, so it knows their exact counts, and the server must agree to the miniature."""

import random
import threading
from collections.abc import Callable

import httpx
import pytest

from backend.stages import STAGES
from tests.resilience.processes import AppServer
from tests.resilience.workload import API, check_invariants

pytestmark = pytest.mark.slow

CLIENTS = 4
OPERATIONS_EACH = 750

Model = dict[int, dict[str, int]]  # type id -> counts, as the client expects them


def mixed_operations(base_url: str, number: int, models: list[Model], errors: list[str]) -> None:
    rng = random.Random(number)
    model: Model = {}
    names: dict[int, str] = {}
    with httpx.Client(base_url=base_url, timeout=30.0) as client:

        def expect(response: httpx.Response, status: int, what: str) -> httpx.Response:
            if response.status_code != status:
                errors.append(f"client {number}, {what}: {response.status_code} {response.text}")
                raise AssertionError(errors[-1])
            return response

        def check_counts(type_id: int, body: dict[str, object]) -> None:
            if body["counts"] != model[type_id]:
                errors.append(f"client {number}, type {type_id}: {body} != {model[type_id]}")
                raise AssertionError(errors[-1])

        for step in range(OPERATIONS_EACH):
            roll = rng.random()
            if not model or roll < 0.05:
                name = f"Client {number} kind {step} ёлка"
                counts = {"IN_BOX": rng.randint(0, 50), "PAINTING": rng.randint(0, 3)}
                body = expect(
                    client.post(f"{API}/types", json={"name": name, "counts": counts}),
                    201,
                    "create",
                ).json()
                model[body["id"]] = {stage: counts.get(stage, 0) for stage in STAGES}
                names[body["id"]] = name
                check_counts(body["id"], body)
                continue
            type_id = rng.choice(list(model))
            if roll < 0.15:
                stage, qty = rng.choice(STAGES), rng.randint(1, 20)
                body = expect(
                    client.post(f"{API}/types/{type_id}/add", json={"stage": stage, "qty": qty}),
                    200,
                    "add",
                ).json()
                model[type_id][stage] += qty
                check_counts(type_id, body)
            elif roll < 0.65:
                index = rng.randrange(len(STAGES) - 1)
                from_stage = STAGES[index]
                to_stage = rng.choice(STAGES[index + 1 :])
                qty = rng.randint(1, 4)
                response = client.post(
                    f"{API}/types/{type_id}/move",
                    json={"from_stage": from_stage, "to_stage": to_stage, "qty": qty},
                )
                if model[type_id][from_stage] >= qty:
                    body = expect(response, 200, "move").json()
                    model[type_id][from_stage] -= qty
                    model[type_id][to_stage] += qty
                    check_counts(type_id, body)
                else:
                    expect(response, 400, "move beyond what there is")
                    refusal = {
                        "code": "ERR_INSUFFICIENT_QTY",
                        "params": {"available": model[type_id][from_stage]},
                    }
                    assert response.json() == refusal, response.text
            elif roll < 0.70:
                names[type_id] = f"Client {number} renamed {step}"
                expect(
                    client.patch(f"{API}/types/{type_id}", json={"name": names[type_id]}),
                    200,
                    "rename",
                )
            elif roll < 0.73:
                expect(client.delete(f"{API}/types/{type_id}"), 204, "delete")
                expect(client.get(f"{API}/types/{type_id}"), 404, "deleted type")
                del model[type_id], names[type_id]
            elif roll < 0.85:
                body = expect(client.get(f"{API}/types/{type_id}"), 200, "get").json()
                check_counts(type_id, body)
                assert body["name"] == names[type_id]
            elif roll < 0.93:
                expect(client.get(f"{API}/types/{type_id}/history"), 200, "history")
            elif roll < 0.97:
                expect(client.get(f"{API}/types", params={"q": f"client {number}"}), 200, "search")
            else:
                expect(client.get(f"{API}/stats"), 200, "stats")
    models[number] = model


def run_client(base_url: str, number: int, models: list[Model], errors: list[str]) -> None:
    try:
        mixed_operations(base_url, number, models, errors)
    except Exception as error:  # reported by the test, not lost in a thread
        errors.append(f"client {number}: {error!r}")


def test_thousands_of_mixed_operations_leave_exact_counts(
    database_factory: Callable[[], str], app_server: Callable[[str], AppServer]
) -> None:
    server = app_server(database_factory())
    models: list[Model] = [{} for _ in range(CLIENTS)]
    errors: list[str] = []
    threads = [
        threading.Thread(target=run_client, args=(server.url, n, models, errors))
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:5]
    assert not any(thread.is_alive() for thread in threads)

    expected = {type_id: counts for model in models for type_id, counts in model.items()}
    with httpx.Client(base_url=server.url, timeout=30.0) as client:
        types = check_invariants(client)
        assert {kind["id"]: kind["counts"] for kind in types} == expected
        totals = client.get(f"{API}/stats").json()["totals"]
        for stage in STAGES:
            assert totals[stage] == sum(counts[stage] for counts in expected.values())
        assert totals["total"] == sum(sum(counts.values()) for counts in expected.values())
