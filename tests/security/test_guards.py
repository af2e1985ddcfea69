"""A web page on another site must not be able to read or change the collection: the Host
allow-list stops DNS rebinding, the Origin check stops cross-site requests, and only JSON
bodies are accepted, so a plain HTML form cannot post. Every refusal leaves the data as it was.
"""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

API = "/api/v1"
EVIL_ORIGIN = "http://evil.example"


@pytest.fixture
def api(live_server: str, reset_db: None) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10.0) as client:
        created = client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 10}})
        assert created.status_code == 201
        yield client


def state(client: httpx.Client) -> Any:
    """Everything a user could see: the types with their counts, and each history."""
    types = client.get(f"{API}/types").json()
    histories = [client.get(f"{API}/types/{kind['id']}/history").json() for kind in types]
    return types, histories


def type_id(client: httpx.Client) -> int:
    found: int = client.get(f"{API}/types").json()[0]["id"]
    return found


def changes(client: httpx.Client) -> list[tuple[str, str, dict[str, Any] | None]]:
    """One request of every kind that changes data."""
    kind = type_id(client)
    move = {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 3}
    backup = {"format": "miniatures-tracker", "version": 1, "types": []}
    return [
        ("POST", f"{API}/types", {"name": "Planted by another site"}),
        ("PATCH", f"{API}/types/{kind}", {"name": "Renamed by another site"}),
        ("POST", f"{API}/types/{kind}/add", {"stage": "IN_BOX", "qty": 5}),
        ("POST", f"{API}/types/{kind}/move", move),
        ("DELETE", f"{API}/types/{kind}", None),
        ("POST", f"{API}/import?mode=replace", backup),
    ]


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil"]
)
def test_foreign_host_can_neither_read_nor_change(api: httpx.Client, host: str) -> None:
    before = state(api)
    for path in (f"{API}/types", f"{API}/export", f"{API}/types/{type_id(api)}/history", "/"):
        response = api.get(path, headers={"Host": host})
        assert response.status_code == 400, path
        assert response.json() == {"code": "ERR_BAD_HOST", "params": {}}
    for method, path, body in changes(api):
        response = api.request(method, path, json=body, headers={"Host": host})
        assert response.json() == {"code": "ERR_BAD_HOST", "params": {}}, (method, path)
    assert state(api) == before


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:evil",
        "[::1]evil.com",
        "localhost:99999",
        "localhost:",
        "localhost:80:80",
        "localhost evil.example",
        "127.0.0.1@evil.example",
        "::1",
        "[::1",
        "[::1]:",
        "[localhost]",
        "",
    ],
)
def test_malformed_host_is_refused(api: httpx.Client, host: str) -> None:
    """The Host header is parsed strictly: a name and a port, nothing more."""
    response = api.get(f"{API}/types", headers={"Host": host})
    assert response.json() == {"code": "ERR_BAD_HOST", "params": {}}, host


@pytest.mark.parametrize(
    "host", ["localhost", "LocalHost:8000", "127.0.0.1:65535", "[::1]", "[::1]:8765", "[::1]:1"]
)
def test_well_formed_local_host_is_accepted(api: httpx.Client, host: str) -> None:
    assert api.get(f"{API}/types", headers={"Host": host}).status_code == 200, host


@pytest.mark.parametrize(
    "origin", [EVIL_ORIGIN, "null", "http://127.0.0.1:1", "https://127.0.0.1", "http://localhost"]
)
def test_foreign_origin_cannot_change(api: httpx.Client, origin: str) -> None:
    before = state(api)
    for method, path, body in changes(api):
        response = api.request(method, path, json=body, headers={"Origin": origin})
        assert response.status_code == 403, (method, path)
        assert response.json() == {"code": "ERR_FORBIDDEN_ORIGIN", "params": {}}
    assert state(api) == before


def test_own_origin_and_no_origin_may_change(api: httpx.Client, live_server: str) -> None:
    """The positive control: the app's own page and scripts without Origin do get through."""
    own = api.post(f"{API}/types", json={"name": "Necrons"}, headers={"Origin": live_server})
    assert own.status_code == 201
    assert api.post(f"{API}/types", json={"name": "Aeldari"}).status_code == 201


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "",
    ],
)
def test_bodies_other_than_json_are_refused(api: httpx.Client, content_type: str) -> None:
    """What an HTML form or a `no-cors` fetch can send without a preflight."""
    before = state(api)
    kind = type_id(api)
    bodies = [
        (f"{API}/types", b'{"name": "Planted by a form"}'),
        (f"{API}/types/{kind}/move", b'{"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 3}'),
        (f"{API}/import?mode=replace", b'{"format": "miniatures-tracker", "version": 1}'),
        (f"{API}/types", b"name=Planted+by+a+form"),
    ]
    for path, body in bodies:
        headers = {"Content-Type": content_type} if content_type else {}
        response = api.post(path, content=body, headers=headers)
        assert response.status_code == 415, (path, response.text)
        assert response.json() == {"code": "ERR_UNSUPPORTED_MEDIA_TYPE", "params": {}}
    assert state(api) == before


def test_no_cors_headers_are_ever_sent(api: httpx.Client) -> None:
    kind = type_id(api)
    preflight = {
        "Origin": EVIL_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    responses = [
        api.options(f"{API}/types", headers=preflight),
        api.options(f"{API}/types/{kind}/move", headers=preflight),
        api.get(f"{API}/types", headers={"Origin": EVIL_ORIGIN}),
        api.get(f"{API}/export", headers={"Origin": EVIL_ORIGIN}),
        api.post(f"{API}/types", json={"name": "x"}, headers={"Origin": EVIL_ORIGIN}),
    ]
    for response in responses:
        cors = [name for name in response.headers if name.lower().startswith("access-control-")]
        assert cors == [], (response.request.method, response.request.url, cors)
    # A preflight is not allowed either: the browser then refuses the real request.
    assert responses[0].status_code >= 400
