"""Concurrent clients on a real server, each on its own connection: no oversell, no deadlock."""

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.backend.core_api import API, STAGE_NAMES, net_flow

CLIENTS = 24


def all_at_once(base_url: str, calls: list[Callable[[httpx.Client], httpx.Response]]) -> list[Any]:
    """Runs each call on its own HTTP client; all start together. Answers (status, body)."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[httpx.Client], httpx.Response]) -> tuple[int, Any]:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            http.get(f"{API}/health")  # connected before the race starts
            barrier.wait()
            response = call(http)
            return response.status_code, response.json() if response.content else None

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def create(base_url: str, name: str, **counts: int) -> int:
    response = httpx.post(f"{base_url}{API}/types", json={"name": name, "counts": counts})
    assert response.status_code == 201, response.text
    type_id: int = response.json()["id"]
    return type_id


def state(base_url: str, type_id: int) -> tuple[dict[str, int], list[dict[str, Any]]]:
    counts = httpx.get(f"{base_url}{API}/types/{type_id}").json()["counts"]
    groups = httpx.get(f"{base_url}{API}/types/{type_id}/history").json()["groups"]
    return counts, groups


@pytest.mark.usefixtures("reset_db")
def test_simultaneous_moves_from_one_source_never_oversell(live_server: str) -> None:
    available = 7
    type_id = create(live_server, "Orks", IN_BOX=available)
    body = {"from_stage": "IN_BOX", "to_stage": "BUILDING", "qty": 1}
    answers = all_at_once(
        live_server,
        [lambda http: http.post(f"{API}/types/{type_id}/move", json=body)] * 32,
    )
    statuses = Counter(status for status, _ in answers)
    assert statuses == {200: available, 400: 32 - available}
    refusals = [body for status, body in answers if status == 400]
    assert all(r == {"code": "ERR_INSUFFICIENT_QTY", "params": {"available": 0}} for r in refusals)
    counts, groups = state(live_server, type_id)
    assert counts["IN_BOX"] == 0
    assert counts["BUILDING"] == available
    assert sum(g["events"] for g in groups if g["from_stage"] == "IN_BOX") == available
    assert net_flow(groups) == counts


@pytest.mark.usefixtures("reset_db")
def test_simultaneous_moves_along_the_chain_conserve_the_total(live_server: str) -> None:
    type_id = create(live_server, "Tyranids", IN_BOX=40, BUILDING=10, PRIMING=5)
    hops = [
        ("IN_BOX", "BUILDING"),
        ("BUILDING", "PRIMING"),
        ("PRIMING", "PAINTING"),
        ("PAINTING", "DONE"),
        ("IN_BOX", "PRIMING"),
        ("BUILDING", "DONE"),
    ]

    def hop_call(source: str, target: str, qty: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {"from_stage": source, "to_stage": target, "qty": qty}

        def call(http: httpx.Client) -> httpx.Response:
            last = http.post(f"{API}/types/{type_id}/move", json=body)
            for _ in range(9):
                if last.status_code >= 500:
                    break
                last = http.post(f"{API}/types/{type_id}/move", json=body)
            return last

        return call

    calls = [hop_call(*hops[i % len(hops)], qty=1 + i % 3) for i in range(CLIENTS)]
    answers = all_at_once(live_server, calls)
    assert all(status in (200, 400) for status, _ in answers), answers
    assert all(body["code"] == "ERR_INSUFFICIENT_QTY" for status, body in answers if status == 400)
    counts, groups = state(live_server, type_id)
    assert sum(counts.values()) == 55
    assert all(counts[stage] >= 0 for stage in STAGE_NAMES)
    assert net_flow(groups) == counts
    assert counts != {"IN_BOX": 40, "BUILDING": 10, "PRIMING": 5, "PAINTING": 0, "DONE": 0}


@pytest.mark.usefixtures("reset_db")
@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_creation_of_one_name_has_one_winner(live_server: str, round_: int) -> None:
    spellings = [f"Ёжики-десант {round_}", f"ЕЖИКИ-ДЕСАНТ {round_}", f"  ежики-Десант {round_} "]

    def create_call(name: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda http: http.post(f"{API}/types", json={"name": name})

    calls = [create_call(spellings[i % len(spellings)]) for i in range(CLIENTS)]
    answers = all_at_once(live_server, calls)
    statuses = Counter(status for status, _ in answers)
    assert statuses == {201: 1, 400: CLIENTS - 1}
    assert all(
        body == {"code": "ERR_NAME_TAKEN", "params": {}}
        for status, body in answers
        if status == 400
    )
    assert len(httpx.get(f"{live_server}{API}/types").json()) == 1


@pytest.mark.usefixtures("reset_db")
def test_delete_while_moving_never_fails_the_server(live_server: str) -> None:
    type_id = create(live_server, "Doomed", IN_BOX=100)
    body = {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 1}
    calls: list[Callable[[httpx.Client], httpx.Response]] = [
        lambda http: http.post(f"{API}/types/{type_id}/move", json=body)
    ] * (CLIENTS - 1)
    calls.insert(CLIENTS // 2, lambda http: http.delete(f"{API}/types/{type_id}"))
    answers = all_at_once(live_server, calls)
    assert {status for status, _ in answers} <= {200, 204, 404}
    assert Counter(status for status, _ in answers)[204] == 1
    response = httpx.get(f"{live_server}{API}/types/{type_id}")
    assert response.status_code == 404


@pytest.mark.usefixtures("reset_db")
def test_simultaneous_undos_of_one_event_have_one_winner(live_server: str) -> None:
    type_id = create(live_server, "Orks", IN_BOX=10)
    move = {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 4}
    event_id = httpx.post(f"{live_server}{API}/types/{type_id}/move", json=move).json()["event_id"]
    body = {"event_ids": [event_id]}
    answers = all_at_once(
        live_server,
        [lambda http: http.post(f"{API}/types/{type_id}/undo", json=body)] * 20,
    )
    statuses = Counter(status for status, _ in answers)
    assert statuses == {200: 1, 400: 19}
    assert all(
        answer == {"code": "ERR_ALREADY_UNDONE", "params": {"event_id": event_id}}
        for status, answer in answers
        if status == 400
    )
    counts, groups = state(live_server, type_id)
    assert counts == {"IN_BOX": 10, "BUILDING": 0, "PRIMING": 0, "PAINTING": 0, "DONE": 0}
    assert [(g["from_stage"], g["to_stage"]) for g in groups] == [(None, "IN_BOX")]


def create_group(base_url: str, name: str) -> int:
    response = httpx.post(f"{base_url}{API}/groups", json={"name": name})
    assert response.status_code == 201, response.text
    group_id: int = response.json()["id"]
    return group_id


@pytest.mark.usefixtures("reset_db")
@pytest.mark.parametrize("round_", range(3))
def test_a_group_deleted_while_types_are_assigned_to_it_is_not_found_there(
    live_server: str, round_: int
) -> None:
    """Another window deletes the group: each assignment either happened before (and the
    type is left in no group) or is told ERR_GROUP_NOT_FOUND; never a 500."""
    group_id = create_group(live_server, f"Doomed {round_}")
    type_ids = [create(live_server, f"Type {round_}-{n}") for n in range(CLIENTS // 2)]

    def assign(type_id: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {"group_id": group_id, "notes": "assigned"}

        def call(http: httpx.Client) -> httpx.Response:
            # Again and again until the group is gone: some land as it goes.
            for _ in range(20):
                last = http.patch(f"{API}/types/{type_id}", json=body)
                if last.status_code != 200:
                    break
            return last

        return call

    calls = [assign(type_ids[n % len(type_ids)]) for n in range(CLIENTS - 1)]
    calls.insert(round_ * 5, lambda http: http.delete(f"{API}/groups/{group_id}"))
    answers = all_at_once(live_server, calls)
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {200, 204, 404}, answers
    assert statuses[204] == 1
    assert statuses[404] == CLIENTS - 1  # every window was told, in the end
    assert all(
        body == {"code": "ERR_GROUP_NOT_FOUND", "params": {}}
        for status, body in answers
        if status == 404
    )
    listed = httpx.get(f"{live_server}{API}/types").json()
    assert all(t["group_id"] is None for t in listed)
    assert httpx.get(f"{live_server}{API}/groups").json() == {"groups": []}


@pytest.mark.usefixtures("reset_db")
@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_renames_of_groups_to_one_name_have_one_winner(
    live_server: str, round_: int
) -> None:
    group_ids = [create_group(live_server, f"Group {round_}-{n}") for n in range(CLIENTS)]
    spellings = [f"Армия {round_}", f"АРМИЯ {round_}", f" армия  {round_}"]

    def rename(n: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {"name": spellings[n % len(spellings)]}
        return lambda http: http.patch(f"{API}/groups/{group_ids[n]}", json=body)

    answers = all_at_once(live_server, [rename(n) for n in range(CLIENTS)])
    statuses = Counter(status for status, _ in answers)
    assert statuses == {200: 1, 400: CLIENTS - 1}
    assert all(
        body == {"code": "ERR_NAME_TAKEN", "params": {}}
        for status, body in answers
        if status == 400
    )
    names = [g["name"] for g in httpx.get(f"{live_server}{API}/groups").json()["groups"]]
    (winner,) = [n for n, (status, _) in enumerate(answers) if status == 200]
    kept = [f"Group {round_}-{n}" for n in range(CLIENTS) if n != winner]
    assert sorted(names) == sorted([answers[winner][1]["name"], *kept])


@pytest.mark.usefixtures("reset_db")
def test_groups_created_while_an_import_creates_them_are_never_doubled(live_server: str) -> None:
    """An import holds off every writer: a group of the same name made meanwhile is made
    before it (and the import merges into it) or after it (and is told the name is taken)."""
    names = [f"Армия {n}" for n in range(CLIENTS - 1)]
    file = {
        "format": "miniatures-tracker",
        "version": 3,
        "groups": [{"name": name} for name in names],
        "types": [{"name": f"Type {n}", "group": name} for n, name in enumerate(names)],
    }

    def make(name: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda http: http.post(f"{API}/groups", json={"name": name.upper()})

    calls = [make(name) for name in names]
    calls.insert(CLIENTS // 2, lambda http: http.post(f"{API}/import", json=file))
    answers = all_at_once(live_server, calls)
    imported = answers[CLIENTS // 2]
    assert imported[0] == 200, imported
    made = [answer for n, answer in enumerate(answers) if n != CLIENTS // 2]
    assert {status for status, _ in made} <= {201, 400}
    assert all(body["code"] == "ERR_NAME_TAKEN" for status, body in made if status == 400)
    groups = httpx.get(f"{live_server}{API}/groups").json()["groups"]
    assert len(groups) == len(names)
    assert imported[1]["groups_created"] == sum(1 for status, _ in made if status == 400)
    assert all(g["types"] == 1 for g in groups)
