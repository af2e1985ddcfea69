"""Undo: a logged event is reversed by a new event, all or none, at most once; the history and
the stats read as if the mistake never happened, and a refused undo changes nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.backend.backup_helpers import document, event, export, positional, post_import
from tests.backend.core_api import (
    API,
    create_type,
    groups,
    insert_events,
    move,
    run_sql,
    snapshot,
)

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def undo(client: TestClient, type_id: int, *event_ids: Any) -> Any:
    return client.post(f"{API}/types/{type_id}/undo", json={"event_ids": list(event_ids)})


def add(client: TestClient, type_id: int, stage: str, qty: int) -> Any:
    return client.post(f"{API}/types/{type_id}/add", json={"stage": stage, "qty": qty})


def counts(client: TestClient, type_id: int) -> dict[str, int]:
    found: dict[str, int] = client.get(f"{API}/types/{type_id}").json()["counts"]
    return found


def event_ids(client: TestClient, type_id: int) -> list[int]:
    return [i for group in groups(client, type_id) for i in group["event_ids"]]


def assert_refused(
    client: TestClient, type_id: int, ids: list[Any], status: int, body: Any
) -> None:
    before = snapshot(client)
    response = undo(client, type_id, *ids)
    assert (response.status_code, response.json()) == (status, body)
    assert snapshot(client) == before


def test_undo_of_a_move_puts_the_miniatures_back_and_hides_the_move(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=10)["id"]
    moved = move(client, type_id, "IN_BOX", "DONE", 3).json()
    assert isinstance(moved["event_id"], int)
    response = undo(client, type_id, moved["event_id"])
    assert response.status_code == 200
    assert response.json() == client.get(f"{API}/types/{type_id}").json()
    assert response.json()["counts"] == {
        "IN_BOX": 10,
        "BUILDING": 0,
        "PRIMING": 0,
        "PAINTING": 0,
        "DONE": 0,
    }
    assert [(g["from_stage"], g["to_stage"], g["qty"]) for g in groups(client, type_id)] == [
        (None, "IN_BOX", 10)
    ]
    # The log keeps both: the mistake and its reversal.
    log = run_sql(
        client,
        "SELECT from_stage, to_stage, qty, undoes FROM history_events WHERE type_id = :t "
        "ORDER BY id",
        t=type_id,
    )
    assert [tuple(row) for row in log] == [
        (None, "IN_BOX", 10, None),
        ("IN_BOX", "DONE", 3, None),
        ("DONE", "IN_BOX", 3, moved["event_id"]),
    ]


def test_undo_of_an_addition_takes_the_miniatures_away(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=2)["id"]
    added = add(client, type_id, "PAINTING", 10).json()
    assert added["counts"]["PAINTING"] == 10
    assert undo(client, type_id, added["event_id"]).json()["counts"]["PAINTING"] == 0
    assert [(g["from_stage"], g["to_stage"], g["qty"]) for g in groups(client, type_id)] == [
        (None, "IN_BOX", 2)
    ]
    log = run_sql(
        client,
        "SELECT from_stage, to_stage, qty FROM history_events WHERE undoes = :e",
        e=added["event_id"],
    )
    assert [tuple(row) for row in log] == [("PAINTING", None, 10)]


def test_undo_of_the_creation_events_empties_the_type(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=4, DONE=2)["id"]
    (created,) = groups(client, type_id)[:1]
    ids = event_ids(client, type_id)
    assert len(ids) == 2 and created["event_ids"] == ids[:1]
    answer = undo(client, type_id, *ids).json()
    assert answer["total"] == 0
    assert groups(client, type_id) == []


def test_purchase_and_the_move_after_it_undo_together_in_either_order(client: TestClient) -> None:
    for order in (1, -1):
        type_id = create_type(client, f"Orks {order}")["id"]
        bought = add(client, type_id, "IN_BOX", 5).json()["event_id"]
        moved = move(client, type_id, "IN_BOX", "BUILDING", 5).json()["event_id"]
        # One at a time the purchase cannot go first (the box is empty); together they can.
        answer = undo(client, type_id, *[bought, moved][::order])
        assert answer.status_code == 200, answer.text
        assert answer.json()["total"] == 0
        assert groups(client, type_id) == []


def test_undo_of_miniatures_that_moved_on_is_refused(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=5)["id"]
    first = move(client, type_id, "IN_BOX", "BUILDING", 3).json()["event_id"]
    move(client, type_id, "BUILDING", "DONE", 2)
    assert_refused(
        client, type_id, [first], 400, {"code": "ERR_INSUFFICIENT_QTY", "params": {"available": 1}}
    )


def test_undo_past_the_maximum_is_refused(client: TestClient) -> None:
    type_id = create_type(client, "Horde", IN_BOX=10)["id"]
    moved = move(client, type_id, "IN_BOX", "DONE", 10).json()["event_id"]
    add(client, type_id, "IN_BOX", 999_995)
    assert_refused(
        client, type_id, [moved], 400, {"code": "ERR_COUNT_LIMIT", "params": {"max": 1_000_000}}
    )


def test_an_event_is_undone_once(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=5)["id"]
    moved = move(client, type_id, "IN_BOX", "BUILDING", 1).json()["event_id"]
    assert undo(client, type_id, moved).status_code == 200
    assert_refused(
        client, type_id, [moved], 400, {"code": "ERR_ALREADY_UNDONE", "params": {"event_id": moved}}
    )


def test_what_cannot_be_undone_is_not_found(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=5)["id"]
    other = create_type(client, "Tau", IN_BOX=5)["id"]
    moved = move(client, type_id, "IN_BOX", "BUILDING", 1).json()["event_id"]
    elsewhere = move(client, other, "IN_BOX", "BUILDING", 1).json()["event_id"]
    undo(client, type_id, moved)
    (undo_event,) = run_sql(client, "SELECT id FROM history_events WHERE undoes = :e", e=moved)
    for missing in (elsewhere, undo_event.id, 10**12, 2**63 - 1, 2**63, 10**30):
        assert_refused(
            client,
            type_id,
            [missing],
            404,
            {"code": "ERR_EVENT_NOT_FOUND", "params": {"event_id": missing}},
        )


def test_the_first_failing_id_in_the_order_given_decides(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=5)["id"]
    first, second, third = (
        move(client, type_id, "IN_BOX", "BUILDING", 1).json()["event_id"] for _ in range(3)
    )
    undo(client, type_id, second)
    move(client, type_id, "BUILDING", "DONE", 2)  # BUILDING now holds none
    missing = 10**9
    cases = [
        ([first, second, missing], "ERR_INSUFFICIENT_QTY"),
        ([second, missing, first], "ERR_ALREADY_UNDONE"),
        ([missing, second, third], "ERR_EVENT_NOT_FOUND"),
    ]
    for ids, code in cases:
        before = snapshot(client)
        response = undo(client, type_id, *ids)
        assert response.json()["code"] == code
        assert snapshot(client) == before


def test_undo_of_an_unknown_type(client: TestClient) -> None:
    response = undo(client, 999_999, 1)
    assert (response.status_code, response.json()["code"]) == (404, "ERR_TYPE_NOT_FOUND")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"event_ids": []},
        {"event_ids": list(range(1, 1002))},
        {"event_ids": [1, 1]},
        {"event_ids": [0]},
        {"event_ids": [-4]},
        {"event_ids": ["1"]},
        {"event_ids": [1.5]},
        {"event_ids": [1.0]},
        {"event_ids": [True]},
        {"event_ids": [None]},
        {"event_ids": None},
        {"event_ids": 1},
        {"event_ids": {"1": 1}},
    ],
    ids=[
        "missing",
        "empty",
        "1001 ids",
        "twice",
        "zero",
        "negative",
        "text",
        "fraction",
        "whole float",
        "true",
        "null id",
        "null",
        "a number",
        "an object",
    ],
)
def test_malformed_event_ids_are_a_validation_error(client: TestClient, body: Any) -> None:
    type_id = create_type(client, "Orks", IN_BOX=5)["id"]
    before = snapshot(client)
    response = client.post(f"{API}/types/{type_id}/undo", json=body)
    assert (response.status_code, response.json()) == (
        400,
        {"code": "ERR_VALIDATION", "params": {"fields": ["event_ids"]}},
    )
    assert snapshot(client) == before


def test_a_thousand_ids_at_once(client: TestClient) -> None:
    type_id = create_type(client, "Orks")["id"]
    insert_events(client, type_id, [("IN_BOX", "BUILDING", 1, at(i)) for i in range(1000)])
    run_sql(client, "UPDATE stage_counts SET count = 1000 WHERE stage = 'BUILDING'")
    ids = event_ids(client, type_id)
    assert len(ids) == 1000
    answer = undo(client, type_id, *ids).json()
    assert (answer["counts"]["IN_BOX"], answer["counts"]["BUILDING"]) == (1000, 0)
    assert groups(client, type_id) == []


def test_grouping_walks_the_effective_events(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=20, BUILDING=20, DONE=20)["id"]
    insert_events(
        client,
        type_id,
        [
            ("IN_BOX", "BUILDING", 1, at(0)),
            ("IN_BOX", "BUILDING", 1, at(150)),  # undone: the next one is 299 s after the first
            ("IN_BOX", "BUILDING", 1, at(299)),
            ("BUILDING", "DONE", 1, at(400)),  # undone: it no longer splits the group
            ("IN_BOX", "BUILDING", 1, at(500)),
            ("IN_BOX", "BUILDING", 1, at(1000)),
            ("IN_BOX", "BUILDING", 1, at(1150)),  # undone: 300 s between its neighbours
            ("IN_BOX", "BUILDING", 1, at(1300)),
        ],
    )
    ids = [row.id for row in run_sql(client, "SELECT id FROM history_events WHERE type_id = :t "
                                     "AND from_stage IS NOT NULL ORDER BY id",  # the moves above
                                     t=type_id)]  # fmt: skip
    assert undo(client, type_id, ids[1], ids[3], ids[6]).status_code == 200
    found = [(g["qty"], g["event_ids"]) for g in groups(client, type_id) if g["from_stage"]]
    assert found == [(3, [ids[0], ids[2], ids[4]]), (1, [ids[5]]), (1, [ids[7]])]


def test_stats_count_only_the_effective_events(client: TestClient) -> None:
    type_id = create_type(client, "Orks")["id"]
    insert_events(
        client,
        type_id,
        [
            (None, "IN_BOX", 10, datetime(2026, 9, 1, tzinfo=UTC)),
            (None, "IN_BOX", 100, datetime(2026, 9, 2, tzinfo=UTC)),  # undone: a typo
            ("IN_BOX", "DONE", 4, datetime(2026, 10, 1, tzinfo=UTC)),  # undone: wrong row
            ("IN_BOX", "DONE", 1, datetime(2026, 10, 2, tzinfo=UTC)),
        ],
    )
    run_sql(
        client,
        "UPDATE stage_counts SET count = CASE stage WHEN 'IN_BOX' THEN 105 WHEN 'DONE' THEN 5 "
        "ELSE 0 END WHERE type_id = :t",
        t=type_id,
    )
    ids = event_ids(client, type_id)
    assert undo(client, type_id, ids[1], ids[2]).status_code == 200
    stats = client.get(f"{API}/stats").json()
    assert stats["months"] == [
        {"month": "2026-09", "added": 10, "finished": 0},
        {"month": "2026-10", "added": 0, "finished": 1},
    ]
    assert (stats["totals"]["IN_BOX"], stats["totals"]["DONE"]) == (9, 1)


def linked_history(exported: dict[str, Any], name: str) -> list[dict[str, Any]]:
    (entry,) = [t for t in exported["types"] if t["name"].lower() == name.lower()]
    history: list[dict[str, Any]] = entry["history"]
    return history


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_export_and_import_keep_the_undo_links(client: TestClient, mode: str) -> None:
    type_id = create_type(client, "Orks", IN_BOX=10)["id"]
    wrong_move = move(client, type_id, "IN_BOX", "DONE", 3).json()["event_id"]
    wrong_add = add(client, type_id, "PAINTING", 2).json()["event_id"]
    assert undo(client, type_id, wrong_move, wrong_add).status_code == 200
    move(client, type_id, "IN_BOX", "BUILDING", 1)
    original_groups = groups(client, type_id)
    exported = export(client)
    assert exported["version"] == 3
    history = linked_history(exported, "Orks")
    assert [(e["from_stage"], e["to_stage"], e["qty"], e.get("undoes")) for e in history] == [
        (None, "IN_BOX", 10, None),
        ("IN_BOX", "DONE", 3, None),
        (None, "PAINTING", 2, None),
        ("DONE", "IN_BOX", 3, wrong_move),
        ("PAINTING", None, 2, wrong_add),
        ("IN_BOX", "BUILDING", 1, None),
    ]
    assert [e["id"] for e in history][1:3] == [wrong_move, wrong_add]

    if mode == "merge":
        assert post_import(client, {**document(), "types": []}, mode="replace").status_code == 200
        create_type(client, "ORKS", BUILDING=1)
    response = post_import(client, exported, mode=mode)
    assert response.status_code == 200, response.text
    assert response.json()["events_added"] == 6
    ((type_id,),) = run_sql(client, "SELECT id FROM miniature_types")
    again = linked_history(export(client), "Orks")
    imported_part = again[-6:] if mode == "replace" else again[1:]
    assert positional({"types": [{"history": imported_part}]}) == positional(
        {"types": [{"history": history}]}
    )
    # An event undone before the export cannot be undone again after the import.
    for undone in (imported_part[1]["id"], imported_part[2]["id"]):
        response = undo(client, type_id, undone)
        assert response.json() == {"code": "ERR_ALREADY_UNDONE", "params": {"event_id": undone}}
    # Merged: the type's own event came first (one transaction: one time, and a lower id).
    found = [{k: v for k, v in g.items() if k != "event_ids"} for g in groups(client, type_id)]
    found = found if mode == "replace" else found[1:]
    assert found == [{k: v for k, v in g.items() if k != "event_ids"} for g in original_groups]
    # What was effective still is: the last move can be undone.
    assert undo(client, type_id, imported_part[5]["id"]).status_code == 200


def test_links_among_ids_that_do_not_grow_are_kept(client: TestClient) -> None:
    """A file whose ids fall (its links are compared by the database, not the check) imports
    with the same links."""
    type_id = create_type(client, "Orks", IN_BOX=10)["id"]
    moved = move(client, type_id, "IN_BOX", "DONE", 3).json()["event_id"]
    added = add(client, type_id, "PAINTING", 2).json()["event_id"]
    assert undo(client, type_id, moved, added).status_code == 200
    move(client, type_id, "IN_BOX", "BUILDING", 1)
    exported = export(client)
    for one in linked_history(exported, "Orks"):
        for key in ("id", "undoes"):
            if key in one:
                one[key] = 1000 - one[key]
    response = post_import(client, exported, mode="replace")
    assert response.status_code == 200, response.text
    assert positional(export(client))["types"] == positional(exported)["types"]


def test_an_undo_dated_before_its_event_is_still_exported_after_it(client: TestClient) -> None:
    doc = {
        **document(
            {
                "name": "Orks",
                "counts": {"IN_BOX": 1},
                "history": [
                    {"id": 1, **event(None, "IN_BOX", 1, "2026-11-01T09:00:00Z")},
                    {"id": 2, **event(None, "IN_BOX", 5, "2026-11-03T09:00:00Z")},
                    {"undoes": 2, **event("IN_BOX", None, 5, "2026-11-02T09:00:00Z")},
                ],
            }
        ),
        "version": 2,
    }
    assert post_import(client, doc).status_code == 200
    exported = export(client)
    history = linked_history(exported, "Orks")
    assert [e.get("undoes") for e in history] == [None, None, history[1]["id"]]
    # So the export reads back as it was written.
    assert post_import(client, exported, mode="replace").status_code == 200
    assert positional(export(client))["types"] == positional(exported)["types"]
