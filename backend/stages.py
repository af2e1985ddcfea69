"""The five stages and the forward-only rule, in one place."""

from enum import StrEnum


class Stage(StrEnum):
    IN_BOX = "IN_BOX"
    BUILDING = "BUILDING"
    PRIMING = "PRIMING"
    PAINTING = "PAINTING"
    DONE = "DONE"


STAGES: tuple[Stage, ...] = tuple(Stage)
STAGE_ORDER: dict[Stage, int] = {stage: index for index, stage in enumerate(STAGES)}


def is_forward(from_stage: Stage | None, to_stage: Stage) -> bool:
    """A move (or an addition, from None) must land strictly after where it starts."""
    return from_stage is None or STAGE_ORDER[to_stage] > STAGE_ORDER[from_stage]
