"""Answers kept between requests for as long as the database shows exactly the same data.

The invariant: an answer is served again only under a key that says no committed change can
be visible now that was not visible when it was built. The key is the database (the cluster's
system identifier and the database's oid) and the transaction snapshot (which transactions'
changes are visible: xmin:xmax:in-progress ids). Within one database the snapshot reads the
same only while no transaction has committed anywhere in the cluster; the database's identity
keeps another database, or a new cluster that happens to reach the same transaction ids, from
being served this one's answer. A transaction that has itself written sees its own changes,
which the snapshot does not show: it never reads or fills the cache.

The database's identity is read once per connection, which stays with one database for its
whole life (SQLAlchemy clears a connection's `info` when it replaces the connection): a
request reads the snapshot alone.

It earns its place on the app's most frequent requests, made again on every focus of the
window: the whole list, and the history of the type on screen. A hit costs one round trip,
about the `/health` floor, instead of the query and its serialisation: for a type with 10,000
events, p95 5-6 ms against 50-69 ms from an HTTP client (see tests/benchmarks/RESULTS.md).
"""

import threading
from collections.abc import Callable, Hashable

from sqlalchemy import text
from sqlalchemy.orm import Session

# The first request on a connection reads the database's identity with the snapshot; the
# connection keeps it, and later requests read the snapshot alone (one round trip either way).
_SNAPSHOT = text("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL")
_SNAPSHOT_AND_IDENTITY = text(
    """
    SELECT pg_current_snapshot()::text,
           pg_current_xact_id_if_assigned() IS NOT NULL,
           (SELECT system_identifier FROM pg_control_system()),
           (SELECT oid FROM pg_database WHERE datname = current_database())
    """
)
_IDENTITY = "miniatures.database_identity"


def _read_key(session: Session) -> tuple[tuple[int, int, str], bool]:
    """The key (cluster, database, snapshot), and whether this transaction has written."""
    info = session.connection().info
    identity: tuple[int, int] | None = info.get(_IDENTITY)
    if identity is None:
        snapshot, wrote, cluster, database = session.execute(_SNAPSHOT_AND_IDENTITY).one()
        identity = info[_IDENTITY] = (cluster, database)
    else:
        snapshot, wrote = session.execute(_SNAPSHOT).one()
    return (*identity, snapshot), wrote


class SnapshotCache:
    """Serialised answers, each with the key it was read under: the last `kept` asked for (the
    whole list, the histories last read), none over `largest` bytes, so that what it holds stays
    bounded whatever is read (the history of a type with 10,000 events is 1.3 MB)."""

    def __init__(self, kept: int = 4, largest: int = 8 * 2**20) -> None:
        self._kept = kept
        self._largest = largest
        self._entries: dict[Hashable, tuple[tuple[int, int, str], bytes]] = {}
        self._lock = threading.Lock()  # requests run in threads

    def get(self, session: Session, answer: Hashable, build: Callable[[], bytes]) -> bytes:
        """`answer` names what `build` makes (the same name, the same request)."""
        key, wrote = _read_key(session)
        if wrote:
            return build()
        entry = self._entries.get(answer)
        if entry is not None and entry[0] == key:
            return entry[1]
        # Built after the key was read: it can only be newer than its key, and once anything
        # newer commits, no later request reads that key again.
        body = build()
        if len(body) > self._largest:
            return body
        with self._lock:
            self._entries.pop(answer, None)  # the newest last: the oldest goes first
            self._entries[answer] = (key, body)
            while len(self._entries) > self._kept:
                del self._entries[next(iter(self._entries))]
        return body
