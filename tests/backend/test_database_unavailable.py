"""The 503 a user sees while the database is down says why, when that is known."""

from collections.abc import Callable
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient

from backend.db import make_engine
from backend.db_errors import database_failure
from backend.main import create_app
from backend.settings import Settings
from tests.conftest import free_port


def down_app(data_dir: Path, outage: Callable[[], str | None] | None) -> TestClient:
    """The app on a database URL where nothing listens."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere"
    settings = Settings(database_url=url, data_dir=data_dir)
    app = create_app(settings, engine=make_engine(url), database_outage=outage)
    return TestClient(app, base_url="http://127.0.0.1")


def test_without_a_known_reason_the_503_has_no_params(tmp_path: Path) -> None:
    with down_app(tmp_path, None) as client:
        response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"code": "ERR_DATABASE_UNAVAILABLE", "params": {}}


def test_the_supervisors_reason_reaches_every_503(tmp_path: Path) -> None:
    reason: list[str | None] = ["disk_full"]
    with down_app(tmp_path, lambda: reason[0]) as client:
        for path in ("/api/v1/health", "/api/v1/types"):
            response = client.get(path)
            assert response.status_code == 503
            assert response.json() == {
                "code": "ERR_DATABASE_UNAVAILABLE",
                "params": {"reason": "disk_full"},
            }
        reason[0] = None  # space was freed; the database is still starting
        assert client.get("/api/v1/health").json()["params"] == {}


def test_a_refusal_for_lack_of_space_is_a_503_with_its_reason() -> None:
    refused = database_failure(psycopg.errors.DiskFull())  # SQLSTATE 53100
    assert (refused.status, refused.body()) == (
        503,
        {"code": "ERR_DATABASE_UNAVAILABLE", "params": {"reason": "disk_full"}},
    )
    # Another failure stays what it is, whatever the supervisor says.
    other = database_failure(psycopg.errors.DivisionByZero(), "disk_full")
    assert (other.status, other.body()["code"]) == (500, "ERR_INTERNAL")
