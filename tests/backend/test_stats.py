"""Stats: totals per stage, and per UTC month miniatures added and finished."""

from datetime import UTC, datetime, timedelta, timezone

from fastapi.testclient import TestClient

from tests.backend.core_api import API, create_type, insert_events, move


def test_empty_collection(client: TestClient) -> None:
    assert client.get(f"{API}/stats").json() == {
        "totals": {"IN_BOX": 0, "BUILDING": 0, "PRIMING": 0, "PAINTING": 0, "DONE": 0, "total": 0},
        "months": [],
    }


def test_totals_add_up_every_type(client: TestClient) -> None:
    first = create_type(client, "Orks", IN_BOX=10, DONE=1)["id"]
    create_type(client, "Tau", IN_BOX=2, PAINTING=3)
    move(client, first, "IN_BOX", "PRIMING", 4)
    totals = client.get(f"{API}/stats").json()["totals"]
    assert totals == {
        "IN_BOX": 8,
        "BUILDING": 0,
        "PRIMING": 4,
        "PAINTING": 3,
        "DONE": 1,
        "total": 16,
    }


def test_months_count_additions_and_finishes_in_utc_oldest_first(client: TestClient) -> None:
    orks = create_type(client, "Orks")["id"]
    tau = create_type(client, "Tau")["id"]
    minus_two = timezone(timedelta(hours=-2))
    insert_events(
        client,
        orks,
        [
            (None, "IN_BOX", 10, datetime(2025, 11, 3, 12, 0, tzinfo=UTC)),
            ("IN_BOX", "DONE", 4, datetime(2025, 11, 30, 23, 59, 59, tzinfo=UTC)),
            # 23:30 on 31 December at UTC-2 is already January in UTC.
            ("IN_BOX", "DONE", 2, datetime(2025, 12, 31, 23, 30, tzinfo=minus_two)),
            ("IN_BOX", "BUILDING", 3, datetime(2025, 12, 10, tzinfo=UTC)),  # neither
            ("BUILDING", "PAINTING", 3, datetime(2026, 3, 1, tzinfo=UTC)),  # neither
        ],
    )
    insert_events(
        client,
        tau,
        [
            (None, "DONE", 5, datetime(2026, 1, 15, tzinfo=UTC)),  # bought finished: both
            (None, "PRIMING", 1, datetime(2025, 11, 1, 0, 0, tzinfo=UTC)),
            ("PAINTING", "DONE", 1, datetime(2026, 1, 1, 0, 0, tzinfo=UTC)),
        ],
    )
    assert client.get(f"{API}/stats").json()["months"] == [
        {"month": "2025-11", "added": 11, "finished": 4},
        {"month": "2026-01", "added": 5, "finished": 8},
    ]


def test_months_follow_the_api(client: TestClient) -> None:
    created = create_type(client, "Orks", IN_BOX=3, BUILDING=2)
    type_id = created["id"]
    move(client, type_id, "IN_BOX", "DONE", 2)
    client.post(f"{API}/types/{type_id}/add", json={"qty": 4})
    months = client.get(f"{API}/stats").json()["months"]
    assert len(months) == 1
    assert months[0]["added"] == 9
    assert months[0]["finished"] == 2
    # This month, as the database's clock tells it (the type was created in it): UTC.
    assert months[0]["month"] == created["created_at"][:7]
