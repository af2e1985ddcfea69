"""Moving miniatures forward: never more than there are, even under concurrent clicks."""

from sqlalchemy import case, insert, update
from sqlalchemy.orm import Session

from backend import errors
from backend.models import HistoryEvent, StageCount
from backend.schemas import TypeOut
from backend.services.types import get_type, lock_counts
from backend.stages import MAX_COUNT, Stage, is_forward


def move_miniatures(
    *, session: Session, type_id: int, from_stage: Stage, to_stage: Stage, qty: int
) -> TypeOut:
    if not is_forward(from_stage, to_stage):
        raise errors.InvalidStageTransition()
    # Checked in Python after locking: nothing is written when the move cannot happen.
    counts = lock_counts(session, type_id, [from_stage, to_stage])
    if not counts:
        raise errors.TypeNotFound()
    if counts[from_stage] < qty:
        raise errors.InsufficientQty(available=counts[from_stage])
    if counts[to_stage] + qty > MAX_COUNT:
        raise errors.CountLimit(max=MAX_COUNT)
    session.execute(
        update(StageCount)
        .where(
            StageCount.type_id == type_id, StageCount.stage.in_([from_stage.value, to_stage.value])
        )
        .values(
            count=StageCount.count + case((StageCount.stage == to_stage.value, qty), else_=-qty)
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        insert(HistoryEvent).values(
            type_id=type_id, from_stage=from_stage.value, to_stage=to_stage.value, qty=qty
        )
    )
    return get_type(session=session, type_id=type_id)
