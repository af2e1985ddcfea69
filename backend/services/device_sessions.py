"""Sessions of other devices: open, find, list and end them.

SQLAlchemy Core statements on `device_sessions`, in the caller's transaction. A session is
found by its cookie's hash (`backend.access` makes both); the cookie itself is never stored.
"""

import hmac
from datetime import datetime, timedelta
from typing import TypedDict

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.orm import Session

from backend.models import DeviceSession

SESSION_LIFETIME = timedelta(days=400)  # the cookie's Max-Age too
# last_seen_at is written at most this often: not one write per request.
SEEN_EVERY = timedelta(minutes=1)


def _live(now: datetime) -> ColumnElement[bool]:
    """A session that has not run out: its cookie still opens it."""
    return DeviceSession.created_at > now - SESSION_LIFETIME


class Device(TypedDict):
    id: int
    label: str
    created_at: datetime
    last_seen_at: datetime


def open_session(
    *, session: Session, token_hash: bytes, key_proof: bytes | None, label: str, now: datetime
) -> int:
    """A new session; the sessions that have run out go (their cookies open nothing)."""
    session.execute(delete(DeviceSession).where(~_live(now)))
    device_id: int = session.execute(
        insert(DeviceSession)
        .values(
            token_hash=token_hash,
            key_proof=key_proof,
            label=label,
            created_at=now,
            last_seen_at=now,
        )
        .returning(DeviceSession.id)
    ).scalar_one()
    return device_id


def find_session(
    *, session: Session, token_hash: bytes, key_proof: bytes | None, now: datetime
) -> int | None:
    """The live session with this hash, or None. With an access key in force, only a session
    opened under that same key (its proof matches); without one, any."""
    row = session.execute(
        select(
            DeviceSession.id,
            DeviceSession.key_proof,
            DeviceSession.last_seen_at,
        ).where(DeviceSession.token_hash == token_hash, _live(now))
    ).one_or_none()
    if row is None:
        return None
    if key_proof is not None and (
        row.key_proof is None or not hmac.compare_digest(row.key_proof, key_proof)
    ):
        return None
    if now - row.last_seen_at >= SEEN_EVERY:
        session.execute(
            update(DeviceSession).where(DeviceSession.id == row.id).values(last_seen_at=now)
        )
    found: int = row.id
    return found


def list_devices(*, session: Session, now: datetime) -> list[Device]:
    """The sessions that are still live, the latest seen first."""
    rows = session.execute(
        select(
            DeviceSession.id,
            DeviceSession.label,
            DeviceSession.created_at,
            DeviceSession.last_seen_at,
        )
        .where(_live(now))
        .order_by(DeviceSession.last_seen_at.desc(), DeviceSession.id.desc())
    )
    return [
        Device(id=row.id, label=row.label, created_at=row.created_at, last_seen_at=row.last_seen_at)
        for row in rows
    ]


def end_session(
    *, session: Session, device_id: int | None = None, token_hash: bytes | None = None
) -> None:
    """Ends one session, named by its id or by its cookie's hash (ended already: nothing)."""
    if device_id is not None:
        session.execute(delete(DeviceSession).where(DeviceSession.id == device_id))
    if token_hash is not None:
        session.execute(delete(DeviceSession).where(DeviceSession.token_hash == token_hash))
