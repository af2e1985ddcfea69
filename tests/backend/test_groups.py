"""Groups and notes through the real API on the real database: groups and their totals, a
type's group and notes on creation and PATCH, the filters, and what a refusal leaves."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.backend.core_api import API, create_type, groups, run_sql

NOT_FOUND = (404, {"code": "ERR_GROUP_NOT_FOUND", "params": {}})
TAKEN = (400, {"code": "ERR_NAME_TAKEN", "params": {}})
TOO_LONG_NOTES = (400, {"code": "ERR_NOTES_TOO_LONG", "params": {"max": 10_000}})
ZEROS = {"IN_BOX": 0, "BUILDING": 0, "PRIMING": 0, "PAINTING": 0, "DONE": 0}


def answer(response: Any) -> tuple[int, Any]:
    return response.status_code, response.json()


def create_group(client: TestClient, name: str) -> dict[str, Any]:
    response = client.post(f"{API}/groups", json={"name": name})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def patch(client: TestClient, type_id: int, body: Any) -> Any:
    # Sent as typed (no \\u escapes), as the UI sends it: a body within 64 KiB.
    content = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    return client.patch(f"{API}/types/{type_id}", content=content, headers=headers)


def listed(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"{API}/types", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


# --- groups ------------------------------------------------------------------------------


def test_a_new_group_is_empty_and_named_as_types_are(client: TestClient) -> None:
    created = create_group(client, "  Ｎｅｃｒｏｎｓ\u200b ")
    assert set(created) == {"id", "name", "created_at", "types", "counts", "total"}
    assert created["name"] == "Ｎｅｃｒｏｎｓ"
    assert (created["types"], created["counts"], created["total"]) == (0, ZEROS, 0)
    assert created["created_at"].endswith("Z")
    assert answer(client.post(f"{API}/groups", json={"name": "necrons"})) == TAKEN
    assert answer(client.post(f"{API}/groups", json={"name": " \u200b"}))[1]["code"] == (
        "ERR_NAME_REQUIRED"
    )
    assert answer(client.post(f"{API}/groups", json={"name": "x" * 101})) == (
        400,
        {"code": "ERR_NAME_TOO_LONG", "params": {"max": 100}},
    )
    assert answer(client.post(f"{API}/groups", json={})) == (
        400,
        {"code": "ERR_VALIDATION", "params": {"fields": ["name"]}},
    )
    # A group may share its name with a type.
    create_type(client, "Orks")
    assert client.post(f"{API}/groups", json={"name": "ORKS"}).status_code == 201


def test_group_names_keep_the_control_character_rule_of_type_names(client: TestClient) -> None:
    """Each control character is a space in the stored name; runs of them are one space in the
    key; NUL is refused, as in a type's name."""
    created = create_group(client, "Blood\tAngels\x07 2nd")
    assert created["name"] == "Blood Angels  2nd"
    assert answer(client.post(f"{API}/groups", json={"name": "blood angels 2nd"})) == TAKEN
    assert answer(client.post(f"{API}/groups", json={"name": "Or\x00ks"})) == (
        400,
        {"code": "ERR_VALIDATION", "params": {"fields": ["name"]}},
    )
    renamed = client.patch(f"{API}/groups/{created['id']}", json={"name": "\x1bOrks\r\n"})
    assert renamed.json()["name"] == "Orks"
    assert [g["name"] for g in client.get(f"{API}/groups").json()["groups"]] == ["Orks"]


def test_groups_are_listed_by_name_key_with_their_types_totals(client: TestClient) -> None:
    necrons = create_group(client, "necrons")["id"]
    tide = create_group(client, "Ёлки-палки")["id"]
    create_group(client, "Aeldari")
    warriors = create_type(client, "Warriors", IN_BOX=10, DONE=5)["id"]
    lords = create_type(client, "Lords", PAINTING=2, DONE=1)["id"]
    boyz = create_type(client, "Boyz", BUILDING=7)["id"]
    create_type(client, "Loose", DONE=100)
    for type_id, group_id in ((warriors, necrons), (lords, necrons), (boyz, tide)):
        assert patch(client, type_id, {"group_id": group_id}).status_code == 200
    found = client.get(f"{API}/groups").json()["groups"]
    assert [g["name"] for g in found] == ["Aeldari", "necrons", "Ёлки-палки"]
    aeldari, necron_sums, tide_sums = found
    assert (aeldari["types"], aeldari["counts"], aeldari["total"]) == (0, ZEROS, 0)
    assert necron_sums["types"] == 2
    assert necron_sums["counts"] == {**ZEROS, "IN_BOX": 10, "PAINTING": 2, "DONE": 6}
    assert necron_sums["total"] == 18
    assert (tide_sums["types"], tide_sums["total"]) == (1, 7)


def test_renaming_a_group(client: TestClient) -> None:
    necrons = create_group(client, "Necrons")["id"]
    create_group(client, "Orks")
    renamed = client.patch(f"{API}/groups/{necrons}", json={"name": "NECRONS"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "NECRONS"  # its own name in another case
    assert answer(client.patch(f"{API}/groups/{necrons}", json={"name": "orks"})) == TAKEN
    assert client.get(f"{API}/groups").json()["groups"][0]["name"] == "NECRONS"


def test_deleting_a_group_leaves_its_types_in_no_group(client: TestClient) -> None:
    necrons = create_group(client, "Necrons")["id"]
    warriors = create_type(client, "Warriors", IN_BOX=3)["id"]
    patch(client, warriors, {"group_id": necrons, "notes": "Leadbelcher"})
    deleted = client.delete(f"{API}/groups/{necrons}")
    assert deleted.status_code == 204
    kept = client.get(f"{API}/types/{warriors}").json()
    assert (kept["group_id"], kept["notes"], kept["total"]) == (None, "Leadbelcher", 3)
    assert client.get(f"{API}/groups").json() == {"groups": []}
    assert answer(client.delete(f"{API}/groups/{necrons}")) == NOT_FOUND


@pytest.mark.parametrize("group_id", ["999999", "0", "01", "+1", "abc", "2147483648", "1.0"])
def test_an_unknown_or_malformed_group_id_in_the_path_is_not_found(
    client: TestClient, group_id: str
) -> None:
    create_group(client, "Necrons")
    path = f"{API}/groups/{group_id}"
    assert answer(client.patch(path, json={"name": "X"})) == NOT_FOUND
    assert answer(client.delete(path)) == NOT_FOUND


# --- a type's group and notes ------------------------------------------------------------


def test_a_type_is_created_in_a_group_with_notes(client: TestClient) -> None:
    necrons = create_group(client, "Necrons")["id"]
    body = {"name": "Warriors", "counts": {"IN_BOX": 2}, "group_id": necrons, "notes": "Boltgun"}
    created = client.post(f"{API}/types", json=body)
    assert created.status_code == 201
    assert (created.json()["group_id"], created.json()["notes"]) == (necrons, "Boltgun")
    plain = create_type(client, "Plain")
    assert (plain["group_id"], plain["notes"]) == (None, "")


@pytest.mark.parametrize("group_id", [999_999, 0, -1, 2**31, 2**70])
def test_creating_in_an_unknown_group_is_not_found_and_creates_nothing(
    client: TestClient, group_id: int
) -> None:
    body = {"name": "Warriors", "counts": {"IN_BOX": 2}, "group_id": group_id}
    assert answer(client.post(f"{API}/types", json=body)) == NOT_FOUND
    assert listed(client) == []


@pytest.mark.parametrize("value", ["3", 3.0, True, [3], {"id": 3}])
def test_a_group_id_that_is_not_an_integer_is_a_validation_error(
    client: TestClient, value: Any
) -> None:
    response = client.post(f"{API}/types", json={"name": "Warriors", "group_id": value})
    assert answer(response) == (400, {"code": "ERR_VALIDATION", "params": {"fields": ["group_id"]}})


def test_notes_keep_line_breaks_and_tabs_and_are_trimmed_at_the_end(client: TestClient) -> None:
    type_id = create_type(client, "Warriors")["id"]
    typed = "  Base:\tLeadbelcher\r\nWash: Nuln Oil\rEdge\x00x\x07y\x85z \n\n\t "
    changed = patch(client, type_id, {"notes": typed})
    assert changed.status_code == 200
    assert changed.json()["notes"] == "  Base:\tLeadbelcher\nWash: Nuln Oil\nEdge x y z"


def test_notes_up_to_the_limit_after_trimming(client: TestClient) -> None:
    type_id = create_type(client, "Warriors")["id"]
    # Characters, not bytes or UTF-16 units: 10,000 emoji are 10,000 characters.
    for notes in ("я" * 10_000, "\U0001f3a8" * 10_000, "x" * 10_000 + " \n\t" * 100):
        response = patch(client, type_id, {"notes": notes})
        assert response.status_code == 200, response.text
        assert len(response.json()["notes"]) == 10_000
    assert answer(patch(client, type_id, {"notes": "x" * 10_001})) == TOO_LONG_NOTES
    assert answer(patch(client, type_id, {"notes": "\U0001f3a8" * 10_001})) == TOO_LONG_NOTES
    too_long = client.post(f"{API}/types", json={"name": "Other", "notes": "x" * 10_001})
    assert answer(too_long) == TOO_LONG_NOTES


@pytest.mark.parametrize(
    "body",
    [{"notes": 5}, {"notes": None}, {"notes": ["x"]}, {"name": None}, {"name": 7}],
    ids=["notes a number", "notes null", "notes a list", "name null", "name a number"],
)
def test_a_field_of_the_wrong_type_is_a_validation_error(
    client: TestClient, body: dict[str, Any]
) -> None:
    type_id = create_type(client, "Warriors")["id"]
    (field,) = body
    assert answer(patch(client, type_id, body)) == (
        400,
        {"code": "ERR_VALIDATION", "params": {"fields": [field]}},
    )


def test_patch_changes_any_of_the_three(client: TestClient) -> None:
    necrons = create_group(client, "Necrons")["id"]
    type_id = create_type(client, "Warriors", IN_BOX=4)["id"]
    one = patch(client, type_id, {"group_id": necrons}).json()
    assert (one["name"], one["group_id"], one["notes"]) == ("Warriors", necrons, "")
    two = patch(client, type_id, {"notes": "Boltgun Metal"}).json()
    assert (two["name"], two["group_id"], two["notes"]) == ("Warriors", necrons, "Boltgun Metal")
    three = patch(client, type_id, {"name": "Immortals", "group_id": None, "notes": ""}).json()
    assert (three["name"], three["group_id"], three["notes"]) == ("Immortals", None, "")
    assert three["counts"]["IN_BOX"] == 4
    # No history event for any of it.
    assert [(g["from_stage"], g["to_stage"]) for g in groups(client, type_id)] == [(None, "IN_BOX")]


@pytest.mark.parametrize("body", [{}, {"colour": "red"}], ids=["empty", "unknown keys only"])
def test_a_patch_of_nothing_is_a_validation_error(client: TestClient, body: Any) -> None:
    type_id = create_type(client, "Warriors")["id"]
    assert answer(patch(client, type_id, body)) == (
        400,
        {"code": "ERR_VALIDATION", "params": {"fields": ["name", "group_id", "notes"]}},
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": "Orks", "notes": "new", "group_id": None}, TAKEN),
        ({"name": "New name", "notes": "new", "group_id": 999_999}, NOT_FOUND),
        ({"name": "New name", "notes": "x" * 10_001, "group_id": None}, TOO_LONG_NOTES),
        ({"name": " ", "notes": "new", "group_id": None}, None),
    ],
    ids=["name taken", "group unknown", "notes too long", "name blank"],
)
def test_a_refused_patch_changes_none_of_the_fields(
    client: TestClient, body: dict[str, Any], expected: Any
) -> None:
    necrons = create_group(client, "Necrons")["id"]
    create_type(client, "Orks")
    type_id = create_type(client, "Warriors")["id"]
    patch(client, type_id, {"group_id": necrons, "notes": "old"})
    before = client.get(f"{API}/types/{type_id}").json()
    refused = patch(client, type_id, body)
    assert refused.status_code in (400, 404)
    if expected is not None:
        assert answer(refused) == expected
    assert client.get(f"{API}/types/{type_id}").json() == before


def test_patching_an_unknown_type_is_still_type_not_found(client: TestClient) -> None:
    assert answer(patch(client, 999_999, {"notes": "x"})) == (
        404,
        {"code": "ERR_TYPE_NOT_FOUND", "params": {}},
    )


def test_every_single_type_answer_carries_notes_and_the_list_whether_there_are_any(
    client: TestClient,
) -> None:
    necrons = create_group(client, "Necrons")["id"]
    type_id = create_type(client, "Warriors", IN_BOX=5)["id"]
    create_type(client, "Plain")
    patch(client, type_id, {"notes": "Boltgun", "group_id": necrons})
    base = f"{API}/types/{type_id}"
    moved = client.post(f"{base}/move", json={"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 1})
    added = client.post(f"{base}/add", json={"qty": 1})
    undone = client.post(f"{base}/undo", json={"event_ids": [added.json()["event_id"]]})
    for response in (client.get(base), moved, added, undone):
        assert response.status_code == 200, response.text
        assert (response.json()["notes"], response.json()["group_id"]) == ("Boltgun", necrons)
    items = {t["name"]: t for t in listed(client)}
    assert "notes" not in items["Warriors"]
    assert (items["Warriors"]["has_notes"], items["Plain"]["has_notes"]) == (True, False)
    assert (items["Warriors"]["group_id"], items["Plain"]["group_id"]) == (necrons, None)
    patch(client, type_id, {"notes": "  \n"})
    assert {t["name"]: t["has_notes"] for t in listed(client)}["Warriors"] is False


# --- the filters -------------------------------------------------------------------------


def test_the_list_of_one_group_of_none_and_with_a_search(client: TestClient) -> None:
    necrons = create_group(client, "Necrons")["id"]
    empty = create_group(client, "Empty")["id"]
    for name, group_id in (("Warriors", necrons), ("Wraiths", necrons), ("Wolves", None)):
        type_id = create_type(client, name)["id"]
        patch(client, type_id, {"group_id": group_id})
    names = lambda **params: [t["name"] for t in listed(client, **params)]  # noqa: E731
    assert names(group=necrons) == ["Warriors", "Wraiths"]
    assert names(group="none") == ["Wolves"]
    assert names(group=empty) == []
    assert names(group=necrons, q="WRAI") == ["Wraiths"]
    assert names(group="none", q="w") == ["Wolves"]
    assert names(group="") == ["Warriors", "Wolves", "Wraiths"]


@pytest.mark.parametrize("group", ["999999", "0", "01", "abc", "None", "2147483648", "-1"])
def test_the_list_and_stats_of_an_unknown_group_are_not_found(
    client: TestClient, group: str
) -> None:
    create_group(client, "Necrons")
    assert answer(client.get(f"{API}/types", params={"group": group})) == NOT_FOUND
    assert answer(client.get(f"{API}/stats", params={"group": group})) == NOT_FOUND


def test_stats_of_one_group(client: TestClient) -> None:
    necrons = create_group(client, "Necrons")["id"]
    warriors = create_type(client, "Warriors", IN_BOX=10)["id"]
    create_type(client, "Wolves", IN_BOX=3, DONE=2)
    patch(client, warriors, {"group_id": necrons})
    move = {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 4}
    client.post(f"{API}/types/{warriors}/move", json=move)
    mine = client.get(f"{API}/stats", params={"group": necrons}).json()
    assert mine["totals"] == {**ZEROS, "IN_BOX": 6, "DONE": 4, "total": 10}
    assert [(m["added"], m["finished"]) for m in mine["months"]] == [(10, 4)]
    loose = client.get(f"{API}/stats", params={"group": "none"}).json()
    assert loose["totals"] == {**ZEROS, "IN_BOX": 3, "DONE": 2, "total": 5}
    everything = client.get(f"{API}/stats").json()
    assert everything["totals"]["total"] == 15
    assert [(m["added"], m["finished"]) for m in everything["months"]] == [(15, 6)]
    empty = create_group(client, "Empty")["id"]
    nothing = client.get(f"{API}/stats", params={"group": empty}).json()
    assert nothing == {"totals": {**ZEROS, "total": 0}, "months": []}


def test_the_database_refuses_notes_past_the_limit(client: TestClient) -> None:
    type_id = create_type(client, "Warriors")["id"]
    with pytest.raises(Exception, match="notes_length"):
        run_sql(
            client, "UPDATE miniature_types SET notes = repeat('x', 10001) WHERE id = :t", t=type_id
        )
