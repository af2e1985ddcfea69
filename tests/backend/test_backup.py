"""Export and import of the whole database: format, round trip, merge, replace, dry run."""

import json
import re
from collections.abc import Callable
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import text

from backend.db import make_engine
from backend.main import create_app
from backend.migrate import upgrade_database
from backend.settings import Settings
from tests.backend.backup_helpers import (
    create_type,
    document,
    event,
    export,
    full_counts,
    move,
    positional,
    post_import,
    state,
)
from tests.conftest import BASE_URL

MARINES = {
    "name": "Space Marines",
    "created_at": "2026-11-01T09:00:00Z",
    "counts": {"IN_BOX": 3, "PAINTING": 1, "DONE": 6},
    "history": [
        event(None, "IN_BOX", 10, "2026-11-01T09:00:00Z"),
        event("IN_BOX", "PAINTING", 7, "2026-11-02T18:30:00Z"),
        event("PAINTING", "DONE", 6, "2026-11-09T21:05:00.25Z"),
    ],
}


def test_export_of_empty_database_is_a_valid_backup(client: TestClient) -> None:
    response = client.get("/api/v1/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    exported = response.json()
    # Named by the UTC date the file says it was exported on.
    assert response.headers["content-disposition"] == (
        f'attachment; filename="miniatures-{exported["exported_at"][:10]}.json"'
    )
    assert exported["format"] == "miniatures-tracker"
    assert exported["version"] == 3
    assert exported["groups"] == []
    assert exported["types"] == []
    assert list(exported) == ["format", "version", "exported_at", "groups", "types"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", exported["exported_at"])


def test_export_lists_types_by_name_with_five_counts_and_history_in_time_order(
    client: TestClient,
) -> None:
    orks = create_type(client, "orks", IN_BOX=5)
    create_type(client, "Ёлки")
    create_type(client, "Aeldari", DONE=2)
    assert move(client, orks, "IN_BOX", "PRIMING", 2) == 200

    exported = export(client)
    assert [entry["name"] for entry in exported["types"]] == ["Aeldari", "orks", "Ёлки"]
    aeldari, orks_entry, trees = exported["types"]
    assert orks_entry["counts"] == full_counts(IN_BOX=3, PRIMING=2)
    assert trees["counts"] == full_counts()
    assert trees["history"] == []
    assert [(e["from_stage"], e["to_stage"], e["qty"]) for e in orks_entry["history"]] == [
        (None, "IN_BOX", 5),
        ("IN_BOX", "PRIMING", 2),
    ]
    for entry in exported["types"]:
        assert entry["created_at"].endswith("Z")
        assert all(e["at"].endswith("Z") for e in entry["history"])
    assert list(aeldari) == ["name", "group", "notes", "created_at", "counts", "history"]
    assert (aeldari["group"], aeldari["notes"]) == (None, "")


def test_imported_times_are_exported_in_utc_with_fractions_only_when_present(
    client: TestClient,
) -> None:
    marines = dict(MARINES, created_at="2026-11-01T12:00:00+03:00")
    assert post_import(client, document(marines)).status_code == 200
    (entry,) = export(client)["types"]
    assert entry["created_at"] == "2026-11-01T09:00:00Z"
    assert [e["at"] for e in entry["history"]] == [
        "2026-11-01T09:00:00Z",
        "2026-11-02T18:30:00Z",
        "2026-11-09T21:05:00.25Z",
    ]


def test_times_are_exported_in_utc_and_iso_whatever_the_database_is_set_to(
    database_factory: Callable[[], str], settings: Settings
) -> None:
    """A database of the user's own server may write times in another style and zone by
    default: the export's are still ISO 8601 in UTC."""
    url = database_factory()
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            name = conn.execute(text("SELECT current_database()")).scalar_one()
            conn.execute(text(f"ALTER DATABASE \"{name}\" SET datestyle = 'SQL, DMY'"))
            conn.execute(text(f"ALTER DATABASE \"{name}\" SET timezone = 'America/New_York'"))
        engine.dispose()  # new connections, under the database's settings
        app = create_app(settings, engine=engine, daily_copies=False)
        with TestClient(app, base_url=BASE_URL) as client:
            assert post_import(client, document(MARINES)).status_code == 200
            (entry,) = export(client)["types"]
    finally:
        engine.dispose()
    assert entry["created_at"] == "2026-11-01T09:00:00Z"
    assert [e["at"] for e in entry["history"]] == [e["at"] for e in MARINES["history"]]


def test_round_trip_through_replace_into_an_empty_database(client: TestClient) -> None:
    orks = create_type(client, "Orks", IN_BOX=12)
    create_type(client, 'Quote " and \\ backslash', BUILDING=1)
    create_type(client, "Некроны", DONE=4)
    for _ in range(3):
        assert move(client, orks, "IN_BOX", "BUILDING", 1) == 200
    before = client.get("/api/v1/export").content
    original = json.loads(before)

    assert post_import(client, {**document(), "types": []}, mode="replace").status_code == 200
    assert export(client)["types"] == []
    response = post_import(client, before, mode="replace")
    assert response.status_code == 200
    assert response.json()["types_created"] == 3

    again = positional(export(client))
    assert {**again, "exported_at": None} == {**positional(original), "exported_at": None}


def test_import_into_empty_database_answers_the_summary(client: TestClient) -> None:
    response = post_import(client, document(MARINES, {"name": "Orks"}))
    assert response.status_code == 200
    assert response.json() == {
        "types_created": 2,
        "types_merged": 0,
        "events_added": 3,
        "groups_created": 0,
        "safety_copy": None,
    }
    orks, marines = export(client)["types"]
    assert orks["counts"] == full_counts()
    assert orks["history"] == []
    assert marines["created_at"] == "2026-11-01T09:00:00Z"
    assert marines["counts"] == full_counts(IN_BOX=3, PAINTING=1, DONE=6)
    # The API sees the imported type like any other.
    listed = client.get("/api/v1/types").json()
    assert [(t["name"], t["total"]) for t in listed] == [("Orks", 0), ("Space Marines", 10)]


def test_type_without_created_at_gets_the_import_time(client: TestClient) -> None:
    assert post_import(client, document({"name": "Orks", "created_at": None})).status_code == 200
    created = datetime.fromisoformat(export(client)["types"][0]["created_at"])
    # The database's clock, as for a type created now.
    tau = create_type(client, "Tau")
    made = datetime.fromisoformat(client.get(f"/api/v1/types/{tau}").json()["created_at"])
    assert abs((created - made).total_seconds()) < 60


def test_merge_adds_counts_appends_history_and_creates_new_types(client: TestClient) -> None:
    marines = create_type(client, "SPACE MARINES", IN_BOX=2, DONE=1)
    created_at = client.get(f"/api/v1/types/{marines}").json()["created_at"]
    response = post_import(client, document(MARINES, {"name": "Orks", "counts": {"DONE": 1}}))
    assert response.status_code == 200
    assert response.json()["types_created"] == 1
    assert response.json()["types_merged"] == 1
    assert response.json()["events_added"] == 3

    merged = client.get(f"/api/v1/types/{marines}").json()
    # The existing type keeps its name and created_at; counts are added.
    assert merged["name"] == "SPACE MARINES"
    assert merged["created_at"] == created_at
    assert merged["counts"] == full_counts(IN_BOX=5, PAINTING=1, DONE=7)
    entry = next(t for t in export(client)["types"] if t["name"] == "SPACE MARINES")
    assert len(entry["history"]) == 2 + 3
    assert {"Orks", "SPACE MARINES"} == {t["name"] for t in export(client)["types"]}


def test_merge_matches_names_ignoring_case_spaces_and_yo(client: TestClient) -> None:
    create_type(client, "Ёжики", IN_BOX=1)
    response = post_import(client, document({"name": "  ежики ", "counts": {"IN_BOX": 2}}))
    assert response.json()["types_merged"] == 1
    (entry,) = export(client)["types"]
    assert entry["name"] == "Ёжики"
    assert entry["counts"]["IN_BOX"] == 3


def test_same_file_twice_doubles_counts_and_history(client: TestClient) -> None:
    assert post_import(client, document(MARINES)).status_code == 200
    second = post_import(client, document(MARINES))
    assert second.json()["types_merged"] == 1
    (entry,) = export(client)["types"]
    assert entry["counts"] == full_counts(IN_BOX=6, PAINTING=2, DONE=12)
    assert len(entry["history"]) == 6
    # Events keep their original times, so each appears twice, side by side.
    assert entry["history"][0]["at"] == entry["history"][1]["at"] == "2026-11-01T09:00:00Z"


def test_replace_empties_the_database_first(client: TestClient) -> None:
    create_type(client, "Orks", IN_BOX=5)
    create_type(client, "Space Marines", DONE=50)
    response = post_import(client, document(MARINES), mode="replace")
    assert response.status_code == 200
    assert response.json()["types_created"] == 1
    assert response.json()["types_merged"] == 0
    (entry,) = export(client)["types"]
    assert entry["counts"] == full_counts(IN_BOX=3, PAINTING=1, DONE=6)
    assert len(entry["history"]) == 3


def test_dry_run_changes_nothing_and_answers_the_same_summary(client: TestClient) -> None:
    create_type(client, "Space Marines", IN_BOX=1)
    before = state(client)
    orks = {"name": "Orks", "history": [event(None, "DONE", 1, "2026-01-01T00:00:00Z")]}
    file = document(MARINES, orks)
    for mode in ("merge", "replace"):
        dry = post_import(client, file, mode=mode, dry_run="true")
        assert dry.status_code == 200
        assert state(client) == before
        expected = {"merge": (1, 1), "replace": (2, 0)}[mode]
        assert (dry.json()["types_created"], dry.json()["types_merged"]) == expected
        assert dry.json()["events_added"] == 4
        assert dry.json()["safety_copy"] is None
    real = post_import(client, file)
    assert {k: v for k, v in real.json().items() if k != "safety_copy"} == {
        "types_created": 1,
        "types_merged": 1,
        "events_added": 4,
        "groups_created": 0,
    }
    assert state(client) != before


def test_a_replace_dry_run_counts_what_the_replace_would_delete(client: TestClient) -> None:
    create_type(client, "Orks", IN_BOX=5, DONE=2)
    create_type(client, "Necrons")
    create_type(client, "Tau", PAINTING=3)
    dry = post_import(client, document(MARINES), mode="replace", dry_run="true").json()
    assert (dry["types_deleted"], dry["miniatures_deleted"]) == (3, 10)
    # Only a replace dry run counts them: a merge deletes nothing, a replace has deleted them.
    merge = post_import(client, document(MARINES), dry_run="true").json()
    assert "types_deleted" not in merge and "miniatures_deleted" not in merge
    real = post_import(client, document(MARINES), mode="replace").json()
    assert "types_deleted" not in real and "miniatures_deleted" not in real
    empty = post_import(client, document(), mode="replace", dry_run="true").json()
    assert (empty["types_deleted"], empty["miniatures_deleted"]) == (1, 10)


def test_unknown_keys_are_ignored(client: TestClient) -> None:
    file = document(dict(MARINES, colour="red", history=[dict(MARINES["history"][0], note="x")]))
    file["app_version"] = "9.0"
    assert post_import(client, file).status_code == 200
    assert export(client)["types"][0]["name"] == "Space Marines"


def test_wrong_mode_is_a_validation_error(client: TestClient) -> None:
    response = post_import(client, document(), mode="overwrite")
    assert response.status_code == 400
    assert response.json() == {"code": "ERR_VALIDATION", "params": {"fields": ["mode"]}}


def test_openapi_describes_export_and_import(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    export_op = schema["paths"]["/api/v1/export"]["get"]
    assert "Content-Disposition" in export_op["responses"]["200"]["headers"]
    ok_schema = export_op["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok_schema == {"$ref": "#/components/schemas/BackupFile"}
    import_op = schema["paths"]["/api/v1/import"]["post"]
    body = import_op["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/BackupFile"}
    assert {"200", "400", "413", "415"} <= set(import_op["responses"])
    summary = import_op["responses"]["200"]["content"]["application/json"]["schema"]
    summary_schema = schema["components"]["schemas"][summary["$ref"].rsplit("/", 1)[1]]
    assert {"types_created", "types_merged", "events_added"} <= set(summary_schema["required"])
    assert "groups_created" in summary_schema["properties"]
    params = {p["name"] for p in import_op["parameters"]}
    assert params == {"mode", "dry_run"}
    backup_schema = schema["components"]["schemas"]["BackupFile"]
    assert set(backup_schema["required"]) == {"format", "version", "types"}
