"""What a user runs (`launcher.py --headless`, its own embedded PostgreSQL): it listens on the
loopback only by default, and the contents of an imported file never reach any log."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from tests.resilience.processes import Launcher, free_port

pytestmark = pytest.mark.slow

LOOPBACK = {"127.0.0.1", "::1"}


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    app = Launcher(tmp_path / "data")
    app.start(timeout=60)
    try:
        yield app
    finally:
        app.stop()


def test_headless_listens_on_loopback_only_by_default(launcher: Launcher) -> None:
    process = psutil.Process(launcher.pid)
    listening = [
        conn.laddr
        for proc in (process, *process.children(recursive=True))
        for conn in proc.net_connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN
    ]
    assert any(address.port == launcher.port for address in listening), listening
    assert {address.ip for address in listening} <= LOOPBACK, listening


def backup(marker: str, **extra: object) -> dict[str, Any]:
    return {
        "format": "miniatures-tracker",
        "version": 1,
        "exported_at": "2026-11-26T10:00:00Z",
        "note": marker,  # an unknown key: ignored, and must not be logged either
        "types": [
            {
                "name": f"Kind {marker}",
                "counts": {"IN_BOX": 3},
                "history": [
                    {
                        "from_stage": None,
                        "to_stage": "IN_BOX",
                        "qty": 3,
                        "at": "2026-11-01T09:00:00Z",
                    }
                ],
                **extra,
            }
        ],
    }


def log_texts(launcher: Launcher) -> dict[str, str]:
    """The console output, the app's log files and PostgreSQL's own log."""
    texts = {"console": launcher.output()}
    for folder in (launcher.data_dir / "logs", launcher.data_dir / "pgdata" / "log"):
        paths = (
            [folder] if folder.is_file() else sorted(folder.rglob("*")) if folder.exists() else []
        )
        for path in paths:
            if path.is_file():
                texts[str(path)] = path.read_text(errors="replace")
    return texts


def test_imported_contents_never_reach_the_logs(launcher: Launcher) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    good = json.dumps(backup(marker)).encode()
    too_long = json.dumps(backup(marker, name=marker * 5)).encode()
    duplicate = backup(marker)
    duplicate["types"] = duplicate["types"] * 2
    bad_time = json.dumps(backup(marker, created_at=f"noon {marker}")).encode()
    attempts = [
        ("merge", "true", good, 200),
        ("merge", "false", good, 200),
        ("replace", "false", good, 200),  # its safety copy goes to backups/, not to a log
        ("merge", "false", too_long, 400),
        ("merge", "false", json.dumps(duplicate).encode(), 400),
        ("merge", "false", bad_time, 400),
        ("merge", "false", b'{"format": "' + marker.encode() + b'", "version"', 400),
        ("merge", "false", b"[" * 50_000 + marker.encode(), 400),
    ]
    with httpx.Client(base_url=launcher.url, timeout=30.0) as client:
        for mode, dry_run, body, status in attempts:
            response = client.post(
                "/api/v1/import",
                params={"mode": mode, "dry_run": dry_run},
                content=body,
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == status, (mode, response.text)
        # The data did arrive: the search below looks for something that exists.
        assert marker in client.get("/api/v1/export").text
    launcher.stop()  # flushes and closes the log files

    texts = log_texts(launcher)
    assert any(name.endswith(".log") and text for name, text in texts.items()), texts.keys()
    leaked = [name for name, text in texts.items() if marker in text]
    assert leaked == []


def test_keys_codes_and_cookies_never_reach_the_logs(tmp_path: Path) -> None:
    """Server mode with the network listener open: the key, a pairing code (used, wrong and
    typed) and the session cookies appear in no log, no console line and no error answer."""
    key = f"key-{uuid.uuid4().hex}"
    network_port = free_port()
    data = tmp_path / "data"
    data.mkdir()
    (data / "network.json").write_text(json.dumps({"enabled": True, "port": network_port}))
    app = Launcher(data, extra_env={"MINIATURES_ACCESS_KEY": key})
    app.start(timeout=60)
    secrets: list[str] = [key]
    try:
        with (
            httpx.Client(base_url=app.url, timeout=30.0) as near,
            httpx.Client(base_url=f"http://127.0.0.1:{network_port}", timeout=30.0) as phone,
        ):
            for wrong in (key[:-1], key.upper()):
                answer = near.post("/api/v1/session", json={"key": wrong})
                assert answer.status_code == 401 and wrong not in answer.text
            assert near.post("/api/v1/session", json={"key": key}).status_code == 204
            secrets.append(near.cookies["miniatures_session"])
            code = near.post("/api/v1/pairings").json()["code"]
            secrets += [code, code.replace("-", "")]
            assert phone.post("/api/v1/session", json={"pair": code}).status_code == 204
            secrets.append(phone.cookies["miniatures_session"])
            used = phone.post("/api/v1/session", json={"pair": code})
            assert used.status_code == 401 and code not in used.text
            assert phone.get("/api/v1/types").status_code == 200
    finally:
        app.stop()
    texts = log_texts(app)
    assert any(name.endswith(".log") and text for name, text in texts.items()), texts.keys()
    assert "/api/v1/session" in "".join(texts.values()), "the requests were logged"
    leaked = [
        (name, secret[:6]) for name, text in texts.items() for secret in secrets if secret in text
    ]
    assert leaked == []
