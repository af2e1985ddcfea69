"""The benchmark's data set, as a backup file (version 3, every event with its id): 1000 types
in 30 groups with 100 events each, every third with a paint recipe in its notes, and one big
type (in no group) with 10,000 events of which 1,000 were undone (each followed by its undo
event: 11,000 entries). Each history is a plausible one (bought, then moved on stage by stage)
and its counts are its net flow; events lie minutes apart and alternate stages, so no two join
a history group: the history answer is as long as it can be.

`backup_bytes(2)` is the same without groups and notes (version 2), as the code before groups
reads it.

`backup_bytes(1)` is the data set as it was before undo (commit 142340c), byte for byte:
version 1, no ids, nothing undone, 10,000 events in the big type."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

TYPES = 1000
EVENTS_PER_TYPE = 100
BIG_TYPE_EVENTS = 10_000
BIG_TYPE_NAME = "Big Box Ёлка"
UNDONE_EVERY = 10  # in the big type, every tenth event was a mistake, taken back 30 s later
UNDO_DELAY = timedelta(seconds=30)

FACTIONS = ("Space Marines", "Orks", "Aeldari", "Некроны", "Тираниды", "Ёжики", "Stormcast")
STEPS: tuple[tuple[str | None, str, int], ...] = (
    (None, "IN_BOX", 5),
    ("IN_BOX", "BUILDING", 1),
    ("BUILDING", "PRIMING", 1),
    ("PRIMING", "PAINTING", 1),
    ("PAINTING", "DONE", 1),
)
START = datetime(2024, 1, 1, tzinfo=UTC)
GROUPS = 30
GROUP_NAMES = tuple(f"{FACTIONS[n % len(FACTIONS)]} army {n:02d}" for n in range(GROUPS))
RECIPE = (
    "Base: Macragge Blue, two thin coats.\nShade: Nuln Oil in the recesses.\n"
    "Edge: Calgar Blue, then Fenrisian Grey on the corners.\tVarnish: matt."
)
EVENT_SPACING = timedelta(minutes=7)
# The SHA-256 of `backup_bytes(1)`, the file commit 142340c's benchmark imported.
V1_SHA256 = "11938c15bd7b375981c720e27446acbcfcb121bf4f75f61a92ce5d19d2d634fb"


def type_name(index: int) -> str:
    return f"{FACTIONS[index % len(FACTIONS)]} {index:04d}"


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def history_and_counts(
    events: int, start: datetime, *, with_ids: bool = True, undone_every: int = 0
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    history: list[dict[str, Any]] = []
    counts = dict.fromkeys(("IN_BOX", "BUILDING", "PRIMING", "PAINTING", "DONE"), 0)
    at = start
    for number in range(events):
        from_stage, to_stage, qty = STEPS[number % len(STEPS)]
        event_id = len(history) + 1
        event = {"from_stage": from_stage, "to_stage": to_stage, "qty": qty, "at": stamp(at)}
        history.append({"id": event_id, **event} if with_ids else event)
        if undone_every and number % undone_every == undone_every - 1:
            undo = {"from_stage": to_stage, "to_stage": from_stage, "qty": qty}
            history.append(
                {"id": event_id + 1, **undo, "at": stamp(at + UNDO_DELAY), "undoes": event_id}
            )
        else:
            if from_stage is not None:
                counts[from_stage] -= qty
            counts[to_stage] += qty
        at += EVENT_SPACING
    return history, counts


def backup_file(version: int = 3) -> dict[str, Any]:
    with_ids = version >= 2
    grouped = version >= 3
    types: list[dict[str, Any]] = []
    for index in range(TYPES):
        start = START + timedelta(hours=index)
        history, counts = history_and_counts(EVENTS_PER_TYPE, start, with_ids=with_ids)
        created = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        entry: dict[str, Any] = {"name": type_name(index)}
        if grouped:
            entry["group"] = GROUP_NAMES[index % GROUPS]
            entry["notes"] = RECIPE if index % 3 == 0 else ""
        types.append({**entry, "created_at": created, "counts": counts, "history": history})
    history, counts = history_and_counts(
        BIG_TYPE_EVENTS, START, with_ids=with_ids, undone_every=UNDONE_EVERY if with_ids else 0
    )
    types.append(
        {
            "name": BIG_TYPE_NAME,
            "created_at": "2024-01-01T00:00:00Z",
            "counts": counts,
            "history": history,
        }
    )
    groups = [{"name": name, "created_at": stamp(START)} for name in GROUP_NAMES]
    return {
        "format": "miniatures-tracker",
        "version": version,
        "exported_at": "2026-01-01T00:00:00Z",
        **({"groups": groups} if grouped else {}),
        "types": types,
    }


def backup_bytes(version: int = 3) -> bytes:
    return json.dumps(backup_file(version), ensure_ascii=False, separators=(",", ":")).encode()
