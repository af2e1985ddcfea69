"""The undo links of one history (version 2), checked while the file is read, as long as the
history's ids grow, as export writes them.

The ids are kept in order in flat arrays and found by binary search, with each event's number
and move: 16 bytes an event, however many events one type holds. An id that does not grow (or
does not fit 64 bits) hands the rest of the history to PostgreSQL (`ordered` false): its rows
carry every id and link, and the import compares them (`load.py`).

Why both (`python -m tests.benchmarks.undo_links`, CPU of the process and its PostgreSQL
backend, medians, a loaded machine): on the benchmark's data set, checking every link in
PostgreSQL instead cost 1.04x and 1.15x the whole import in two runs (PostgreSQL's share up
0.16-0.27 s, Python's down 0.01-0.09 s); on the worst-case 20 MiB files (one type holding every
event, every tenth or every other one an undo) it was 0.98x-1.02x. The common case pays for
this path; tests/benchmarks/RESULTS.md has the table.
"""

from array import array
from bisect import bisect_left
from typing import Any

from backend.stages import STAGE_ORDER

# An event's stages and qty as one small number (qty < 2**20): what an undo must reverse.
_STAGE_CODES: dict[str | None, int] = {None: 0} | {
    stage: n + 1 for n, stage in enumerate(STAGE_ORDER)
}
UNDO = 1 << 26  # the event undoes another
UNDONE = 1 << 27  # another event undid it
MOVE = UNDO - 1  # the bits of the move itself


def move_code(from_stage: str | None, to_stage: str | None, qty: int) -> int:
    return qty | _STAGE_CODES[from_stage] << 20 | _STAGE_CODES[to_stage] << 23


# The stages of every event that is not an undo: forward, or an addition (from None).
FORWARD: dict[tuple[Any, Any], int] = {
    (from_stage, to_stage): move_code(from_stage, to_stage, 0)
    for from_stage in (None, *STAGE_ORDER)
    for to_stage in STAGE_ORDER
    if from_stage is None or STAGE_ORDER[to_stage] > STAGE_ORDER[from_stage]
}


class UndoLinks:
    """What the undo events of one history may name, while its ids grow."""

    __slots__ = ("events", "ids", "moves", "ordered")

    def __init__(self) -> None:
        self.ids = array("q")
        self.events = array("i")  # event_no
        self.moves = array("i")  # move_code | UNDO | UNDONE
        self.ordered = True

    def find(self, event_id: int) -> int | None:
        """Where an id is among the ids (None: nowhere)."""
        ids = self.ids
        where = bisect_left(ids, event_id)
        return where if where < len(ids) and ids[where] == event_id else None

    def used_before(self, event_id: int) -> bool:
        """Whether an earlier event of the history has this id (known while ids grow)."""
        return (
            self.ordered
            and bool(self.ids)
            and event_id <= self.ids[-1]
            and self.find(event_id) is not None
        )

    def target(self, undoes: int) -> tuple[int | None, str | None]:
        """Where the event an undo names is (None: PostgreSQL finds it), or the rule the link
        breaks (UNKNOWN_EVENT, ALREADY_UNDONE)."""
        if not self.ordered:
            return None, None
        where = self.find(undoes)
        if where is None or self.moves[where] & UNDO:
            return None, "UNKNOWN_EVENT"
        if self.moves[where] & UNDONE:
            return None, "ALREADY_UNDONE"
        return where, None

    def unorder(self) -> None:
        """An id that does not grow (or fit 64 bits): from then on the history's links are
        PostgreSQL's to compare."""
        self.ordered = False
        del self.ids[:], self.events[:], self.moves[:]
