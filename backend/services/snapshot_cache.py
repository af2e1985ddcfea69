"""An answer kept between requests for as long as the database shows exactly the same data.

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

It earns its place on the app's most frequent request, the whole list on every focus of the
window: a hit costs one round trip, about the `/health` floor, instead of the query and its
serialisation (see tests/benchmarks/RESULTS.md).
"""

from collections.abc import Callable

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
    """One serialised answer and the key it was read under."""

    def __init__(self) -> None:
        self._entry: tuple[tuple[int, int, str], bytes] | None = None

    def get(self, session: Session, build: Callable[[], bytes]) -> bytes:
        key, wrote = _read_key(session)
        if wrote:
            return build()
        entry = self._entry
        if entry is not None and entry[0] == key:
            return entry[1]
        # Built after the key was read: it can only be newer than its key, and once anything
        # newer commits, no later request reads that key again.
        answer = build()
        self._entry = (key, answer)
        return answer
