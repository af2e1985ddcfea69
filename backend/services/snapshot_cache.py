"""An answer kept between requests for as long as the database shows exactly the same data."""

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

# The snapshot says which transactions' changes are visible (xmin:xmax:in-progress ids): while
# it reads the same, every table does too. A transaction that has itself written sees its own
# changes, which the snapshot does not show.
_SNAPSHOT = text("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL")


class SnapshotCache:
    """One serialised answer and the snapshot it was read under.

    Any commit anywhere in the cluster changes the snapshot, so a stale answer is never
    served; the cost of a hit is one round trip instead of the query and its serialisation.
    """

    def __init__(self) -> None:
        self._entry: tuple[str, bytes] | None = None

    def get(self, session: Session, build: Callable[[], bytes]) -> bytes:
        snapshot, wrote = session.execute(_SNAPSHOT).one()
        if wrote:
            return build()
        entry = self._entry
        if entry is not None and entry[0] == snapshot:
            return entry[1]
        # Built after the snapshot was read: it can only be newer than its key, and once
        # anything newer commits, no later request reads that key again.
        answer = build()
        self._entry = (snapshot, answer)
        return answer
