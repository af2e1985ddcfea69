"""Small helpers for the core API tests: calls by name, and direct inserts with chosen times."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, insert, text

from backend.models import HistoryEvent

API = "/api/v1"
STAGE_NAMES = ("IN_BOX", "BUILDING", "PRIMING", "PAINTING", "DONE")


def create_type(client: TestClient, name: str, **counts: int) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if counts:
        body["counts"] = counts
    response = client.post(f"{API}/types", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def move(client: TestClient, type_id: int, from_stage: str, to_stage: str, qty: Any) -> Any:
    body = {"from_stage": from_stage, "to_stage": to_stage, "qty": qty}
    return client.post(f"{API}/types/{type_id}/move", json=body)


def groups(client: TestClient, type_id: int) -> list[dict[str, Any]]:
    response = client.get(f"{API}/types/{type_id}/history")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["groups"]
    return found


def net_flow(history_groups: Iterable[dict[str, Any]]) -> dict[str, int]:
    """What the counts must be if every change was logged: into a stage minus out of it."""
    flow = dict.fromkeys(STAGE_NAMES, 0)
    for group in history_groups:
        flow[group["to_stage"]] += group["qty"]
        if group["from_stage"] is not None:
            flow[group["from_stage"]] -= group["qty"]
    return flow


def snapshot(client: TestClient) -> Any:
    """Everything a user can see: the types, each one's history, the stats."""
    types = client.get(f"{API}/types").json()
    return {
        "types": types,
        "history": {t["id"]: groups(client, t["id"]) for t in types},
        "stats": client.get(f"{API}/stats").json(),
    }


def insert_events(
    client: TestClient, type_id: int, events: Iterable[tuple[str | None, str, int, datetime]]
) -> None:
    """Appends events at chosen times, on the test's own (rolled-back) connection."""
    rows = [
        {"type_id": type_id, "from_stage": f, "to_stage": t, "qty": q, "created_at": at}
        for f, t, q, at in events
    ]
    with client.app.state.session_factory() as session, session.begin():  # type: ignore[attr-defined]
        session.execute(insert(HistoryEvent), rows)


def run_sql(client: TestClient, sql: str, **params: Any) -> list[Any]:
    with client.app.state.session_factory() as session, session.begin():  # type: ignore[attr-defined]
        result = session.execute(text(sql), params)
        return list(result.all()) if result.returns_rows else []


@contextmanager
def recorded_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent while inside, savepoint bookkeeping aside."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
