"""The whole list is reused between requests only while nothing has changed."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.backend.core_api import API, recorded_statements


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
