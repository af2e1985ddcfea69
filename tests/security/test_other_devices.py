"""Other devices, through the real listeners: the app on a loopback port and its network
listener (bound to every address, reached here only through 127.0.0.1 on its port).

The network listener reports a documentation address (192.0.2.10, never contacted) as its URL,
so the Host guard's rule for the names it reports can be tested without leaving the machine.
"""

import hashlib
import http.client
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text

from backend.settings import Settings
from desktop.network import SETTINGS_FILE, NetworkListener
from tests.network_servers import REPORTED, Servers, run_servers

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
KEY = "correct-horse-battery-staple-42"


@pytest.fixture
def servers(
    settings: Settings, engine: Engine, tmp_path: Path, reset_db: None
) -> Iterator[Servers]:
    yield from run_servers(settings, engine, tmp_path)


@pytest.fixture
def keyed(settings: Settings, engine: Engine, tmp_path: Path, reset_db: None) -> Iterator[Servers]:
    """Server mode: an access key is set."""
    with_key = settings.model_copy(update={"access_key": Settings(access_key=KEY).access_key})
    yield from run_servers(with_key, engine, tmp_path)


def problem(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


# --- the network listener: a session for everything but the door, whatever Host says --------


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost", f"{REPORTED}:{{port}}", "evil.example"]
)
def test_no_session_is_refused_on_the_network_whatever_host_says(
    servers: Servers, host: str
) -> None:
    headers = {"Host": host.format(port=servers.network_port)}
    for method, path in [
        ("GET", "/api/v1/types"),
        ("GET", "/api/v1/export"),
        ("POST", "/api/v1/types"),
        ("GET", "/api/v1/stats"),
        ("GET", "/api/openapi.json"),
        ("GET", "/api/v1/nothing-here"),
    ]:
        answer = servers.network.request(method, path, headers=headers, json={"name": "Orks"})
        assert problem(answer) == (401, "ERR_AUTH_REQUIRED"), (method, path, host)
    assert servers.loopback.get("/api/v1/types").json() == []  # nothing was created


def test_the_loopback_listener_asks_for_nothing(servers: Servers) -> None:
    created = servers.loopback.post("/api/v1/types", json={"name": "Orks"})
    assert created.status_code == 201
    assert servers.loopback.get("/api/v1/types").status_code == 200
    assert servers.loopback.get("/api/v1/devices").json() == {"devices": []}
    assert servers.loopback.get("/api/v1/network").json() == {
        "enabled": True,
        "urls": [f"http://{REPORTED}:{servers.network_port}/"],
    }


def test_health_and_the_ui_need_no_session(servers: Servers) -> None:
    assert servers.network.get("/api/v1/health").status_code == 200
    page = servers.network.get("/")
    assert page.status_code == 200
    assert '<div id="app">' in page.text
    assert servers.network.get("/types/7").status_code == 200  # a client route of the page


def test_pairing_opens_a_session_once(servers: Servers) -> None:
    pairing = servers.loopback.post("/api/v1/pairings")
    assert pairing.status_code == 201
    body = pairing.json()
    code = body["code"]
    assert body["url"] == f"http://{REPORTED}:{servers.network_port}/#pair={code}"
    assert body["expires_at"] == "2026-03-14T09:36:53Z"
    with httpx.Client(base_url=str(servers.network.base_url)) as phone:
        assert phone.post("/api/v1/session", json={"pair": code}).status_code == 204
        servers.loopback.post("/api/v1/types", json={"name": "Orks"})
        assert [t["name"] for t in phone.get("/api/v1/types").json()] == ["Orks"]
        assert phone.post("/api/v1/types/1/add", json={"qty": 2}).status_code == 200
    with httpx.Client(base_url=str(servers.network.base_url)) as other:
        assert problem(other.post("/api/v1/session", json={"pair": code})) == (401, "ERR_BAD_KEY")
        assert problem(other.get("/api/v1/types")) == (401, "ERR_AUTH_REQUIRED")


def test_a_code_may_be_typed_and_expires_after_ten_minutes(servers: Servers) -> None:
    code = servers.loopback.post("/api/v1/pairings").json()["code"]
    servers.clock.advance(minutes=9, seconds=59)
    with httpx.Client(base_url=str(servers.network.base_url)) as phone:
        typed = code.lower().replace("-", " ")
        assert phone.post("/api/v1/session", json={"pair": typed}).status_code == 204
    late = servers.loopback.post("/api/v1/pairings").json()["code"]
    servers.clock.advance(minutes=10)
    with httpx.Client(base_url=str(servers.network.base_url)) as phone:
        assert problem(phone.post("/api/v1/session", json={"pair": late})) == (401, "ERR_BAD_KEY")


def test_a_new_code_ends_the_one_before(servers: Servers) -> None:
    first = servers.loopback.post("/api/v1/pairings").json()["code"]
    servers.loopback.post("/api/v1/pairings")
    answer = servers.network.post("/api/v1/session", json={"pair": first})
    assert problem(answer) == (401, "ERR_BAD_KEY")


def test_the_cookie_is_random_http_only_strict_and_kept_400_days(servers: Servers) -> None:
    code = servers.loopback.post("/api/v1/pairings").json()["code"]
    raw = http.client.HTTPConnection("127.0.0.1", servers.network_port, timeout=10)
    try:
        raw.request(
            "POST",
            "/api/v1/session",
            body=f'{{"pair": "{code}"}}',
            headers={"Content-Type": "application/json"},
        )
        answer = raw.getresponse()
        cookies = answer.headers.get_all("Set-Cookie")
        answer.read()
    finally:
        raw.close()
    assert answer.status == 204
    assert cookies is not None and len(cookies) == 1
    value, *attributes = [part.strip() for part in cookies[0].split(";")]
    name, token = value.split("=", 1)
    assert name == "miniatures_session"
    assert len(token) == 43  # 256 bits, base64url without padding
    flags = {attribute.split("=")[0].lower(): attribute for attribute in attributes}
    assert set(flags) == {"httponly", "max-age", "path", "samesite"}  # no Secure over HTTP
    assert flags["max-age"] == f"Max-Age={400 * 24 * 3600}"
    assert flags["path"] == "Path=/"
    assert flags["samesite"].lower() == "samesite=strict"


def test_only_a_hash_of_the_cookie_is_stored_and_it_outlives_the_server(
    settings: Settings, engine: Engine, tmp_path: Path, reset_db: None
) -> None:
    servers = run_servers(settings, engine, tmp_path / "first")
    first = next(servers)
    phone = first.pair()
    token = phone.cookies["miniatures_session"]
    servers.close()  # the app stops
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM device_sessions")).mappings().all()
    assert len(rows) == 1
    assert bytes(rows[0]["token_hash"]) == hashlib.sha256(token.encode()).digest()
    assert token not in repr(dict(rows[0]))

    again = run_servers(settings, engine, tmp_path / "second")
    second = next(again)
    try:
        phone.base_url = second.network.base_url
        assert phone.get("/api/v1/types").status_code == 200
    finally:
        phone.close()
        again.close()


def test_removing_a_device_ends_its_session_at_once(servers: Servers) -> None:
    with closing(servers.pair(**{"User-Agent": PHONE})) as phone:
        assert phone.get("/api/v1/types").status_code == 200
        devices = servers.loopback.get("/api/v1/devices").json()["devices"]
        assert [(d["label"], d["created_at"], d["last_seen_at"]) for d in devices] == [
            ("Android · Chrome", "2026-03-14T09:26:53Z", "2026-03-14T09:26:53Z")
        ]
        servers.clock.advance(minutes=5)
        phone.get("/api/v1/types")
        seen = servers.loopback.get("/api/v1/devices").json()["devices"][0]["last_seen_at"]
        assert seen == "2026-03-14T09:31:53Z"
        removed = servers.loopback.delete(f"/api/v1/devices/{devices[0]['id']}")
        assert removed.status_code == 204
        assert problem(phone.get("/api/v1/types")) == (401, "ERR_AUTH_REQUIRED")
        assert servers.loopback.get("/api/v1/devices").json() == {"devices": []}


def test_a_session_runs_out_after_400_days_and_leaves_the_list(
    servers: Servers, engine: Engine
) -> None:
    with closing(servers.pair(**{"User-Agent": PHONE})) as phone:
        servers.clock.advance(days=399, hours=23, minutes=59)
        assert phone.get("/api/v1/types").status_code == 200
        assert len(servers.loopback.get("/api/v1/devices").json()["devices"]) == 1
        servers.clock.advance(minutes=1)
        assert problem(phone.get("/api/v1/types")) == (401, "ERR_AUTH_REQUIRED")
        assert servers.loopback.get("/api/v1/devices").json() == {"devices": []}
    # The next pairing clears it from the database: only the new session is kept.
    with closing(servers.pair()):
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM device_sessions")).scalar_one() == 1
        assert len(servers.loopback.get("/api/v1/devices").json()["devices"]) == 1


def test_a_device_ends_its_own_session(servers: Servers) -> None:
    with closing(servers.pair()) as phone:
        assert phone.delete("/api/v1/session").status_code == 204
        assert problem(phone.get("/api/v1/types")) == (401, "ERR_AUTH_REQUIRED")


def test_management_is_local_only_without_a_key(servers: Servers) -> None:
    with closing(servers.pair()) as phone:
        for method, path, body in [
            ("GET", "/api/v1/network", None),
            ("PUT", "/api/v1/network", {"enabled": False}),
            ("POST", "/api/v1/pairings", None),
            ("GET", "/api/v1/devices", None),
            ("DELETE", "/api/v1/devices/1", None),
        ]:
            answer = phone.request(method, path, json=body)
            assert problem(answer) == (403, "ERR_LOCAL_ONLY"), path
    assert servers.loopback.get("/api/v1/network").json()["enabled"] is True


def test_origin_and_host_still_hold_with_a_session(servers: Servers) -> None:
    with closing(servers.pair()) as phone:
        foreign = phone.post(
            "/api/v1/types", json={"name": "Orks"}, headers={"Origin": "http://evil.example"}
        )
        assert problem(foreign) == (403, "ERR_FORBIDDEN_ORIGIN")
        rebound = phone.get("/api/v1/types", headers={"Host": "evil.example"})
        assert problem(rebound) == (400, "ERR_BAD_HOST")
        own = f"{REPORTED}:{servers.network_port}"
        same_site = phone.post(
            "/api/v1/types",
            json={"name": "Orks"},
            headers={"Host": own, "Origin": f"http://{own}"},
        )
        assert same_site.status_code == 201
        assert problem(phone.post("/api/v1/types", content=b"x")) == (
            415,
            "ERR_UNSUPPORTED_MEDIA_TYPE",
        )
    # The reported name is the network listener's; the loopback one does not take it.
    assert problem(servers.loopback.get("/api/v1/health", headers={"Host": own})) == (
        400,
        "ERR_BAD_HOST",
    )


def test_the_eleventh_failure_in_a_minute_is_refused_right_code_or_wrong(
    servers: Servers,
) -> None:
    code = servers.loopback.post("/api/v1/pairings").json()["code"]
    for _ in range(10):
        wrong = servers.network.post("/api/v1/session", json={"pair": "AAAA-BBBB-CCCC"})
        assert problem(wrong) == (401, "ERR_BAD_KEY")
        servers.clock.advance(seconds=1)
    refused = servers.network.post("/api/v1/session", json={"pair": code})
    assert refused.status_code == 429
    assert refused.json() == {"code": "ERR_TOO_MANY_ATTEMPTS", "params": {"retry_after": 50}}
    servers.clock.advance(seconds=49)
    assert servers.network.post("/api/v1/session", json={"pair": code}).status_code == 429
    servers.clock.advance(seconds=1)
    assert servers.network.post("/api/v1/session", json={"pair": code}).status_code == 204


def test_switching_the_listener_off_closes_it_and_is_remembered(
    servers: Servers, tmp_path: Path
) -> None:
    port = servers.network_port
    answer = servers.loopback.put("/api/v1/network", json={"enabled": False})
    assert answer.json() == {"enabled": False, "urls": []}
    servers.listener.close()  # waits until it has stopped
    with pytest.raises(httpx.ConnectError):
        servers.network.get("/api/v1/health")
    again = NetworkListener(tmp_path)
    assert again.port == port
    assert (tmp_path / SETTINGS_FILE).read_text() == f'{{"enabled": false, "port": {port}}}'
    wrong = servers.loopback.put("/api/v1/network", json={"enabled": "yes"})
    assert problem(wrong) == (400, "ERR_VALIDATION")


# --- server mode: an access key, and a session on every listener ------------------------------


def test_with_a_key_every_listener_needs_a_session(keyed: Servers) -> None:
    for client in (keyed.loopback, keyed.network):
        assert problem(client.get("/api/v1/types")) == (401, "ERR_AUTH_REQUIRED")
        assert problem(client.get("/api/v1/devices")) == (401, "ERR_AUTH_REQUIRED")
        assert client.get("/api/v1/health").status_code == 200
        wrong = client.post("/api/v1/session", json={"key": KEY + "x"})
        assert problem(wrong) == (401, "ERR_BAD_KEY")
        assert KEY not in wrong.text
        assert client.post("/api/v1/session", json={"key": KEY}).status_code == 204
        assert client.get("/api/v1/types").status_code == 200
    # With a session, management answers on the network too.
    assert keyed.network.get("/api/v1/devices").status_code == 200
    assert keyed.network.post("/api/v1/pairings").status_code == 201


def test_a_changed_key_ends_the_sessions_opened_with_the_old_one(
    settings: Settings, engine: Engine, tmp_path: Path, reset_db: None
) -> None:
    old = settings.model_copy(update={"access_key": Settings(access_key=KEY).access_key})
    servers = run_servers(old, engine, tmp_path)
    first = next(servers)
    assert first.loopback.post("/api/v1/session", json={"key": KEY}).status_code == 204
    cookie = first.loopback.cookies["miniatures_session"]
    assert first.loopback.get("/api/v1/types").status_code == 200
    servers.close()

    new = settings.model_copy(update={"access_key": Settings(access_key=KEY[::-1]).access_key})
    again = run_servers(new, engine, tmp_path)
    second = next(again)
    try:
        second.loopback.cookies.set("miniatures_session", cookie)
        assert problem(second.loopback.get("/api/v1/types")) == (401, "ERR_AUTH_REQUIRED")
    finally:
        again.close()


def test_no_key_or_code_ever_opens_a_session_without_a_key_set(servers: Servers) -> None:
    answer = servers.network.post("/api/v1/session", json={"key": KEY})
    assert problem(answer) == (401, "ERR_BAD_KEY")
    for body in ({}, {"pair": "x", "key": "y"}, {"pair": 5}):
        assert problem(servers.network.post("/api/v1/session", json=body)) == (
            400,
            "ERR_VALIDATION",
        )


def test_over_https_the_cookie_is_also_secure(
    settings: Settings, engine: Engine, reset_db: None
) -> None:
    """Behind an HTTPS proxy the request's scheme is https: the cookie then never travels in
    the clear."""
    from fastapi.testclient import TestClient

    from backend.main import create_app

    keyed = settings.model_copy(update={"access_key": Settings(access_key=KEY).access_key})
    app = create_app(keyed, engine=engine, daily_copies=False)
    with TestClient(app, base_url="https://localhost") as browser:
        answer = browser.post("/api/v1/session", json={"key": KEY})
        assert answer.status_code == 204
        attributes = [part.strip().lower() for part in answer.headers["set-cookie"].split(";")]
        assert "secure" in attributes and "httponly" in attributes
        browser.delete("/api/v1/session")  # leaves no session behind
