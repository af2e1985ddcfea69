"""The whole list and a type's history are reused between requests only while nothing has
changed."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from backend.db import make_engine, make_session_factory
from backend.main import create_app
from backend.migrate import upgrade_database
from backend.services.snapshot_cache import SnapshotCache
from backend.settings import Settings
from tests.backend.core_api import API, recorded_statements
from tests.conftest import BASE_URL


def counts(client: TestClient) -> dict[str, int]:
    return {t["name"]: t["counts"]["IN_BOX"] for t in client.get(f"{API}/types").json()}


def test_an_unchanged_list_is_served_without_querying_again(
    committed_client: TestClient, engine: Engine
) -> None:
    committed_client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 3}})
    first = committed_client.get(f"{API}/types")
    with recorded_statements(engine) as statements:
        again = committed_client.get(f"{API}/types")
    assert again.content == first.content
    assert len(statements) == 1 and "pg_current_snapshot" in statements[0]


def history_of(client: TestClient, type_id: int) -> list[tuple[str | None, str, int]]:
    groups = client.get(f"{API}/types/{type_id}/history").json()["groups"]
    return [(g["from_stage"], g["to_stage"], g["qty"]) for g in groups]


def test_an_unchanged_history_is_served_without_querying_again(
    committed_client: TestClient, engine: Engine
) -> None:
    orks = committed_client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 3}})
    first = committed_client.get(f"{API}/types/{orks.json()['id']}/history")
    with recorded_statements(engine) as statements:
        again = committed_client.get(f"{API}/types/{orks.json()['id']}/history")
    assert again.content == first.content
    assert len(statements) == 1 and "pg_current_snapshot" in statements[0]


def test_each_type_gets_its_own_history_and_a_move_shows_at_once(
    committed_client: TestClient, engine: Engine
) -> None:
    orks = committed_client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 3}})
    tau = committed_client.post(f"{API}/types", json={"name": "Tau", "counts": {"DONE": 2}})
    orks_id, tau_id = orks.json()["id"], tau.json()["id"]
    assert history_of(committed_client, orks_id) == [(None, "IN_BOX", 3)]
    assert history_of(committed_client, tau_id) == [(None, "DONE", 2)]
    move = {"from_stage": "IN_BOX", "to_stage": "BUILDING", "qty": 1}
    assert committed_client.post(f"{API}/types/{orks_id}/move", json=move).status_code == 200
    assert history_of(committed_client, orks_id) == [(None, "IN_BOX", 3), ("IN_BOX", "BUILDING", 1)]
    # Another program writes straight to the database.
    with engine.begin() as conn:
        conn.execute(text("UPDATE history_events SET qty = 5 WHERE to_stage = 'DONE'"))
    assert history_of(committed_client, tau_id) == [(None, "DONE", 5)]
    assert committed_client.delete(f"{API}/types/{tau_id}").status_code == 204
    assert committed_client.get(f"{API}/types/{tau_id}/history").status_code == 404


def test_only_the_last_few_answers_are_kept(committed_client: TestClient, engine: Engine) -> None:
    """Reading many types' histories keeps a few of them, not all: the server's memory stays
    bounded whatever is read, and the most recent ones are still served at once."""
    ids = [
        committed_client.post(f"{API}/types", json={"name": f"Squad {n}"}).json()["id"]
        for n in range(10)
    ]

    def statements_to_read(type_id: int) -> int:
        with recorded_statements(engine) as statements:
            assert committed_client.get(f"{API}/types/{type_id}/history").status_code == 200
        return len(statements)

    for type_id in ids:
        statements_to_read(type_id)
    assert statements_to_read(ids[-1]) == 1
    assert statements_to_read(ids[0]) > 1


def test_an_answer_over_the_size_kept_is_built_each_time(
    committed_client: TestClient, engine: Engine
) -> None:
    committed_client.app.state.answers = SnapshotCache(largest=100)  # type: ignore[attr-defined]
    small = committed_client.post(f"{API}/types", json={"name": "Orks"}).json()["id"]
    large = committed_client.post(f"{API}/types", json={"name": "Tau", "counts": {"DONE": 1}})
    # An empty history is 13 bytes, one with a group about 140.
    for type_id, kept in ((small, True), (large.json()["id"], False)):
        committed_client.get(f"{API}/types/{type_id}/history")
        with recorded_statements(engine) as again:
            committed_client.get(f"{API}/types/{type_id}/history")
        assert (len(again) == 1) == kept, again


def test_a_change_committed_elsewhere_is_seen_at_once(
    committed_client: TestClient, engine: Engine
) -> None:
    committed_client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 3}})
    assert counts(committed_client) == {"Orks": 3}
    # Another program (or a second server) writes straight to the database.
    with engine.begin() as conn:
        conn.execute(text("UPDATE stage_counts SET count = 7 WHERE stage = 'IN_BOX'"))
    assert counts(committed_client) == {"Orks": 7}
    committed_client.post(f"{API}/types", json={"name": "Aeldari"})
    assert counts(committed_client) == {"Aeldari": 0, "Orks": 7}


def test_a_change_in_progress_elsewhere_is_not_seen_until_committed(
    committed_client: TestClient, engine: Engine
) -> None:
    committed_client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 3}})
    assert counts(committed_client) == {"Orks": 3}
    with engine.connect() as conn:
        pending = conn.begin()
        conn.execute(text("UPDATE stage_counts SET count = 9 WHERE stage = 'IN_BOX'"))
        assert counts(committed_client) == {"Orks": 3}
        pending.commit()
    assert counts(committed_client) == {"Orks": 9}


def test_another_database_never_gets_this_ones_list(
    committed_client: TestClient, database_factory: Callable[[], str]
) -> None:
    """Databases of one cluster share its snapshots: the answer is kept per database too."""
    committed_client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 3}})
    other_url = database_factory()
    upgrade_database(other_url)
    other = make_engine(other_url)
    with other.begin() as conn:
        conn.execute(text("INSERT INTO miniature_types (name, name_key) VALUES ('Tau', 'tau')"))
        conn.execute(
            text(
                "INSERT INTO stage_counts (type_id, stage, count) SELECT id, s, 0 FROM "
                "miniature_types, unnest(ARRAY['IN_BOX','BUILDING','PRIMING','PAINTING','DONE']) s"
            )
        )
    app = committed_client.app
    try:
        assert counts(committed_client) == {"Orks": 3}
        # The same app now reaches the other database, with no commit anywhere in between.
        app.state.session_factory = make_session_factory(other)  # type: ignore[attr-defined]
        assert counts(committed_client) == {"Tau": 0}
    finally:
        other.dispose()


def test_each_connection_reads_the_database_identity_once(
    committed_client: TestClient, pg_url: str, settings: Settings
) -> None:
    """Later requests on a connection read the snapshot alone; a new connection (after the
    database restarted, say) reads the identity again."""
    committed_client.post(f"{API}/types", json={"name": "Orks", "counts": {"IN_BOX": 3}})
    one_connection = make_engine(pg_url, pool_size=1, max_overflow=0)
    app = create_app(settings, engine=one_connection, daily_copies=False)
    try:
        with TestClient(app, base_url=BASE_URL) as client:

            def key_statements() -> list[str]:
                with recorded_statements(one_connection) as statements:
                    assert counts(client) == {"Orks": 3}
                return [s for s in statements if "pg_current_snapshot" in s]

            first, again = key_statements(), key_statements()
            assert "pg_control_system" in first[0]
            assert "pg_control_system" not in again[0]
            one_connection.dispose()  # every connection replaced
            assert "pg_control_system" in key_statements()[0]
    finally:
        one_connection.dispose()
