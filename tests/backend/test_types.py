"""Types: create, read, rename, delete, add; names, sorting, search, and every error code."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.backend.core_api import (
    API,
    create_type,
    groups,
    recorded_statements,
    run_sql,
    snapshot,
)

QTY_RANGE = {"min": 1, "max": 1_000_000}
COUNT_RANGE = {"min": 0, "max": 1_000_000}
BAD_IDS = ("abc", "0", "-1", "99999999999", "2147483648", "1.5")


def error(response: Any) -> tuple[int, dict[str, Any]]:
    return response.status_code, response.json()


def test_create_answers_the_type_with_all_five_counts(client: TestClient) -> None:
    response = client.post(f"{API}/types", json={"name": "  Space Marines ", "counts": {"DONE": 6}})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Space Marines"
    assert body["counts"] == {"IN_BOX": 0, "BUILDING": 0, "PRIMING": 0, "PAINTING": 0, "DONE": 6}
    assert body["total"] == 6
    assert body["created_at"].endswith("Z")
    assert client.get(f"{API}/types/{body['id']}").json() == body


def test_create_logs_one_event_from_null_per_nonzero_count(client: TestClient) -> None:
    created = create_type(client, "Orks", IN_BOX=10, BUILDING=0, PAINTING=2)
    history = groups(client, created["id"])
    assert [(g["from_stage"], g["to_stage"], g["qty"]) for g in history] == [
        (None, "IN_BOX", 10),
        (None, "PAINTING", 2),
    ]
    assert groups(client, create_type(client, "Empty")["id"]) == []


def test_every_type_has_five_count_rows_from_the_start(client: TestClient) -> None:
    created = create_type(client, "Necrons")
    rows = run_sql(
        client, "SELECT stage, count FROM stage_counts WHERE type_id = :id", id=created["id"]
    )
    assert sorted(rows) == sorted((stage, 0) for stage in created["counts"])


def test_add_defaults_to_in_box_and_is_logged(client: TestClient) -> None:
    type_id = create_type(client, "Eldar", IN_BOX=1)["id"]
    response = client.post(f"{API}/types/{type_id}/add", json={"qty": 5})
    assert response.status_code == 200
    assert response.json()["counts"]["IN_BOX"] == 6
    response = client.post(f"{API}/types/{type_id}/add", json={"stage": "PRIMING", "qty": 2})
    assert response.json()["counts"]["PRIMING"] == 2
    assert response.json()["total"] == 8
    history = groups(client, type_id)
    assert [(g["from_stage"], g["to_stage"], g["qty"]) for g in history] == [
        (None, "IN_BOX", 6),  # the creation and the first /add, in the same burst
        (None, "PRIMING", 2),
    ]


def test_rename_allows_case_and_yo_changes_of_its_own_name(client: TestClient) -> None:
    type_id = create_type(client, "Ёжики")["id"]
    for name in ("ежики", "ЕЖИКИ", " Ёжики "):
        response = client.patch(f"{API}/types/{type_id}", json={"name": name})
        assert response.status_code == 200, name
        assert response.json()["name"] == name.strip()


def test_rename_to_another_types_name_is_taken(client: TestClient) -> None:
    create_type(client, "Тираниды")
    type_id = create_type(client, "Tau")["id"]
    before = snapshot(client)
    response = client.patch(f"{API}/types/{type_id}", json={"name": " тираниды "})
    assert error(response) == (400, {"code": "ERR_NAME_TAKEN", "params": {}})
    assert snapshot(client) == before


@pytest.mark.parametrize("name", ["Orks", "orks", " ORKS ", "Orks\u00a0"])
def test_same_name_key_is_taken(client: TestClient, name: str) -> None:
    create_type(client, "Orks")
    before = snapshot(client)
    response = client.post(f"{API}/types", json={"name": name, "counts": {"IN_BOX": 3}})
    assert error(response) == (400, {"code": "ERR_NAME_TAKEN", "params": {}})
    assert snapshot(client) == before


def test_yo_and_ye_are_the_same_name(client: TestClient) -> None:
    create_type(client, "Ёлки")
    response = client.post(f"{API}/types", json={"name": "ЕЛКИ"})
    assert error(response) == (400, {"code": "ERR_NAME_TAKEN", "params": {}})


def test_nfd_name_is_stored_in_nfc_and_matches_nfc(client: TestClient) -> None:
    created = create_type(client, "Cafe\u0301")
    assert created["name"] == "Café"
    response = client.post(f"{API}/types", json={"name": "CAFÉ"})
    assert response.json()["code"] == "ERR_NAME_TAKEN"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", (400, {"code": "ERR_NAME_REQUIRED", "params": {}})),
        ("   \t ", (400, {"code": "ERR_NAME_REQUIRED", "params": {}})),
        ("x" * 101, (400, {"code": "ERR_NAME_TOO_LONG", "params": {"max": 100}})),
        (5, (400, {"code": "ERR_VALIDATION", "params": {"fields": ["name"]}})),
        (None, (400, {"code": "ERR_VALIDATION", "params": {"fields": ["name"]}})),
        ("Or\x00ks", (400, {"code": "ERR_VALIDATION", "params": {"fields": ["name"]}})),
    ],
)
def test_bad_names_on_create_and_rename(client: TestClient, name: Any, expected: Any) -> None:
    type_id = create_type(client, "Kept", IN_BOX=1)["id"]
    before = snapshot(client)
    assert error(client.post(f"{API}/types", json={"name": name})) == expected
    assert error(client.patch(f"{API}/types/{type_id}", json={"name": name})) == expected
    assert snapshot(client) == before


def test_hundred_characters_after_trimming_is_allowed(client: TestClient) -> None:
    assert create_type(client, "  " + "я" * 100 + "  ")["name"] == "я" * 100


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"code": "ERR_VALIDATION", "params": {"fields": ["name"]}}),
        ({"counts": {"IN_BOX": "2"}}, {"code": "ERR_VALIDATION", "params": {"fields": ["name"]}}),
        ([], {"code": "ERR_VALIDATION", "params": {"fields": ["body"]}}),
        ("Orks", {"code": "ERR_VALIDATION", "params": {"fields": ["body"]}}),
        (None, {"code": "ERR_VALIDATION", "params": {"fields": ["body"]}}),
        ({"name": "A", "counts": {"FOO": 1}}, {"code": "ERR_INVALID_STAGE", "params": {}}),
        ({"name": "A", "counts": {"done": 1}}, {"code": "ERR_INVALID_STAGE", "params": {}}),
        (
            {"name": "A", "counts": {"IN_BOX": "2"}},
            {"code": "ERR_INVALID_QTY", "params": COUNT_RANGE},
        ),
        (
            {"name": "A", "counts": {"IN_BOX": 1.5}},
            {"code": "ERR_INVALID_QTY", "params": COUNT_RANGE},
        ),
        (
            {"name": "A", "counts": {"IN_BOX": True}},
            {"code": "ERR_INVALID_QTY", "params": COUNT_RANGE},
        ),
        (
            {"name": "A", "counts": {"IN_BOX": None}},
            {"code": "ERR_INVALID_QTY", "params": COUNT_RANGE},
        ),
        (
            {"name": "A", "counts": {"IN_BOX": -1}},
            {"code": "ERR_INVALID_QTY", "params": COUNT_RANGE},
        ),
        (
            {"name": "A", "counts": {"IN_BOX": 1_000_001}},
            {"code": "ERR_INVALID_QTY", "params": COUNT_RANGE},
        ),
        (
            {"name": "A", "counts": [1]},
            {"code": "ERR_VALIDATION", "params": {"fields": ["counts"]}},
        ),
    ],
)
def test_create_which_code_wins(client: TestClient, body: Any, expected: Any) -> None:
    response = client.post(f"{API}/types", json=body)
    assert error(response) == (400, expected)
    assert client.get(f"{API}/types").json() == []


def test_create_body_that_is_not_json(client: TestClient) -> None:
    for content in (b"{", b"", b"null"):
        response = client.post(
            f"{API}/types", content=content, headers={"Content-Type": "application/json"}
        )
        assert error(response) == (400, {"code": "ERR_VALIDATION", "params": {"fields": ["body"]}})


def test_unknown_keys_are_ignored_and_counts_may_be_null(client: TestClient) -> None:
    response = client.post(f"{API}/types", json={"name": "A", "counts": None, "colour": "red"})
    assert response.status_code == 201
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"code": "ERR_VALIDATION", "params": {"fields": ["qty"]}}),
        ({"stage": "NOPE"}, {"code": "ERR_VALIDATION", "params": {"fields": ["qty"]}}),
        ({"qty": "2"}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": 1.5}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": 2.0}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": True}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": None}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": 0}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": -3}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": 1_000_001}, {"code": "ERR_INVALID_QTY", "params": QTY_RANGE}),
        ({"qty": 1, "stage": "NOPE"}, {"code": "ERR_INVALID_STAGE", "params": {}}),
        ({"qty": 1, "stage": "in_box"}, {"code": "ERR_INVALID_STAGE", "params": {}}),
        ({"qty": 1, "stage": None}, {"code": "ERR_INVALID_STAGE", "params": {}}),
        ([1], {"code": "ERR_VALIDATION", "params": {"fields": ["body"]}}),
    ],
)
def test_add_which_code_wins(client: TestClient, body: Any, expected: Any) -> None:
    type_id = create_type(client, "Kept", IN_BOX=1)["id"]
    before = snapshot(client)
    assert error(client.post(f"{API}/types/{type_id}/add", json=body)) == (400, expected)
    assert snapshot(client) == before


def test_add_past_the_limit_changes_nothing(client: TestClient) -> None:
    type_id = create_type(client, "Horde", IN_BOX=999_999)["id"]
    before = snapshot(client)
    response = client.post(f"{API}/types/{type_id}/add", json={"qty": 2})
    assert error(response) == (400, {"code": "ERR_COUNT_LIMIT", "params": {"max": 1_000_000}})
    assert snapshot(client) == before
    # Up to the limit itself is fine, and other stages have their own limit.
    assert client.post(f"{API}/types/{type_id}/add", json={"qty": 1}).status_code == 200
    response = client.post(f"{API}/types/{type_id}/add", json={"stage": "DONE", "qty": 1_000_000})
    assert response.json()["total"] == 2_000_000


def test_delete_takes_counts_and_history_with_it(client: TestClient) -> None:
    kept = create_type(client, "Kept", IN_BOX=2)
    type_id = create_type(client, "Gone", IN_BOX=5)["id"]
    client.post(
        f"{API}/types/{type_id}/move", json={"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 1}
    )
    response = client.delete(f"{API}/types/{type_id}")
    assert response.status_code == 204
    assert response.content == b""
    listed = {key: value for key, value in kept.items() if key != "notes"}
    assert client.get(f"{API}/types").json() == [{**listed, "has_notes": False}]
    assert error(client.get(f"{API}/types/{type_id}"))[1]["code"] == "ERR_TYPE_NOT_FOUND"
    for table in ("stage_counts", "history_events"):
        rows = run_sql(client, f"SELECT count(*) FROM {table} WHERE type_id = :id", id=type_id)
        assert rows == [(0,)]
    assert client.get(f"{API}/stats").json()["totals"]["total"] == 2
    assert error(client.delete(f"{API}/types/{type_id}"))[0] == 404


@pytest.mark.parametrize("bad_id", [*BAD_IDS, "12345"])
def test_unknown_or_malformed_ids_are_type_not_found(client: TestClient, bad_id: str) -> None:
    create_type(client, "Kept", IN_BOX=3)
    before = snapshot(client)
    not_found = (404, {"code": "ERR_TYPE_NOT_FOUND", "params": {}})
    base = f"{API}/types/{bad_id}"
    assert error(client.get(base)) == not_found
    assert error(client.get(f"{base}/history")) == not_found
    assert error(client.patch(base, json={"name": "New"})) == not_found
    assert error(client.delete(base)) == not_found
    assert error(client.post(f"{base}/add", json={"qty": 1})) == not_found
    move_body = {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 1}
    assert error(client.post(f"{base}/move", json=move_body)) == not_found
    assert snapshot(client) == before


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_a_malformed_id_wins_over_a_bad_body(client: TestClient, bad_id: str) -> None:
    response = client.post(f"{API}/types/{bad_id}/add", json={"qty": "x"})
    assert error(response) == (404, {"code": "ERR_TYPE_NOT_FOUND", "params": {}})


def test_list_is_sorted_by_the_normalised_name(client: TestClient) -> None:
    names = ["яблоко", "Zebra", "ель", "banana", "Ёлка", "apple", "Ель2", "Äpfel", "10 Orks"]
    for name in names:
        create_type(client, name)
    listed = [t["name"] for t in client.get(f"{API}/types").json()]
    # Case does not matter, Latin before Cyrillic, ё beside е, then by character code.
    assert listed == [
        "10 Orks",
        "apple",
        "banana",
        "Zebra",
        "Äpfel",
        "Ёлка",
        "ель",
        "Ель2",
        "яблоко",
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("", ["100% Orks", "Back\\slash", "Ёлка", "ель", "ЕЛЬНИК", "Snake_Eyes", "Snakes"]),
        ("ё", ["Ёлка", "ель", "ЕЛЬНИК"]),
        ("ЕЛ", ["Ёлка", "ель", "ЕЛЬНИК"]),
        ("ёль", ["ель", "ЕЛЬНИК"]),
        ("лка", ["Ёлка"]),
        ("%", ["100% Orks"]),
        ("0%", ["100% Orks"]),
        ("_", ["Snake_Eyes"]),
        ("e_e", ["Snake_Eyes"]),
        ("\\", ["Back\\slash"]),
        ("SNAKE", ["Snake_Eyes", "Snakes"]),
        (" orks ", ["100% Orks"]),
        ("nothing", []),
    ],
)
def test_search_is_a_literal_substring_of_the_normalised_name(
    client: TestClient, q: str, expected: list[str]
) -> None:
    for name in ("Snakes", "Snake_Eyes", "100% Orks", "Back\\slash", "ель", "ЕЛЬНИК", "Ёлка"):
        create_type(client, name)
    found = [t["name"] for t in client.get(f"{API}/types", params={"q": q}).json()]
    expected_sorted = sorted(expected, key=lambda n: n.casefold().replace("ё", "е"))
    assert found == expected_sorted


def test_list_of_a_thousand_types_is_one_query(client: TestClient, engine: Engine) -> None:
    run_sql(
        client,
        "INSERT INTO miniature_types (name, name_key) "
        "SELECT 'Type ' || g, 'type ' || g FROM generate_series(1, 1000) AS g",
    )
    run_sql(
        client,
        "INSERT INTO stage_counts (type_id, stage, count) SELECT t.id, s, 2 FROM miniature_types t,"
        " unnest(ARRAY['IN_BOX', 'BUILDING', 'PRIMING', 'PAINTING', 'DONE']) AS s",
    )
    with recorded_statements(engine) as statements:
        listed = client.get(f"{API}/types").json()
    assert len(listed) == 1000
    assert all(t["total"] == 10 for t in listed)
    # The snapshot check of the answer cache, then one query for all types and counts.
    assert len(statements) == 2
    assert "pg_current_snapshot" in statements[0]


def test_openapi_documents_every_route_and_its_error_answers(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    one_type = paths["/api/v1/types/{type_id}"]
    assert set(one_type) == {"get", "patch", "delete"}
    assert "404" in one_type["get"]["responses"]
    assert set(one_type["delete"]["responses"]) >= {"204", "400", "404", "500", "503"}
    assert "content" not in one_type["delete"]["responses"]["204"]
    assert "201" in paths["/api/v1/types"]["post"]["responses"]
    for path in ("/api/v1/types/{type_id}/add", "/api/v1/types/{type_id}/move"):
        assert set(paths[path]["post"]["responses"]) >= {"200", "400", "404", "415", "503"}
    assert "/api/v1/types/{type_id}/history" in paths
    assert "/api/v1/stats" in paths


def test_only_the_plain_id_names_a_type(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=1)["id"]
    assert client.get(f"{API}/types/{type_id}").status_code == 200
    for spelling in (f"0{type_id}", f"+{type_id}", f"%20{type_id}", f"{type_id}.0"):
        response = client.get(f"{API}/types/{spelling}")
        assert error(response) == (404, {"code": "ERR_TYPE_NOT_FOUND", "params": {}}), spelling
