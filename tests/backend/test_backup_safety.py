"""What protects the user around an import: the safety copy, the size limit, quiet logs, and
consistency while other requests change the database."""

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.backend.backup_helpers import (
    create_type,
    document,
    event,
    export,
    move,
    positional,
    post_import,
    state,
)

MAX_BYTES = 20 * 1024 * 1024
SMALL_FILE = document({"name": "Tau", "counts": {"IN_BOX": 1}})


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_no_safety_copy_of_an_empty_database(client: TestClient, backups_dir: Path) -> None:
    response = post_import(client, SMALL_FILE)
    assert response.json()["safety_copy"] is None
    assert files_in(backups_dir) == []


def test_safety_copy_holds_the_state_before_and_restores_it(
    client: TestClient, backups_dir: Path
) -> None:
    orks = create_type(client, "Orks", IN_BOX=4)
    assert move(client, orks, "IN_BOX", "PAINTING", 3) == 200
    before = state(client)

    response = post_import(
        client, document({"name": "orks", "counts": {"DONE": 5}}, {"name": "Tau"})
    )
    name = response.json()["safety_copy"]
    assert name.startswith("before-import-") and name.endswith("Z.json")
    assert files_in(backups_dir) == [name]
    assert state(client) != before

    copy = (backups_dir / name).read_bytes()
    written = positional(json.loads(copy))
    assert written.pop("copy")["kind"] == "before-import"
    assert {**written, "exported_at": None} == {**before, "exported_at": None}
    restored = post_import(client, copy, mode="replace")
    assert restored.status_code == 200
    assert state(client) == before
    # Restoring wrote a copy of the unwanted state too, so it can be undone in turn.
    assert len(files_in(backups_dir)) == 2


def test_safety_copies_are_pruned_to_the_newest_ten(client: TestClient, backups_dir: Path) -> None:
    create_type(client, "Orks")
    names = [post_import(client, SMALL_FILE).json()["safety_copy"] for _ in range(12)]
    assert len(set(names)) == 12  # several in one second get -2, -3, … after the time
    assert files_in(backups_dir) == sorted(names[-10:])
    listed = client.get("/api/v1/backups").json()["backups"]
    assert [entry["name"] for entry in listed] == names[::-1][:10]


def test_no_safety_copy_when_nothing_changes_or_the_import_fails(
    client: TestClient, backups_dir: Path
) -> None:
    create_type(client, "Orks", DONE=1)
    assert post_import(client, SMALL_FILE, dry_run="true").json()["safety_copy"] is None
    assert post_import(client, document()).json()["safety_copy"] is None
    over = document({"name": "Orks", "counts": {"DONE": 1_000_000}})
    assert post_import(client, over).json()["code"] == "ERR_IMPORT_LIMIT"
    assert post_import(client, b"{").json()["params"]["rule"] == "NOT_JSON"
    assert files_in(backups_dir) == []


def test_body_over_20_mib_by_content_length(client: TestClient) -> None:
    create_type(client, "Orks")
    before = state(client)
    response = post_import(client, b" " * (MAX_BYTES + 1))
    assert response.status_code == 413
    assert response.json() == {"code": "ERR_IMPORT_TOO_LARGE", "params": {"max_bytes": MAX_BYTES}}
    assert state(client) == before


def test_body_of_exactly_20_mib_is_read(client: TestClient) -> None:
    padding = MAX_BYTES - len(json.dumps(SMALL_FILE)) - 20
    body = json.dumps({**SMALL_FILE, "padding": "x" * padding}).encode()
    assert len(body) <= MAX_BYTES
    assert post_import(client, body).status_code == 200


def chunks(total: int, size: int = 1024 * 1024) -> Iterator[bytes]:
    yield b'{"types": [], "padding": "'
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


def test_streamed_body_over_20_mib_without_content_length(client: TestClient) -> None:
    response = client.post(
        "/api/v1/import",
        content=chunks(MAX_BYTES + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "ERR_IMPORT_TOO_LARGE"


def test_streamed_body_over_20_mib_to_a_real_server(live_server: str, reset_db: None) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as http:
        request = http.build_request(
            "POST",
            "/api/v1/import",
            content=chunks(MAX_BYTES * 2),
            headers={"Content-Type": "application/json"},
        )
        assert "content-length" not in request.headers
        response = http.send(request)
        assert response.status_code == 413
        assert response.json()["code"] == "ERR_IMPORT_TOO_LARGE"
        assert export(http)["types"] == []


def test_logs_say_an_import_happened_but_never_what_it_held(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    marker = "Marker-Type-7f3a9"
    caplog.set_level(logging.DEBUG)
    good = document(
        {
            "name": marker,
            "group": f"{marker} group",
            "notes": f"{marker} notes",
            "counts": {"DONE": 2},
            "history": [event(None, "DONE", 2, "2026-11-01T09:00:00Z")],
        }
    )
    good.update(version=3, groups=[{"name": f"{marker} group"}])
    assert post_import(client, good).status_code == 200
    assert post_import(client, good, dry_run="true").status_code == 200
    refused = [
        document({"name": marker}, {"name": marker.upper()}),
        document({"name": marker, "counts": {marker: 1}}),
        document({"name": marker, "history": [event(None, "IN_BOX", 1, marker)]}),
        document({"name": marker, "counts": {"DONE": 1_000_000}}),
        json.dumps(document({"name": marker})).encode()[:-3],
    ]
    for body in refused:
        assert post_import(client, body).status_code == 400
    assert marker not in caplog.text
    assert marker.lower() not in caplog.text.lower()
    import_lines = [r.getMessage() for r in caplog.records if "import:" in r.getMessage()]
    assert import_lines == [
        "import: mode=merge dry_run=False types_created=1 types_merged=0 events_added=1 "
        "groups_created=1",
        "import: mode=merge dry_run=True types_created=0 types_merged=1 events_added=1 "
        "groups_created=0",
    ]


def test_import_while_moves_are_made_keeps_every_count_consistent(
    live_server: str, reset_db: None
) -> None:
    start = 400
    with httpx.Client(base_url=live_server, timeout=30) as http:
        orks = create_type(http, "Orks", IN_BOX=start)
    history = [event(None, "IN_BOX", 1, f"2026-01-01T00:00:{second:02d}Z") for second in range(10)]
    extra = [{"name": f"Extra {number}", "counts": {"DONE": 1}} for number in range(50)]
    file = document({"name": "ORKS", "counts": {"IN_BOX": 10}, "history": history}, *extra)
    moves: list[int] = []
    imports: list[int] = []

    def make_moves() -> None:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            moves.extend(move(http, orks, "IN_BOX", "BUILDING", 1) for _ in range(120))

    def make_imports() -> None:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            imports.extend(post_import(http, file).status_code for _ in range(6))

    threads = [threading.Thread(target=work) for work in (make_moves, make_moves, make_imports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert imports == [200] * 6
    assert set(moves) == {200}
    with httpx.Client(base_url=live_server, timeout=30) as http:
        listed = http.get("/api/v1/types").json()
        final = export(http)
    assert all(count >= 0 for entry in listed for count in entry["counts"].values())
    orks_now = next(entry for entry in final["types"] if entry["name"] == "Orks")
    assert orks_now["counts"]["BUILDING"] == len(moves)
    assert orks_now["counts"]["IN_BOX"] == start + 10 * len(imports) - len(moves)
    assert len(orks_now["history"]) == 1 + len(moves) + 10 * len(imports)
    extras = [entry for entry in final["types"] if entry["name"].startswith("Extra")]
    assert [entry["counts"]["DONE"] for entry in extras] == [6] * 50
