"""Collection statistics: totals per stage, and per month added and finished (UTC), of the
whole collection or of one group's types (or of the types in no group)."""

from typing import Any, cast

from sqlalchemy import exists, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from backend.models import HistoryEvent, MiniatureType, StageCount
from backend.schemas import MonthStats, Stats, Totals
from backend.services.types import GroupFilter, require_group
from backend.stages import STAGES, Stage


def _of_group(statement: Any, type_id: Any, group: GroupFilter) -> Any:
    """The statement over the rows of the filter's types only (all when there is none)."""
    if group is None:
        return statement
    in_group = (
        MiniatureType.group_id.is_(None) if group == "none" else MiniatureType.group_id == group
    )
    return statement.join(MiniatureType, MiniatureType.id == type_id).where(in_group)


def collection_stats(*, session: Session, group: GroupFilter = None) -> Stats:
    """A group that does not exist is ERR_GROUP_NOT_FOUND."""
    if group is not None and group != "none":
        require_group(session, group)
    totals_query = select(StageCount.stage, func.sum(StageCount.count)).group_by(StageCount.stage)
    per_stage: dict[str, int] = {
        stage: total
        for stage, total in session.execute(_of_group(totals_query, StageCount.type_id, group))
    }
    totals = {stage.value: int(per_stage.get(stage.value) or 0) for stage in STAGES}

    # Constants inlined, not bound: the grouped and the selected expression must be identical.
    utc = func.timezone(literal_column("'UTC'"), HistoryEvent.created_at)
    month = func.to_char(utc, literal_column("'YYYY-MM'"))
    added = HistoryEvent.from_stage.is_(None)
    finished = HistoryEvent.to_stage == Stage.DONE.value
    # Effective events only: neither an undo event nor the mistake it took back counts.
    undo = aliased(HistoryEvent)
    effective = HistoryEvent.undoes.is_(None) & ~exists().where(undo.undoes == HistoryEvent.id)
    months_query = (
        select(
            month.label("month"),
            func.coalesce(func.sum(HistoryEvent.qty).filter(added), 0).label("added"),
            func.coalesce(func.sum(HistoryEvent.qty).filter(finished), 0).label("finished"),
        )
        .where(or_(added, finished), effective)
        .group_by(month)
        .order_by(month)
    )
    months = session.execute(_of_group(months_query, HistoryEvent.type_id, group)).mappings()
    return Stats(
        totals=cast(Totals, {**totals, "total": sum(totals.values())}),
        months=[MonthStats(**row) for row in months],
    )
