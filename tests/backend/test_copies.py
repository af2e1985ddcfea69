"""The app's own copies: listing, manual and before-import copies, retention, restore."""

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.services.daily_copies import take_daily_copy
from tests.backend.backup_helpers import (
    create_type,
    document,
    move,
    positional,
    post_import,
    state,
)


def listed(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/v1/backups")
    assert response.status_code == 200
    entries: list[dict[str, Any]] = response.json()["backups"]
    return entries


def take_manual(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/v1/backups")
    assert response.status_code == 201, response.text
    entry: dict[str, Any] = response.json()
    return entry


def restore(client: TestClient, name: str, **params: str) -> Any:
    return client.post(f"/api/v1/backups/{name}/restore", params=params)


def take_daily(client: TestClient) -> Any:
    app = client.app
    return take_daily_copy(app.state.copies, app.state.session_factory)  # type: ignore[attr-defined]


def test_a_manual_copy_is_listed_with_what_it_holds(client: TestClient, backups_dir: Path) -> None:
    assert listed(client) == []
    orks = create_type(client, "Orks", IN_BOX=10, DONE=2)
    create_type(client, "Tau", PAINTING=3)
    assert move(client, orks, "IN_BOX", "BUILDING", 4) == 200

    entry = take_manual(client)

    assert entry["kind"] == "manual"
    assert entry["name"].startswith("manual-") and entry["name"].endswith("Z.json")
    assert (entry["types"], entry["miniatures"]) == (2, 15)
    file = backups_dir / entry["name"]
    assert entry["bytes"] == file.stat().st_size
    assert listed(client) == [entry]
    # A complete backup file: a normal import reads it and finds the same collection.
    copy = json.loads(file.read_bytes())
    assert copy["format"] == "miniatures-tracker" and copy["exported_at"] == entry["at"]
    assert positional(copy)["types"] == state(client)["types"]
    checked = post_import(client, file.read_bytes(), mode="replace", dry_run="true")
    assert checked.json()["types_created"] == 2


def test_the_listing_is_newest_first_and_names_are_unique_within_a_second(
    client: TestClient, backups_dir: Path
) -> None:
    create_type(client, "Orks", IN_BOX=1)
    taken = [take_manual(client)["name"] for _ in range(4)]
    assert len(set(taken)) == 4
    assert [entry["name"] for entry in listed(client)] == taken[::-1]


def test_retention_keeps_the_newest_of_each_kind(client: TestClient, backups_dir: Path) -> None:
    orks = create_type(client, "Orks", IN_BOX=100)
    manual = [take_manual(client)["name"] for _ in range(12)]
    before_import = [
        post_import(client, document({"name": "Tau"})).json()["safety_copy"] for _ in range(12)
    ]
    daily = []
    for _ in range(16):
        assert move(client, orks, "IN_BOX", "DONE", 1) == 200  # a change, or no daily copy
        daily.append(take_daily(client).name)

    names = {entry["name"] for entry in listed(client)}
    assert names == set(manual[-10:]) | set(before_import[-10:]) | set(daily[-14:])
    assert sorted(path.name for path in backups_dir.iterdir()) == sorted(names)


def test_a_daily_copy_only_when_the_data_changed(client: TestClient, backups_dir: Path) -> None:
    assert take_daily(client) is None  # nothing yet, and nothing to keep
    orks = create_type(client, "Orks", IN_BOX=5)
    assert take_daily(client).kind == "daily"
    assert take_daily(client) is None

    changes = [
        lambda: move(client, orks, "IN_BOX", "BUILDING", 1),
        lambda: client.patch(f"/api/v1/types/{orks}", json={"name": "Orks!"}),
        lambda: create_type(client, "Tau"),
        lambda: client.delete(f"/api/v1/types/{orks}"),
        lambda: post_import(client, document({"name": "Tau", "counts": {"DONE": 1}})),
    ]
    for change in changes:
        change()
        entry = take_daily(client)
        assert entry is not None and entry.kind == "daily"
        assert take_daily(client) is None
    # A manual copy of the same data counts as a copy: no daily copy of it again.
    create_type(client, "Necrons")
    take_manual(client)
    assert take_daily(client) is None


def test_a_restore_replaces_everything_with_the_copy_and_keeps_what_it_replaced(
    client: TestClient, backups_dir: Path
) -> None:
    orks = create_type(client, "Orks", IN_BOX=10)
    assert move(client, orks, "IN_BOX", "PAINTING", 3) == 200
    saved = state(client)
    copy = take_manual(client)["name"]
    create_type(client, "Tau", DONE=4)
    client.delete(f"/api/v1/types/{orks}")
    later = state(client)

    file = (backups_dir / copy).read_bytes()
    as_import = post_import(client, file, mode="replace", dry_run="true").json()
    preview = restore(client, copy, dry_run="true")
    assert preview.status_code == 200
    assert (
        preview.json()
        == as_import
        == {
            "types_created": 1,
            "types_merged": 0,
            "events_added": 2,
            "groups_created": 0,
            "safety_copy": None,
            # What the replace would delete: Tau, with its 4 miniatures.
            "types_deleted": 1,
            "miniatures_deleted": 4,
        }
    )
    assert state(client) == later
    assert len(listed(client)) == 1

    done = restore(client, copy)
    assert done.status_code == 200
    answer = done.json()
    counted = {"types_deleted", "miniatures_deleted"}  # only a dry run counts them
    assert {**answer, "safety_copy": None} == {
        k: v for k, v in as_import.items() if k not in counted
    }
    assert state(client) == saved
    safety = listed(client)[0]
    assert safety["name"] == answer["safety_copy"]
    assert safety["kind"] == "before-import" and safety["types"] == 1
    # The restore itself can be taken back with the copy it made.
    assert restore(client, safety["name"]).status_code == 200
    assert state(client) == later


def test_a_restore_of_a_copy_edited_into_nonsense_changes_nothing(
    client: TestClient, backups_dir: Path
) -> None:
    create_type(client, "Orks", IN_BOX=1)
    copy = take_manual(client)["name"]
    before = state(client)
    path = backups_dir / copy
    path.write_bytes(path.read_bytes().replace(b'"IN_BOX": 1', b'"IN_BOX": -1', 1))
    answer = restore(client, copy)
    assert answer.status_code == 400
    assert answer.json()["params"]["rule"] == "NEGATIVE"
    assert state(client) == before
    assert [entry["name"] for entry in listed(client)] == [copy]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_on_the_backups(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/v1/backups/x/restore")
    assert response.status_code == 405
    assert response.json()["code"] == "ERR_METHOD_NOT_ALLOWED"


def test_a_copy_just_taken_is_kept_even_if_the_clock_was_set_back(
    client: TestClient, backups_dir: Path
) -> None:
    create_type(client, "Orks", IN_BOX=1)
    earlier = [take_manual(client) for _ in range(10)]
    # As if those ten were taken on a clock running years ahead of today's.
    for entry in earlier:
        path = backups_dir / entry["name"]
        written = path.read_bytes()
        year = entry["at"][:4].encode()
        head, marker, trailer = written.rpartition(b'"copy": ')
        path.write_bytes(head + marker + trailer.replace(b'"at": "' + year, b'"at": "2099', 1))
    assert all(entry["at"].startswith("2099") for entry in listed(client))

    now = take_manual(client)

    names = [entry["name"] for entry in listed(client)]
    assert now["name"] in names and len(names) == 10
    assert names[-1] == now["name"]  # listed by its time: the oldest
