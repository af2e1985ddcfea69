"""Undo: a mistake is taken back by new events that reverse it; the log stays append-only."""

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from backend import errors
from backend.limits import MAX_COUNT, MAX_EVENT_ID
from backend.schemas import TypeOut
from backend.services.moves import lock_type
from backend.services.types import type_answer

_EVENTS = text(
    """
    SELECT e.id, e.from_stage, e.to_stage, e.qty, e.undoes IS NOT NULL AS is_undo,
           EXISTS (SELECT FROM history_events AS u WHERE u.undoes = e.id) AS undone
    FROM history_events AS e
    WHERE e.type_id = :type_id AND e.id = ANY(CAST(:ids AS bigint[]))
    """
)

# The counts and the undo events in one statement, on rows lock_type has locked. The unique
# link lets the database keep an event from being undone twice, whatever the code did.
_APPLY_UNDO = text(
    """
    WITH changed AS (
        UPDATE stage_counts AS s SET count = s.count + d.delta
        FROM unnest(CAST(:stages AS varchar[]), CAST(:deltas AS integer[])) AS d(stage, delta)
        WHERE s.type_id = :type_id AND s.stage = d.stage
    )
    INSERT INTO history_events (type_id, from_stage, to_stage, qty, undoes)
    SELECT :type_id, u.from_stage, u.to_stage, u.qty, u.undoes
    FROM unnest(
        CAST(:froms AS varchar[]), CAST(:tos AS varchar[]),
        CAST(:qtys AS integer[]), CAST(:undoes AS bigint[])
    ) WITH ORDINALITY AS u(from_stage, to_stage, qty, undoes, position)
    ORDER BY u.position
    ON CONFLICT (undoes) WHERE undoes IS NOT NULL DO NOTHING
    RETURNING undoes
    """
)


def _change_per_stage(events: Sequence[Any]) -> Counter[str]:
    """What reversing these events does to each stage: out of where each went, back to where
    it came from (nowhere, for an addition)."""
    change: Counter[str] = Counter()
    for event in events:
        change[event.to_stage] -= event.qty
        if event.from_stage is not None:
            change[event.from_stage] += event.qty
    return change


def undo_events(*, session: Session, type_id: int, event_ids: Sequence[int]) -> TypeOut:
    """Appends one undo event per id, all or none; the first failing id decides the error."""
    locked = lock_type(session, type_id)
    wanted = [event_id for event_id in event_ids if event_id <= MAX_EVENT_ID]
    found = {
        row.id: row
        for row in session.execute(_EVENTS, {"type_id": type_id, "ids": wanted})
        if not row.is_undo  # an undo is not undone: the move is made again instead
    }
    # Checked together: undoing a purchase and the move that followed it works in any order.
    valid = [found[event_id] for event_id in event_ids if event_id in found]
    after = Counter(locked.counts)
    after.update(_change_per_stage([event for event in valid if not event.undone]))
    for event_id in event_ids:
        event = found.get(event_id)
        if event is None:
            raise errors.EventNotFound(event_id=event_id)
        if event.undone:
            raise errors.AlreadyUndone(event_id=event_id)
        if after[event.to_stage] < 0:
            raise errors.InsufficientQty(available=locked.counts[event.to_stage])
        if event.from_stage is not None and after[event.from_stage] > MAX_COUNT:
            raise errors.CountLimit(max=MAX_COUNT)

    change = _change_per_stage(valid)
    written = session.scalars(
        _APPLY_UNDO,
        {
            "type_id": type_id,
            "stages": list(change),
            "deltas": list(change.values()),
            "froms": [event.to_stage for event in valid],
            "tos": [event.from_stage for event in valid],
            "qtys": [event.qty for event in valid],
            "undoes": [event.id for event in valid],
        },
    ).all()
    if len(written) < len(valid):
        # Undone by another request between our read and our write (the locks should make
        # this impossible); the request's transaction is rolled back with this error.
        first = next(event.id for event in valid if event.id not in set(written))
        raise errors.AlreadyUndone(event_id=first)
    return type_answer(locked.info, dict(after))
