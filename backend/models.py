"""Database tables."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from backend.limits import MAX_COUNT, MAX_NAME_LENGTH, MAX_NOTES_LENGTH
from backend.stages import STAGES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STAGE_LIST_SQL = ", ".join(f"'{stage}'" for stage in STAGES)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Group(Base):
    """An army, a faction or a project: named as types are, its name key unique among groups."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MiniatureType(Base):
    __tablename__ = "miniature_types"
    __table_args__ = (
        CheckConstraint(f"char_length(notes) <= {MAX_NOTES_LENGTH}", name="notes_length"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    # No length of its own: NFKC can make one character eighteen (U+FDFA).
    name_key: Mapped[str] = mapped_column(String, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # At most one group; deleting the group leaves its types ungrouped.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, server_default="")


class StageCount(Base):
    __tablename__ = "stage_counts"
    __table_args__ = (
        CheckConstraint(f"stage IN ({STAGE_LIST_SQL})", name="stage_known"),
        CheckConstraint(f"count BETWEEN 0 AND {MAX_COUNT}", name="count_range"),
    )

    type_id: Mapped[int] = mapped_column(
        ForeignKey("miniature_types.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class HistoryEvent(Base):
    __tablename__ = "history_events"
    __table_args__ = (
        CheckConstraint(
            f"from_stage IS NULL OR from_stage IN ({STAGE_LIST_SQL})", name="from_stage_known"
        ),
        CheckConstraint(
            f"to_stage IS NULL OR to_stage IN ({STAGE_LIST_SQL})", name="to_stage_known"
        ),
        CheckConstraint("from_stage IS DISTINCT FROM to_stage", name="moves_somewhere"),
        CheckConstraint("qty > 0", name="qty_positive"),
        # An ordinary event lands in a stage; an undo event leaves one (to nowhere when it
        # takes back miniatures that were added).
        CheckConstraint(
            "(undoes IS NULL AND to_stage IS NOT NULL) "
            "OR (undoes IS NOT NULL AND from_stage IS NOT NULL)",
            name="lands_or_undoes",
        ),
        CheckConstraint("undoes <> id", name="undoes_another"),
        # Not the id as well: see migration 0009.
        Index("ix_history_events_type_time", "type_id", "created_at"),
        # An event is undone at most once, whatever races: the database says so. Partial, so
        # that the many events that undo nothing cost it nothing (migration 0005).
        Index(
            "uq_history_events_undoes",
            "undoes",
            unique=True,
            postgresql_where=text("undoes IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("miniature_types.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str | None] = mapped_column(String(16))
    qty: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Set on an undo event: the event it reverses (its stages swapped, same qty). Of the same
    # type: a constraint trigger checks it (migration 0006; SQLAlchemy does not model triggers).
    undoes: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("history_events.id", ondelete="CASCADE")
    )


class DeviceSession(Base):
    """A session of another device: only its cookie's hash is kept (migration 0008)."""

    __tablename__ = "device_sessions"
    __table_args__ = (CheckConstraint("octet_length(token_hash) = 32", name="hash_size"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    # HMAC of the cookie under the access key in force when it was opened; None without one.
    key_proof: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
