"""Every change of a count: miniatures moved forward, or bought later (a move from nowhere).

Never more than there are, even under concurrent clicks: the type's five count rows are
locked first, the rules are checked on what they hold, and then one statement changes both
counts and appends the event.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from backend import errors
from backend.limits import MAX_COUNT
from backend.schemas import ChangedType
from backend.services.types import STAGE_NAMES, TypeInfo, type_answer
from backend.stages import Stage, is_forward


@dataclass
class LockedType:
    """A type whose count rows this transaction holds: no one else can change them."""

    info: TypeInfo
    counts: dict[str, int]

    @property
    def id(self) -> int:
        return self.info.id


# The type row is key-share locked too, so that a concurrent delete waits for us, or we for it,
# instead of the two locking each other's rows in turn. Count rows are locked in one order
# (rows are locked as the sorted result is read), so concurrent changes never deadlock.
_LOCK_TYPE = text(
    """
    SELECT t.name, t.created_at, t.group_id, t.notes, s.stage, s.count
    FROM miniature_types AS t JOIN stage_counts AS s ON s.type_id = t.id
    WHERE t.id = :type_id
    ORDER BY s.stage
    FOR KEY SHARE OF t FOR UPDATE OF s
    """
)

# Both count rows and the event in one statement: the checks were made on the locked rows.
_APPLY_CHANGE = text(
    """
    WITH changed AS (
        UPDATE stage_counts
        SET count = count + CASE WHEN stage = :to_stage THEN :qty ELSE -:qty END
        WHERE type_id = :type_id AND (stage = :to_stage OR stage = :from_stage)
    )
    INSERT INTO history_events (type_id, from_stage, to_stage, qty)
    VALUES (:type_id, :from_stage, :to_stage, :qty)
    RETURNING id
    """
)


def lock_type(session: Session, type_id: int) -> LockedType:
    """The type as it stands, with its five count rows locked for update; TypeNotFound if none."""
    rows = session.execute(_LOCK_TYPE, {"type_id": type_id}).all()
    if not rows:
        raise errors.TypeNotFound()
    found = {stage: count for *_, stage, count in rows}
    if len(rows) != len(STAGE_NAMES) or found.keys() != set(STAGE_NAMES):
        # Every type has all five rows from its creation on; anything else is a broken schema.
        raise RuntimeError(f"type {type_id} has count rows {sorted(found)}, not the five stages")
    counts = {stage: found[stage] for stage in STAGE_NAMES}
    first = rows[0]
    info = TypeInfo(type_id, first.name, first.created_at, first.group_id, first.notes)
    return LockedType(info, counts)


def apply_change(
    session: Session, locked: LockedType, from_stage: Stage | None, to_stage: Stage, qty: int
) -> ChangedType:
    """Moves (or, from None, adds) qty on rows lock_type has locked; answers the new type and
    the id of the event written."""
    event_id = session.execute(
        _APPLY_CHANGE,
        {
            "type_id": locked.id,
            "from_stage": from_stage.value if from_stage else None,
            "to_stage": to_stage.value,
            "qty": qty,
        },
    ).scalar_one()
    counts = dict(locked.counts)
    counts[to_stage.value] += qty
    if from_stage is not None:
        counts[from_stage.value] -= qty
    answer = type_answer(locked.info, counts)
    return {**answer, "event_id": event_id}


def move_miniatures(
    *, session: Session, type_id: int, from_stage: Stage, to_stage: Stage, qty: int
) -> ChangedType:
    if not is_forward(from_stage, to_stage):
        raise errors.InvalidStageTransition()
    locked = lock_type(session, type_id)
    available = locked.counts[from_stage.value]
    if available < qty:
        raise errors.InsufficientQty(available=available)
    if locked.counts[to_stage.value] + qty > MAX_COUNT:
        raise errors.CountLimit(max=MAX_COUNT)
    return apply_change(session, locked, from_stage, to_stage, qty)


def add_miniatures(*, session: Session, type_id: int, stage: Stage, qty: int) -> ChangedType:
    """Miniatures bought later: logged as an event from null."""
    locked = lock_type(session, type_id)
    if locked.counts[stage.value] + qty > MAX_COUNT:
        raise errors.CountLimit(max=MAX_COUNT)
    return apply_change(session, locked, None, stage, qty)
