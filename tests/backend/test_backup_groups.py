"""Backup version 3: groups and notes exported, imported, merged and replaced, and round trips
that keep everything but ids."""

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.backend.backup_helpers import (
    create_type,
    export,
    full_counts,
    positional,
    post_import,
    state,
)

API = "/api/v1"


def create_group(client: TestClient, name: str) -> int:
    response = client.post(f"{API}/groups", json={"name": name})
    assert response.status_code == 201, response.text
    group_id: int = response.json()["id"]
    return group_id


def change(client: TestClient, type_id: int, **fields: Any) -> None:
    response = client.patch(f"{API}/types/{type_id}", json=fields)
    assert response.status_code == 200, response.text


def v3(*types: dict[str, Any], groups: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "format": "miniatures-tracker",
        "version": 3,
        "groups": groups or [],
        "types": list(types),
    }


def collection(client: TestClient) -> None:
    """Groups (one empty), types in them and in none, notes with every kind of text."""
    necrons = create_group(client, "Necrons")
    tide = create_group(client, "Зелёный прилив")
    create_group(client, 'Commissions "2027"')  # no type in it
    warriors = create_type(client, "Necron Warriors", IN_BOX=20)
    create_type(client, "Orks", BUILDING=3)
    boyz = create_type(client, "Ork Boyz", DONE=10)
    tau = create_type(client, "Tau", PAINTING=1)
    change(client, warriors, group_id=necrons, notes="Leadbelcher\nNuln Oil\tthin")
    change(client, boyz, group_id=tide, notes='"Goff" = red\\black, 50%')
    change(client, tau, notes="In the attic, box 3")
    client.post(
        f"{API}/types/{warriors}/move",
        json={"from_stage": "IN_BOX", "to_stage": "PAINTING", "qty": 5},
    )


def test_export_writes_groups_before_types_and_each_types_group_and_notes(
    client: TestClient,
) -> None:
    collection(client)
    raw = client.get(f"{API}/export").text
    assert raw.index('"groups"') < raw.index('"types"')
    exported = json.loads(raw)
    assert exported["version"] == 3
    assert [g["name"] for g in exported["groups"]] == [
        'Commissions "2027"',
        "Necrons",
        "Зелёный прилив",
    ]
    assert all(list(g) == ["name", "created_at"] for g in exported["groups"])
    assert all(g["created_at"].endswith("Z") for g in exported["groups"])
    written = {t["name"]: (t["group"], t["notes"]) for t in exported["types"]}
    assert written == {
        "Necron Warriors": ("Necrons", "Leadbelcher\nNuln Oil\tthin"),
        "Ork Boyz": ("Зелёный прилив", '"Goff" = red\\black, 50%'),
        "Orks": (None, ""),
        "Tau": (None, "In the attic, box 3"),
    }


def test_export_of_groups_without_any_type(client: TestClient) -> None:
    create_group(client, "Necrons")
    exported = export(client)
    assert [g["name"] for g in exported["groups"]] == ["Necrons"]
    assert exported["types"] == []


def test_round_trip_keeps_everything_but_ids(client: TestClient) -> None:
    """export -> import (replace) -> export: equal apart from event ids and the time."""
    collection(client)
    before = client.get(f"{API}/export").content
    original = json.loads(before)
    answer = post_import(client, before, mode="replace")
    assert answer.status_code == 200, answer.text
    assert answer.json()["groups_created"] == 3
    again = positional(export(client))
    assert {**again, "exported_at": None} == {**positional(original), "exported_at": None}
    # And once more through a merge into an empty database.
    assert post_import(client, {**v3(), "version": 3}, mode="replace").status_code == 200
    assert export(client)["groups"] == []
    assert post_import(client, before).json()["groups_created"] == 3
    again = positional(export(client))
    assert {**again, "exported_at": None} == {**positional(original), "exported_at": None}


def test_the_lists_and_the_groups_answer_show_the_imported_collection(
    client: TestClient,
) -> None:
    collection(client)
    file = client.get(f"{API}/export").content
    post_import(client, file, mode="replace")
    groups = {g["name"]: g for g in client.get(f"{API}/groups").json()["groups"]}
    assert (groups["Necrons"]["types"], groups["Necrons"]["total"]) == (1, 20)
    assert groups['Commissions "2027"']["types"] == 0
    in_necrons = client.get(f"{API}/types", params={"group": groups["Necrons"]["id"]}).json()
    assert [t["name"] for t in in_necrons] == ["Necron Warriors"]
    assert in_necrons[0]["has_notes"] is True


def test_merge_matches_groups_by_key_and_creates_the_missing_ones(client: TestClient) -> None:
    necrons = create_group(client, "NECRONS")
    created_at = client.get(f"{API}/groups").json()["groups"][0]["created_at"]
    file = v3(
        {"name": "Warriors", "group": "necrons"},
        {"name": "Boyz", "group": "Orks"},
        groups=[
            {"name": "Necrons", "created_at": "2020-01-01T00:00:00Z"},
            {"name": "Orks", "created_at": "2020-01-01T00:00:00Z"},
        ],
    )
    dry = post_import(client, file, dry_run="true").json()
    assert dry["groups_created"] == 1
    assert post_import(client, file).json()["groups_created"] == 1
    groups = client.get(f"{API}/groups").json()["groups"]
    # The existing group keeps its name and time; the new one takes the file's.
    assert [(g["name"], g["created_at"]) for g in groups] == [
        ("NECRONS", created_at),
        ("Orks", "2020-01-01T00:00:00Z"),
    ]
    types = {t["name"]: t["group_id"] for t in client.get(f"{API}/types").json()}
    assert types == {"Warriors": necrons, "Boyz": groups[1]["id"]}


def test_merge_keeps_a_types_group_and_notes_unless_it_has_none(client: TestClient) -> None:
    mine = create_group(client, "Mine")
    kept = create_type(client, "Kept", IN_BOX=1)
    filled = create_type(client, "Filled", IN_BOX=1)
    change(client, kept, group_id=mine, notes="my recipe")
    file = v3(
        {"name": "kept", "group": "Theirs", "notes": "their recipe", "counts": {"IN_BOX": 1}},
        {"name": "FILLED", "group": "Theirs", "notes": "their recipe"},
        {"name": "New", "group": "Theirs", "notes": "new recipe"},
        groups=[{"name": "Theirs"}],
    )
    answer = post_import(client, file).json()
    assert (answer["types_merged"], answer["types_created"], answer["groups_created"]) == (2, 1, 1)
    theirs = next(g["id"] for g in client.get(f"{API}/groups").json()["groups"] if g["id"] != mine)
    one = {t["name"]: t for t in (client.get(f"{API}/types/{i}").json() for i in (kept, filled))}
    assert (one["Kept"]["group_id"], one["Kept"]["notes"]) == (mine, "my recipe")
    assert one["Kept"]["counts"] == full_counts(IN_BOX=2)
    assert (one["Filled"]["group_id"], one["Filled"]["notes"]) == (theirs, "their recipe")
    new = next(t for t in client.get(f"{API}/types").json() if t["name"] == "New")
    assert new["group_id"] == theirs
    # A file without groups or notes changes neither.
    assert post_import(client, v3({"name": "Kept"})).json()["groups_created"] == 0
    assert client.get(f"{API}/types/{kept}").json()["notes"] == "my recipe"


def test_replace_deletes_the_groups_too(client: TestClient) -> None:
    create_group(client, "Old")
    create_group(client, "Kept by name")
    file = v3({"name": "Orks", "group": "kept by name"}, groups=[{"name": "Kept By Name"}])
    dry = post_import(client, file, mode="replace", dry_run="true").json()
    assert dry["groups_created"] == 1
    answer = post_import(client, file, mode="replace").json()
    assert answer["groups_created"] == 1
    assert answer["safety_copy"] is not None
    assert [g["name"] for g in client.get(f"{API}/groups").json()["groups"]] == ["Kept By Name"]


def test_a_database_of_groups_alone_gets_a_safety_copy(client: TestClient) -> None:
    create_group(client, "Necrons")
    answer = post_import(client, v3(groups=[{"name": "Orks"}])).json()
    assert answer["groups_created"] == 1
    assert answer["safety_copy"] is not None


def test_a_refused_file_creates_no_group(client: TestClient) -> None:
    create_group(client, "Necrons")
    before = state(client)
    file = v3(
        {"name": "Orks", "group": "Orks"},
        {"name": "Tau", "counts": {"DONE": -1}},
        groups=[{"name": "Orks"}],
    )
    assert post_import(client, file).status_code == 400
    assert state(client) == before
