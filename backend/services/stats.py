"""Collection statistics: totals per stage, and per month added and finished (UTC)."""

from typing import cast

from sqlalchemy import exists, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from backend.models import HistoryEvent, StageCount
from backend.schemas import MonthStats, Stats, Totals
from backend.stages import STAGES, Stage


def collection_stats(*, session: Session) -> Stats:
    per_stage: dict[str, int] = {
        stage: total
        for stage, total in session.execute(
            select(StageCount.stage, func.sum(StageCount.count)).group_by(StageCount.stage)
        )
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
    months = session.execute(
        select(
            month.label("month"),
            func.coalesce(func.sum(HistoryEvent.qty).filter(added), 0).label("added"),
            func.coalesce(func.sum(HistoryEvent.qty).filter(finished), 0).label("finished"),
        )
        .where(or_(added, finished), effective)
        .group_by(month)
        .order_by(month)
    ).mappings()
    return Stats(
        totals=cast(Totals, {**totals, "total": sum(totals.values())}),
        months=[MonthStats(**row) for row in months],
    )
