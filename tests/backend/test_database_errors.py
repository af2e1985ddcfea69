"""What a failed statement answers: 503 only when the database cannot be reached; a transaction
that lost a race (deadlock, serialization failure) is run again a bounded number of times, then
500; anything else (a statement timeout) 500. The same for every statement, the import's COPY
included. The failures are real PostgreSQL errors, raised by a trigger on the events table."""

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, bindparam, exc, text
from starlette.routing import BaseRoute

import backend as backend_package
from backend.api import api_router
from backend.api.deps import TransactionRoute
from backend.db import make_engine
from backend.db_errors import ATTEMPTS, database_failure
from backend.main import create_app
from backend.migrate import upgrade_database
from backend.settings import Settings
from tests.backend.backup_helpers import document, event, post_import

UNAVAILABLE = {"code": "ERR_DATABASE_UNAVAILABLE", "params": {}}
INTERNAL = {"code": "ERR_INTERNAL", "params": {}}
MOVE = {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 1}

# Every statement that writes events fails while `failing.times` is above the number of
# statements tried so far (a sequence: it counts rolled-back attempts too).
FAILURE_TRIGGER = """
CREATE TABLE failing (sqlstate text NOT NULL, times integer NOT NULL);
CREATE SEQUENCE tries;
CREATE FUNCTION fail_on_purpose() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    planned failing;
BEGIN
    SELECT * INTO planned FROM failing;
    IF FOUND AND nextval('tries') <= planned.times THEN
        RAISE EXCEPTION 'failure on purpose' USING ERRCODE = planned.sqlstate;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER fail_on_purpose BEFORE INSERT ON history_events
    FOR EACH STATEMENT EXECUTE FUNCTION fail_on_purpose();
"""


@pytest.fixture(scope="module")
def failing_engine(database_factory: Callable[[], str]) -> Iterator[Engine]:
    url = database_factory()
    upgrade_database(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(FAILURE_TRIGGER)
    yield engine
    engine.dispose()


@pytest.fixture
def api(failing_engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine=failing_engine)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield client
    with failing_engine.begin() as conn:
        conn.execute(
            text("TRUNCATE failing, miniature_types, stage_counts, history_events CASCADE")
        )


@pytest.fixture
def orks(api: TestClient) -> int:
    created = api.post("/api/v1/types", json={"name": "Orks", "counts": {"IN_BOX": 10}})
    assert created.status_code == 201
    type_id: int = created.json()["id"]
    return type_id


def fail(engine: Engine, sqlstate: str, times: int) -> Callable[[], int]:
    """Makes the next `times` event-writing statements fail; returns a count of those tried."""
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE failing"))
        conn.execute(text("ALTER SEQUENCE tries RESTART"))
        conn.execute(text("INSERT INTO failing VALUES (:s, :n)"), {"s": sqlstate, "n": times})

    def tried() -> int:
        with engine.connect() as conn:
            called = conn.execute(text("SELECT is_called, last_value FROM tries")).one()
        return int(called.last_value) if called.is_called else 0

    return tried


def counts(api: TestClient, type_id: int) -> dict[str, int]:
    found: dict[str, int] = api.get(f"/api/v1/types/{type_id}").json()["counts"]
    return found


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"], ids=["deadlock", "serialization"])
def test_a_lost_race_is_run_again_and_succeeds(
    api: TestClient, failing_engine: Engine, orks: int, sqlstate: str
) -> None:
    tried = fail(failing_engine, sqlstate, times=1)
    response = api.post(f"/api/v1/types/{orks}/move", json=MOVE)
    assert response.status_code == 200, response.text
    assert response.json()["counts"]["DONE"] == 1
    assert tried() == 2
    assert counts(api, orks) == {"IN_BOX": 9, "BUILDING": 0, "PRIMING": 0, "PAINTING": 0, "DONE": 1}
    history = api.get(f"/api/v1/types/{orks}/history").json()["groups"]
    assert [(g["from_stage"], g["qty"]) for g in history] == [(None, 10), ("IN_BOX", 1)]


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"], ids=["deadlock", "serialization"])
def test_a_race_lost_every_time_is_an_internal_error_after_bounded_tries(
    api: TestClient, failing_engine: Engine, orks: int, sqlstate: str
) -> None:
    tried = fail(failing_engine, sqlstate, times=1000)
    response = api.post(f"/api/v1/types/{orks}/move", json=MOVE)
    assert (response.status_code, response.json()) == (500, INTERNAL)
    assert tried() == ATTEMPTS
    assert counts(api, orks)["IN_BOX"] == 10


@pytest.mark.parametrize(
    "sqlstate", ["57014", "55P03", "53200"], ids=["statement timeout", "lock timeout", "memory"]
)
def test_other_database_failures_are_internal_errors_tried_once(
    api: TestClient, failing_engine: Engine, orks: int, sqlstate: str
) -> None:
    tried = fail(failing_engine, sqlstate, times=1000)
    response = api.post(f"/api/v1/types/{orks}/move", json=MOVE)
    assert (response.status_code, response.json()) == (500, INTERNAL)
    assert tried() == 1
    assert api.get("/api/v1/health").status_code == 200


@pytest.mark.parametrize(
    "sqlstate", ["57P01", "57P02", "57P03", "08006"], ids=["admin", "crash", "starting", "lost"]
)
def test_a_database_going_away_is_unavailable(
    api: TestClient, failing_engine: Engine, orks: int, sqlstate: str
) -> None:
    tried = fail(failing_engine, sqlstate, times=1000)
    response = api.post(f"/api/v1/types/{orks}/move", json=MOVE)
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert tried() == 1


def backup_with_history() -> dict[str, object]:
    return document(
        {
            "name": "Aeldari",
            "counts": {"DONE": 2},
            "history": [event(None, "DONE", 2, "2026-11-01T09:00:00Z")],
        }
    )


@pytest.mark.parametrize(
    ("sqlstate", "status", "body"),
    [("40001", 500, INTERNAL), ("57014", 500, INTERNAL), ("57P01", 503, UNAVAILABLE)],
    ids=["serialization", "timeout", "shutdown"],
)
def test_the_imports_copy_fails_like_any_statement(
    api: TestClient, failing_engine: Engine, orks: int, sqlstate: str, status: int, body: object
) -> None:
    fail(failing_engine, sqlstate, times=1000)
    response = post_import(api, backup_with_history())
    assert (response.status_code, response.json()) == (status, body)
    assert [kind["name"] for kind in api.get("/api/v1/types").json()] == ["Orks"]


def test_an_import_that_lost_a_race_is_run_again(
    api: TestClient, failing_engine: Engine, orks: int
) -> None:
    tried = fail(failing_engine, "40P01", times=1)
    response = post_import(api, backup_with_history())
    assert response.status_code == 200, response.text
    assert response.json()["events_added"] == 1
    assert tried() == 2
    names = [kind["name"] for kind in api.get("/api/v1/types").json()]
    assert names == ["Aeldari", "Orks"]


def operations(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # a router included in another
        yield from operations(included.routes) if included is not None else [route]


def test_every_route_of_the_api_runs_its_transaction_the_same_way() -> None:
    found = list(operations(api_router.routes))
    assert len(found) >= 10
    assert all(isinstance(route, TransactionRoute) for route in found), found


def test_the_transaction_relies_on_public_fastapi_only() -> None:
    """FastAPI's own keys in the request scope ("fastapi_astack", ...) are internals that
    change between its releases: the app neither reads nor writes any of them."""
    backend = Path(backend_package.__file__).parent
    private = re.compile(r"""["']fastapi_\w+["']""")
    found = [str(path) for path in backend.rglob("*.py") if private.search(path.read_text())]
    assert found == []


def test_a_statement_the_driver_refuses_on_a_working_connection_is_internal(
    engine: Engine,
) -> None:
    """The driver raises OperationalError with no SQLSTATE for a statement it cannot send (more
    bound parameters than the protocol carries) while the connection is fine: that is 500, not
    "the database cannot be reached"; a refused connection stays 503."""
    too_many = text("SELECT 1 WHERE 0 IN :ids").bindparams(bindparam("ids", expanding=True))
    with engine.connect() as connection:
        with pytest.raises(exc.OperationalError) as refused_statement:
            connection.execute(too_many, {"ids": list(range(70_000))})
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar() == 1  # the connection works
    assert database_failure(refused_statement.value).status == 500

    nobody = make_engine("postgresql://nobody@127.0.0.1:9/none", pool_pre_ping=False)
    try:
        with pytest.raises(exc.OperationalError) as refused_connection:
            nobody.connect()
    finally:
        nobody.dispose()
    assert database_failure(refused_connection.value).status == 503
