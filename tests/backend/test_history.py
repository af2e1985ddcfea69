"""History grouping: the pure rule, and the same rule through /history."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from backend.schemas import HistoryGroup
from backend.services.history import group_events
from backend.stages import Stage
from backend.times import utc_text
from tests.backend.core_api import API, create_type, groups, insert_events, run_sql

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
IN_BOX, BUILDING, PRIMING, DONE = Stage.IN_BOX, Stage.BUILDING, Stage.PRIMING, Stage.DONE


@dataclass(frozen=True)
class Event:
    from_stage: Stage | None
    to_stage: Stage
    qty: int
    at: datetime
    id: int = 0


def group_history(events: Iterable[Event]) -> list[HistoryGroup]:
    """The grouping rule on events (oldest first), as the service applies it to its rows."""
    return group_events((e.id, e.from_stage, e.to_stage, e.qty, e.at) for e in events)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def moves(*seconds: float, qty: int = 1) -> list[Event]:
    return [Event(IN_BOX, BUILDING, qty, at(s)) for s in seconds]


def shape(events: list[Event]) -> list[tuple[int, int, datetime, datetime]]:
    return [(g["qty"], g["events"], g["at"], g["last_at"]) for g in group_history(events)]


def test_no_events_no_groups() -> None:
    assert group_history([]) == []


@pytest.mark.parametrize(
    ("gap", "joined"),
    [(0, True), (1, True), (299, True), (299.999999, True), (300, False), (301, False)],
)
def test_gap_under_300_seconds_joins(gap: float, joined: bool) -> None:
    expected = (
        [(2, 2, at(0), at(gap))] if joined else [(1, 1, at(0), at(0)), (1, 1, at(gap), at(gap))]
    )
    assert shape(moves(0, gap)) == expected


def test_a_chain_of_short_gaps_stays_one_group_however_long() -> None:
    # Each gap is under 300 s, the whole burst spans 20 minutes.
    assert shape(moves(0, 299, 598, 897, 1196, qty=2)) == [(10, 5, at(0), at(1196))]


def test_the_gap_is_measured_from_the_groups_previous_event_not_its_first() -> None:
    assert shape(moves(0, 200, 400, 700)) == [(3, 3, at(0), at(400)), (1, 1, at(700), at(700))]


def test_another_transition_in_between_splits_the_group() -> None:
    events = [
        Event(IN_BOX, BUILDING, 1, at(0)),
        Event(BUILDING, PRIMING, 1, at(10)),
        Event(IN_BOX, BUILDING, 2, at(20)),
        Event(IN_BOX, BUILDING, 3, at(30)),
    ]
    grouped = group_history(events)
    assert [(g["from_stage"], g["to_stage"], g["qty"], g["events"]) for g in grouped] == [
        (IN_BOX, BUILDING, 1, 1),
        (BUILDING, PRIMING, 1, 1),
        (IN_BOX, BUILDING, 5, 2),
    ]
    assert grouped[2]["at"] == at(20)
    assert grouped[2]["last_at"] == at(30)


def test_same_target_from_another_stage_is_another_transition() -> None:
    events = [Event(IN_BOX, DONE, 1, at(0)), Event(PRIMING, DONE, 1, at(1))]
    assert [g["events"] for g in group_history(events)] == [1, 1]


def test_additions_group_like_moves() -> None:
    events = [
        Event(None, IN_BOX, 10, at(0)),
        Event(None, IN_BOX, 5, at(100)),
        Event(None, DONE, 1, at(110)),
        Event(None, IN_BOX, 1, at(120)),
        Event(None, IN_BOX, 1, at(500)),
    ]
    grouped = group_history(events)
    assert [(g["from_stage"], g["to_stage"], g["qty"], g["events"]) for g in grouped] == [
        (None, IN_BOX, 15, 2),
        (None, DONE, 1, 1),
        (None, IN_BOX, 1, 1),
        (None, IN_BOX, 1, 1),
    ]


def test_history_through_the_api_groups_events_at_their_times(client: TestClient) -> None:
    type_id = create_type(client, "Orks")["id"]
    insert_events(
        client,
        type_id,
        [
            (None, "IN_BOX", 10, at(0)),
            ("IN_BOX", "BUILDING", 1, at(60)),
            ("IN_BOX", "BUILDING", 2, at(359)),  # 299 s after the previous one
            ("IN_BOX", "BUILDING", 3, at(659)),  # 300 s: a new group
            ("BUILDING", "DONE", 1, at(700)),
            ("IN_BOX", "BUILDING", 1, at(701)),
        ],
    )
    ids = [row.id for row in run_sql(client, "SELECT id FROM history_events ORDER BY id")]
    found = groups(client, type_id)
    assert [group.pop("event_ids") for group in found] == [
        ids[0:1],
        ids[1:3],
        ids[3:4],
        ids[4:5],
        ids[5:6],
    ]
    assert found == [
        {
            "from_stage": None,
            "to_stage": "IN_BOX",
            "qty": 10,
            "events": 1,
            "at": "2026-11-26T10:00:00Z",
            "last_at": "2026-11-26T10:00:00Z",
        },
        {
            "from_stage": "IN_BOX",
            "to_stage": "BUILDING",
            "qty": 3,
            "events": 2,
            "at": "2026-11-26T10:01:00Z",
            "last_at": "2026-11-26T10:05:59Z",
        },
        {
            "from_stage": "IN_BOX",
            "to_stage": "BUILDING",
            "qty": 3,
            "events": 1,
            "at": "2026-11-26T10:10:59Z",
            "last_at": "2026-11-26T10:10:59Z",
        },
        {
            "from_stage": "BUILDING",
            "to_stage": "DONE",
            "qty": 1,
            "events": 1,
            "at": "2026-11-26T10:11:40Z",
            "last_at": "2026-11-26T10:11:40Z",
        },
        {
            "from_stage": "IN_BOX",
            "to_stage": "BUILDING",
            "qty": 1,
            "events": 1,
            "at": "2026-11-26T10:11:41Z",
            "last_at": "2026-11-26T10:11:41Z",
        },
    ]


def test_history_reads_oldest_first_whatever_the_insert_order(client: TestClient) -> None:
    type_id = create_type(client, "Orks")["id"]
    # Stored out of order (as an import may append them); equal times keep insert order.
    other_zone = datetime(2026, 11, 26, 13, 0, 10, tzinfo=UTC).astimezone(ZoneInfo("Europe/Moscow"))
    insert_events(
        client,
        type_id,
        [
            ("IN_BOX", "DONE", 2, other_zone),
            (None, "IN_BOX", 5, at(0)),
            ("IN_BOX", "PRIMING", 1, at(30)),
            ("IN_BOX", "BUILDING", 1, at(30)),
        ],
    )
    found = [(g["from_stage"], g["to_stage"], g["at"]) for g in groups(client, type_id)]
    assert found == [
        (None, "IN_BOX", "2026-11-26T10:00:00Z"),
        ("IN_BOX", "PRIMING", "2026-11-26T10:00:30Z"),
        ("IN_BOX", "BUILDING", "2026-11-26T10:00:30Z"),
        ("IN_BOX", "DONE", "2026-11-26T13:00:10Z"),
    ]


def test_history_writes_its_times_as_every_answer_does(client: TestClient) -> None:
    """A fraction only when there is one, all six digits of it; UTC with Z; and the 300 s
    rule to the microsecond, before 1970 too."""
    type_id = create_type(client, "Orks")["id"]
    early = datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)
    moments = [early, early + timedelta(seconds=299, microseconds=999999), at(0.12), at(0.120001)]
    moments += [at(300.120001), at(900.000001)]
    insert_events(client, type_id, [(None, "IN_BOX", 1, moment) for moment in moments])
    found = [(g["events"], g["at"], g["last_at"]) for g in groups(client, type_id)]
    assert found == [
        (2, "1969-12-31T23:59:59.500000Z", "1970-01-01T00:04:59.499999Z"),
        (2, "2026-11-26T10:00:00.120000Z", "2026-11-26T10:00:00.120001Z"),
        (1, "2026-11-26T10:05:00.120001Z", "2026-11-26T10:05:00.120001Z"),  # 300 s exactly
        (1, "2026-11-26T10:15:00.000001Z", "2026-11-26T10:15:00.000001Z"),
    ]
    # As the type's own time is written, by pydantic.
    assert [utc_text(moment) for moment in moments[::2]] == [g[1] for g in found[:3]]


def test_history_of_other_types_is_not_mixed_in(client: TestClient) -> None:
    first = create_type(client, "First", IN_BOX=1)["id"]
    create_type(client, "Second", IN_BOX=7)
    assert [g["qty"] for g in groups(client, first)] == [1]


def test_a_burst_of_clicks_through_the_api_is_one_group(client: TestClient) -> None:
    type_id = create_type(client, "Orks", IN_BOX=5)["id"]
    body = {"from_stage": "IN_BOX", "to_stage": "BUILDING", "qty": 1}
    for _ in range(3):
        assert client.post(f"{API}/types/{type_id}/move", json=body).status_code == 200
    assert [(g["qty"], g["events"]) for g in groups(client, type_id)] == [(5, 1), (3, 3)]


def test_a_type_with_200000_undone_events_reads_in_bounded_time(client: TestClient) -> None:
    """Two merged imports of a large file can give one type this many undo pairs: they are
    written in one statement in seconds, and the history reads them in one pass, not by
    comparing each event with every pair (minutes)."""
    type_id = create_type(client, "Big")["id"]
    # The statistics say the table is empty, as when autovacuum has analysed it just after it
    # was emptied. PostgreSQL 18 then looked up the event each undo names by walking the type's
    # events, both for the foreign key and for the same-type check: this statement ran for
    # many minutes (migration 0009).
    run_sql(
        client,
        "INSERT INTO history_events (type_id, to_stage, qty) VALUES (:type_id, 'IN_BOX', 1)",
        type_id=type_id,
    )
    run_sql(client, "DELETE FROM history_events")
    run_sql(client, "ANALYZE history_events")
    with client.app.state.session_factory() as session, session.begin():  # type: ignore[attr-defined]
        session.execute(text("SET LOCAL statement_timeout = '60s'"))
        session.execute(
            text(
                """
                WITH plain AS (
                    INSERT INTO history_events (type_id, from_stage, to_stage, qty, created_at)
                    SELECT :type_id, 'IN_BOX', 'BUILDING', 1, :start + g * interval '1 second'
                    FROM generate_series(1, 300000) AS g
                    RETURNING id
                )
                INSERT INTO history_events (type_id, from_stage, to_stage, qty, created_at, undoes)
                SELECT :type_id, 'BUILDING', 'IN_BOX', 1, :start, id FROM plain
                ORDER BY id LIMIT 200000
                """
            ),
            {"type_id": type_id, "start": T0},
        )
    run_sql(client, "ANALYZE history_events")  # the planner knows how many pairs there are
    # Far beyond the read's own cost (under a second), far below the old plan's (minutes).
    run_sql(client, "SET statement_timeout = '20s'")  # undone with the test's transaction
    assert [(g["qty"], g["events"]) for g in groups(client, type_id)] == [(100000, 100000)]
