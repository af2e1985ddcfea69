"""Any sequence of valid and invalid operations keeps the counts sound and fully logged."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.backend.core_api import API, STAGE_NAMES, groups, net_flow

stage = st.sampled_from(STAGE_NAMES) | st.sampled_from(["done", "NOPE", None, 1])
qty = st.integers(min_value=-1, max_value=8) | st.sampled_from(["2", 1.5, True, None, 1_000_001])
operation = st.one_of(
    st.tuples(st.just("add"), stage, qty),
    st.tuples(st.just("move"), stage, stage, qty),
)
initial = st.dictionaries(st.sampled_from(STAGE_NAMES), st.integers(0, 6), max_size=5)


def is_qty(value: Any) -> bool:
    return type(value) is int and 1 <= value <= 1_000_000


def expected_code(op: tuple[Any, ...], counts: dict[str, int]) -> str | None:
    """What this operation answers, given the counts: None for success.

    Two wrong fields: the first in the body's field order (stages, then qty) is reported.
    """
    if op[0] == "add":
        _, where, amount = op
        if where not in STAGE_NAMES:
            return "ERR_INVALID_STAGE"
        return None if is_qty(amount) else "ERR_INVALID_QTY"
    _, source, target, amount = op
    if source not in STAGE_NAMES or target not in STAGE_NAMES:
        return "ERR_INVALID_STAGE"
    if not is_qty(amount):
        return "ERR_INVALID_QTY"
    if STAGE_NAMES.index(target) <= STAGE_NAMES.index(source):
        return "ERR_INVALID_STAGE_TRANSITION"
    return None if counts[source] >= amount else "ERR_INSUFFICIENT_QTY"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=initial, operations=st.lists(operation, max_size=15))
def test_counts_stay_sound_and_equal_the_net_flow_of_history(
    client: TestClient, start: dict[str, int], operations: list[tuple[Any, ...]]
) -> None:
    response = client.post(f"{API}/types", json={"name": uuid.uuid4().hex, "counts": start})
    assert response.status_code == 201
    type_id = response.json()["id"]
    model = {name: start.get(name, 0) for name in STAGE_NAMES}

    for op in operations:
        code = expected_code(op, model)
        if op[0] == "add":
            body: dict[str, Any] = {"stage": op[1], "qty": op[2]}
            response = client.post(f"{API}/types/{type_id}/add", json=body)
        else:
            body = {"from_stage": op[1], "to_stage": op[2], "qty": op[3]}
            response = client.post(f"{API}/types/{type_id}/move", json=body)
        if code is None:
            assert response.status_code == 200, (op, response.json())
            if op[0] == "add":
                model[op[1]] += op[2]
            else:
                model[op[1]] -= op[3]
                model[op[2]] += op[3]
            assert response.json()["counts"] == model
        else:
            assert response.status_code == 400
            assert response.json()["code"] == code, op

    counts = client.get(f"{API}/types/{type_id}").json()["counts"]
    assert counts == model
    assert all(count >= 0 for count in counts.values())
    assert net_flow(groups(client, type_id)) == counts
