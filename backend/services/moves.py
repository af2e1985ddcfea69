"""Moving miniatures forward: never more than there are, even under concurrent clicks."""

from sqlalchemy.orm import Session

from backend import errors
from backend.schemas import ChangedType
from backend.services.types import apply_change, lock_type
from backend.stages import MAX_COUNT, Stage, is_forward


def move_miniatures(
    *, session: Session, type_id: int, from_stage: Stage, to_stage: Stage, qty: int
) -> ChangedType:
    if not is_forward(from_stage, to_stage):
        raise errors.InvalidStageTransition()
    # Checked in Python on the locked rows: nothing is written when the move cannot happen.
    locked = lock_type(session, type_id)
    available = locked.counts[from_stage.value]
    if available < qty:
        raise errors.InsufficientQty(available=available)
    if locked.counts[to_stage.value] + qty > MAX_COUNT:
        raise errors.CountLimit(max=MAX_COUNT)
    return apply_change(session, locked, from_stage, to_stage, qty)
