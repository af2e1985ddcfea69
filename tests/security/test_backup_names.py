"""Only a copy the listing shows can be restored: every other name, however it is spelled on
the wire, is 404 ERR_BACKUP_NOT_FOUND and changes nothing.

The requests go to a real server through a raw HTTP connection, so the path arrives exactly
as written: no client tidies `..` or decodes `%2F` first.
"""

import http.client
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from backend.settings import Settings
from tests.backend.backup_helpers import create_type, document, export

NOT_FOUND = {"code": "ERR_BACKUP_NOT_FOUND", "params": {}}


@pytest.fixture
def api(live_server: str, reset_db: None, backups_dir: Path) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=30) as client:
        yield client


def raw_post(live_server: str, path: str) -> tuple[int, Any]:
    address = urlsplit(live_server)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.putrequest("POST", path, skip_accept_encoding=True)
        connection.putheader("Content-Length", "0")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


@pytest.fixture
def copies(api: httpx.Client, settings: Settings) -> dict[str, str]:
    """A listed copy, and files beside it that look like copies but are not listed ones."""
    create_type(api, "Orks", IN_BOX=3)
    real = api.post("/api/v1/backups").json()["name"]
    folder = settings.backups_dir
    plain_export = json.dumps(export(api)).encode()
    made_by_hand = "daily-2026-11-30T020000Z.json"
    (folder / made_by_hand).write_bytes(plain_export)  # the right name, but no copy's trailer
    (folder / "notes.json").write_bytes(plain_export)
    partial = f".{real}.partial"
    (folder / partial).write_bytes((folder / real).read_bytes())
    outside = folder.parent / "manual-2026-11-30T020000Z.json"
    outside.write_bytes((folder / real).read_bytes())
    linked = "manual-2026-11-30T030000Z.json"
    os.symlink(outside, folder / linked)
    return {
        "real": real,
        "made_by_hand": made_by_hand,
        "partial": partial,
        "linked": linked,
        "outside": str(outside),
    }


def attack_paths(names: dict[str, str]) -> list[str]:
    real, outside = names["real"], names["outside"]
    return [
        names["made_by_hand"],
        "notes.json",
        names["partial"],
        names["linked"],
        f"{real}.partial",
        f".{real}",
        real.upper(),
        f"{real}%20",
        f"{real}%00",
        f"{real}%00.json",
        f"../backups/{real}",
        f"..%2Fbackups%2F{real}",
        f"..%2fbackups%2f{real}",
        f"%2e%2e%2Fbackups%2F{real}",
        f"%2E%2E/backups/{real}",
        f"./{real}",
        f".%2F{real}",
        f"..%5Cbackups%5C{real}",
        f"backups/{real}",
        f"%2F{outside.lstrip('/')}",
        f"/{outside.lstrip('/')}",
        outside.replace("/", "%2F"),
        "..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "../../../../etc/passwd",
        "%2Fetc%2Fpasswd",
        "C:%5CWindows%5Cwin.ini",
        "",
        ".",
        "..",
        "%2e%2e",
        "x" * 4000,
        f"{'a/' * 500}{real}",
    ]


def test_names_the_listing_does_not_show_are_not_found(
    api: httpx.Client, live_server: str, copies: dict[str, str], settings: Settings
) -> None:
    listed = [entry["name"] for entry in api.get("/api/v1/backups").json()["backups"]]
    assert listed == [copies["real"]]
    api.post("/api/v1/types", json={"name": "Tau"})
    before = export(api)
    files = sorted(path.name for path in settings.backups_dir.iterdir())

    for name in attack_paths(copies):
        for query in ("", "?dry_run=true"):
            status, body = raw_post(live_server, f"/api/v1/backups/{name}/restore{query}")
            assert (status, body) == (404, NOT_FOUND), name

    assert {**export(api), "exported_at": None} == {**before, "exported_at": None}
    assert sorted(path.name for path in settings.backups_dir.iterdir()) == files
    # The listed copy itself is restored, which shows the requests above were well formed.
    status, body = raw_post(live_server, f"/api/v1/backups/{copies['real']}/restore")
    assert status == 200 and body["types_created"] == 1


def test_a_pruned_copy_is_no_longer_found(api: httpx.Client, live_server: str) -> None:
    create_type(api, "Orks", IN_BOX=1)
    first = api.post("/api/v1/backups").json()["name"]
    for _ in range(10):
        api.post("/api/v1/backups")
    status, body = raw_post(live_server, f"/api/v1/backups/{first}/restore")
    assert (status, body) == (404, NOT_FOUND)


def test_an_import_cannot_name_a_file_to_write(api: httpx.Client) -> None:
    """The before-import copy's name is the app's own, whatever the file imported says."""
    create_type(api, "Orks", IN_BOX=1)
    body = document({"name": "../../evil", "counts": {"DONE": 1}})
    body["copy"] = {"kind": "../../evil", "at": "2026-11-30T02:00:00Z"}
    answer = api.post("/api/v1/import", json=body).json()
    assert answer["safety_copy"].startswith("before-import-")
    assert "/" not in answer["safety_copy"]
