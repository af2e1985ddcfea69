"""A type's history, grouped at read time so a burst of clicks reads as one line."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import errors
from backend.models import HistoryEvent, MiniatureType
from backend.schemas import HistoryGroup
from backend.stages import Stage

# An event joins its group when it came less than this after the group's previous event.
GROUP_GAP = timedelta(seconds=300)


@dataclass(frozen=True)
class Event:
    from_stage: Stage | None
    to_stage: Stage
    qty: int
    at: datetime


def group_history(events: Iterable[Event]) -> list[HistoryGroup]:
    """Groups events (oldest first): same transition, and each gap under GROUP_GAP."""
    groups: list[HistoryGroup] = []
    for event in events:
        current = groups[-1] if groups else None
        if (
            current is not None
            and (current.from_stage, current.to_stage) == (event.from_stage, event.to_stage)
            and event.at - current.last_at < GROUP_GAP
        ):
            current.qty += event.qty
            current.events += 1
            current.last_at = event.at
        else:
            groups.append(
                HistoryGroup(
                    from_stage=event.from_stage,
                    to_stage=event.to_stage,
                    qty=event.qty,
                    events=1,
                    at=event.at,
                    last_at=event.at,
                )
            )
    return groups


def load_events(*, session: Session, type_id: int) -> list[Event]:
    """The type's events, oldest first; ERR_TYPE_NOT_FOUND for an unknown type."""
    if session.get(MiniatureType, type_id) is None:
        raise errors.TypeNotFound()
    rows = session.execute(
        select(
            HistoryEvent.from_stage,
            HistoryEvent.to_stage,
            HistoryEvent.qty,
            HistoryEvent.created_at,
        )
        .where(HistoryEvent.type_id == type_id)
        .order_by(HistoryEvent.created_at, HistoryEvent.id)
    )
    return [
        Event(
            from_stage=Stage(from_stage) if from_stage is not None else None,
            to_stage=Stage(to_stage),
            qty=qty,
            at=created_at,
        )
        for from_stage, to_stage, qty, created_at in rows
    ]


def type_history(*, session: Session, type_id: int) -> list[HistoryGroup]:
    return group_history(load_events(session=session, type_id=type_id))
