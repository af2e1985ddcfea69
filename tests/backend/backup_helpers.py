"""Helpers for the backup tests: documents, imports, exports through the real API."""

import json
from typing import Any

import httpx
from fastapi.testclient import TestClient

Client = TestClient | httpx.Client

STAGES = ("IN_BOX", "BUILDING", "PRIMING", "PAINTING", "DONE")


def document(*types: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "miniatures-tracker",
        "version": 1,
        "exported_at": "2026-11-26T10:00:00Z",
        "types": list(types),
    }


def event(from_stage: str | None, to_stage: str | None, qty: int, at: str) -> dict[str, Any]:
    return {"from_stage": from_stage, "to_stage": to_stage, "qty": qty, "at": at}


def full_counts(**counts: int) -> dict[str, int]:
    return {stage: counts.get(stage, 0) for stage in STAGES}


def post_import(client: Client, body: Any, **params: str) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        "/api/v1/import",
        params=params,
        content=content,
        headers={"Content-Type": "application/json"},
    )


def export(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/export")
    assert response.status_code == 200, response.text
    exported: dict[str, Any] = response.json()
    return exported


def positional(exported: dict[str, Any]) -> dict[str, Any]:
    """An export with each event's id replaced by its place in its type's history (and each
    `undoes` by the place of the event it undoes): what a round trip must keep."""
    types = []
    for entry in exported["types"]:
        place = {e["id"]: index for index, e in enumerate(entry["history"])}
        history = [
            {
                **e,
                "id": place[e["id"]],
                **({"undoes": place[e["undoes"]]} if "undoes" in e else {}),
            }
            for e in entry["history"]
        ]
        types.append({**entry, "history": history})
    return {**exported, "types": types}


def state(client: Client) -> dict[str, Any]:
    """The whole database as the export shows it, without the time of the export and with
    event ids as places in the history."""
    exported = positional(export(client))
    del exported["exported_at"]
    return exported


def create_type(client: Client, name: str, **counts: int) -> int:
    response = client.post("/api/v1/types", json={"name": name, "counts": counts})
    assert response.status_code == 201, response.text
    type_id: int = response.json()["id"]
    return type_id


def move(client: Client, type_id: int, from_stage: str, to_stage: str, qty: int) -> int:
    body = {"from_stage": from_stage, "to_stage": to_stage, "qty": qty}
    return client.post(f"/api/v1/types/{type_id}/move", json=body).status_code
