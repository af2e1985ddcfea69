"""Moves: forward only, never more than there are, nothing written when refused."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.backend.core_api import (
    API,
    STAGE_NAMES,
    create_type,
    groups,
    move,
    recorded_statements,
    run_sql,
    snapshot,
)

QTY_RANGE = {"min": 1, "max": 1_000_000}


def test_move_answers_the_new_type_and_logs_the_event(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=10)["id"]
    response = move(client, type_id, "IN_BOX", "BUILDING", 4)
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"IN_BOX": 6, "BUILDING": 4, "PRIMING": 0, "PAINTING": 0, "DONE": 0}
    assert body["total"] == 10
    event_id = body.pop("event_id")
    assert client.get(f"{API}/types/{type_id}").json() == body
    history = groups(client, type_id)
    assert [(g["from_stage"], g["to_stage"], g["qty"]) for g in history] == [
        (None, "IN_BOX", 10),
        ("IN_BOX", "BUILDING", 4),
    ]
    assert history[1]["event_ids"] == [event_id]


def test_skipping_stages_is_allowed(client: TestClient) -> None:
    type_id = create_type(client, "Assembled", IN_BOX=3)["id"]
    assert move(client, type_id, "IN_BOX", "PRIMING", 3).json()["counts"]["PRIMING"] == 3
    assert move(client, type_id, "PRIMING", "DONE", 1).json()["counts"]["DONE"] == 1


def test_moving_everything_leaves_zero(client: TestClient) -> None:
    type_id = create_type(client, "Orks", PAINTING=2)["id"]
    assert move(client, type_id, "PAINTING", "DONE", 2).json()["counts"]["PAINTING"] == 0


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [(a, b) for i, a in enumerate(STAGE_NAMES) for b in STAGE_NAMES[: i + 1]],
)
def test_backward_and_same_stage_moves_are_refused(
    client: TestClient, from_stage: str, to_stage: str
) -> None:
    counts = dict.fromkeys(STAGE_NAMES, 5)
    type_id = create_type(client, "Everywhere", **counts)["id"]
    before = snapshot(client)
    response = move(client, type_id, from_stage, to_stage, 1)
    assert (response.status_code, response.json()) == (
        400,
        {"code": "ERR_INVALID_STAGE_TRANSITION", "params": {}},
    )
    assert snapshot(client) == before


def test_insufficient_qty_names_what_is_available_and_writes_nothing(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=3, BUILDING=1)["id"]
    before = snapshot(client)
    response = move(client, type_id, "IN_BOX", "BUILDING", 4)
    assert (response.status_code, response.json()) == (
        400,
        {"code": "ERR_INSUFFICIENT_QTY", "params": {"available": 3}},
    )
    response = move(client, type_id, "PRIMING", "DONE", 1)
    assert response.json() == {"code": "ERR_INSUFFICIENT_QTY", "params": {"available": 0}}
    assert snapshot(client) == before


def test_move_past_the_limit_of_the_target_changes_nothing(client: TestClient) -> None:
    type_id = create_type(client, "Horde", IN_BOX=5, DONE=999_998)["id"]
    before = snapshot(client)
    response = move(client, type_id, "IN_BOX", "DONE", 3)
    assert (response.status_code, response.json()) == (
        400,
        {"code": "ERR_COUNT_LIMIT", "params": {"max": 1_000_000}},
    )
    assert snapshot(client) == before
    assert move(client, type_id, "IN_BOX", "DONE", 2).json()["counts"]["DONE"] == 1_000_000


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"code": "ERR_VALIDATION", "params": {"fields": ["from_stage", "to_stage", "qty"]}}),
        (
            {"from_stage": "IN_BOX", "qty": "2"},
            {"code": "ERR_VALIDATION", "params": {"fields": ["to_stage"]}},
        ),
        (
            {"from_stage": "NOPE", "to_stage": "DONE"},
            {"code": "ERR_VALIDATION", "params": {"fields": ["qty"]}},
        ),
        ("move", {"code": "ERR_VALIDATION", "params": {"fields": ["body"]}}),
        *(
            (
                {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": qty},
                {"code": "ERR_INVALID_QTY", "params": QTY_RANGE},
            )
            for qty in ("2", 1.5, True, None, 0, -1, 1_000_001, [1], {"n": 1})
        ),
        (
            {"from_stage": "IN_BOX", "to_stage": "FINISHED", "qty": 1},
            {"code": "ERR_INVALID_STAGE", "params": {}},
        ),
        (
            {"from_stage": 0, "to_stage": "DONE", "qty": 1},
            {"code": "ERR_INVALID_STAGE", "params": {}},
        ),
        (
            {"from_stage": None, "to_stage": "DONE", "qty": 1},
            {"code": "ERR_INVALID_STAGE", "params": {}},
        ),
        # A field that is wrong is reported before the forward-only rule.
        (
            {"from_stage": "DONE", "to_stage": "IN_BOX", "qty": 0},
            {"code": "ERR_INVALID_QTY", "params": QTY_RANGE},
        ),
    ],
)
def test_move_which_code_wins(client: TestClient, body: Any, expected: Any) -> None:
    type_id = create_type(client, "Kept", IN_BOX=5)["id"]
    before = snapshot(client)
    response = client.post(f"{API}/types/{type_id}/move", json=body)
    assert (response.status_code, response.json()) == (400, expected)
    assert snapshot(client) == before


def test_a_backward_move_on_an_unknown_type_is_a_bad_transition(client: TestClient) -> None:
    response = move(client, 424242, "DONE", "IN_BOX", 1)
    assert response.json()["code"] == "ERR_INVALID_STAGE_TRANSITION"
    assert move(client, 424242, "IN_BOX", "DONE", 1).json()["code"] == "ERR_TYPE_NOT_FOUND"


def test_a_move_is_two_statements(client: TestClient, engine: Engine) -> None:
    type_id = create_type(client, "Orks", IN_BOX=10)["id"]
    with recorded_statements(engine) as statements:
        assert move(client, type_id, "IN_BOX", "PAINTING", 2).status_code == 200
    # The locked type with its counts (the answer is built from it), then both count rows
    # and the event in one statement.
    assert len(statements) == 2, statements
    assert "FOR UPDATE" in statements[0]
    assert "UPDATE stage_counts" in statements[1] and "INSERT INTO history_events" in statements[1]
    with recorded_statements(engine) as statements:
        assert move(client, type_id, "IN_BOX", "PAINTING", 99).status_code == 400
    assert len(statements) == 1


def test_a_type_without_its_five_count_rows_is_never_changed(client: TestClient) -> None:
    """The lock checks it holds all five rows: a damaged type is refused, not half-moved."""
    orks = create_type(client, "Orks", IN_BOX=5)["id"]
    run_sql(client, "DELETE FROM stage_counts WHERE type_id = :id AND stage = 'DONE'", id=orks)
    before = snapshot(client)
    for response in (
        move(client, orks, "IN_BOX", "BUILDING", 1),
        client.post(f"{API}/types/{orks}/add", json={"qty": 1}),
    ):
        assert response.status_code == 500
        assert response.json() == {"code": "ERR_INTERNAL", "params": {}}
    assert snapshot(client) == before
