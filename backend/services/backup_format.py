"""The backup file: its shape, and the check of a file against its rules.

A file is checked as it is read, token by token (ijson), in file order: the first broken rule
stops the check, and only the checked values are kept (a tuple per event), never a tree of the
whole document. So a file costs memory in proportion to what it validly holds, and an invalid
one is given up at its first error, whatever follows. The rest of the body is still read (and
nothing kept) for one reason: a body that is not JSON at all is NOT_JSON, wherever the damage is.

Choices the contract leaves open: a negative number is NEGATIVE, a qty of 0 or a number over
the maximum is OUT_OF_RANGE; a stage that is not a string is NOT_STRING; `null` for an
optional key (`created_at`, `counts`, `history`) means absent; `exported_at` is not checked;
a name with a NUL character (which PostgreSQL text cannot hold) is NOT_STRING; a string with
an escaped lone surrogate ("\\ud800", which no text can hold) makes the body NOT_JSON; an
event's stages break INVALID_TRANSITION (at `to_stage`) where the second of them is read; a
key given twice in one object is checked each time, and the last one counts.
`"id": null` and `"undoes": null` mean absent; an undo event whose own values are each valid
but do not reverse the event it names is UNDO_MISMATCH, checked after the event's other rules.
In a version 2 file whose `version` comes after `types`, the body is scanned ahead once for it.

The pydantic models below describe the file in the API description; the check follows the
same field types (a name is checked by the very rules of `POST /types`).
"""

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, NamedTuple, NotRequired

import ijson
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from backend import errors
from backend.names import name_key
from backend.schemas import Count, Name, StageField
from backend.stages import MAX_COUNT, STAGES, Stage, is_forward

FORMAT = "miniatures-tracker"
VERSION = 2  # what export writes
LINKED_VERSION = 2  # from this version on, events carry ids and undo events their links
READABLE_VERSIONS = (1, 2)

# --- the shape, for the API description ------------------------------------------------------

DESCRIBED = ConfigDict(extra="ignore")
BackupTime = AwareDatetime  # ISO 8601 with a zone


class BackupEvent(TypedDict):
    id: NotRequired[int]  # version 2: unique within its type's history in this file
    undoes: NotRequired[int]  # version 2: the id of the earlier event this one reverses
    from_stage: Stage | None
    to_stage: Stage | None  # null only in an undo of an addition
    qty: Annotated[int, Field(ge=1, le=MAX_COUNT)]
    at: BackupTime


class BackupType(BaseModel):
    model_config = DESCRIBED

    name: Name
    created_at: BackupTime | None = None
    counts: dict[StageField, Count] | None = None
    history: list[BackupEvent] | None = None


class BackupFile(BaseModel):
    """The whole database as one JSON document (see the contract, "The backup file")."""

    model_config = DESCRIBED

    format: str = Field(examples=[FORMAT])
    version: int = Field(examples=[VERSION])
    exported_at: Any = Field(
        default=None,
        description="When the file was written; not checked on import.",
        examples=["2026-11-26T10:00:00Z"],
    )
    types: list[BackupType]


# The contract's `rule` values of ERR_IMPORT_INVALID: the UI has a message for each.
IMPORT_RULES = (
    "NOT_JSON",
    "NOT_OBJECT",
    "NOT_ARRAY",
    "NOT_STRING",
    "NOT_INTEGER",
    "MISSING",
    "UNKNOWN_FORMAT",
    "UNKNOWN_VERSION",
    "NAME_REQUIRED",
    "NAME_TOO_LONG",
    "DUPLICATE_NAME",
    "INVALID_STAGE",
    "INVALID_TRANSITION",
    "NEGATIVE",
    "OUT_OF_RANGE",
    "INVALID_TIME",
    # version 2: event ids and undo links
    "DUPLICATE_ID",
    "UNKNOWN_EVENT",
    "ALREADY_UNDONE",
    "UNDO_MISMATCH",
)

# --- what a checked file holds ---------------------------------------------------------------


class ImportEvent(NamedTuple):
    from_stage: Stage | None
    to_stage: Stage | None  # None only in an undo of an addition
    qty: int
    at: datetime  # in UTC
    undoes: int | None  # an undo event: the place in its type's history of the event it undoes


@dataclass(slots=True)
class ImportType:
    name: str
    key: str  # the name key
    created_at: datetime | None = None
    counts: dict[Stage, int] = field(default_factory=dict)
    history: list[ImportEvent] = field(default_factory=list)


@dataclass(slots=True)
class ImportFile:
    """A backup file that broke no rule."""

    types: list[ImportType]


# --- the check -------------------------------------------------------------------------------

Tokens = Iterator[tuple[str, Any]]

STAGE_NAMES: dict[str, Stage] = {stage.value: stage for stage in STAGES}
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_ABSENT: Any = object()

# ISO 8601 date and time with a zone, as exported; "1700000000" or a date alone is not a time.
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})")
# An escaped UTF-16 surrogate, with the backslashes before it (an even run escapes itself),
# and the low half that may follow a high one.
_SURROGATE = re.compile(rb"(\\+)u[dD]([0-9a-fA-F])[0-9a-fA-F]{2}(\\u[dD][c-fC-F][0-9a-fA-F]{2})?")

_NAME: TypeAdapter[str] = TypeAdapter(Name)
_NAME_RULES = {"name_required": "NAME_REQUIRED", "name_too_long": "NAME_TOO_LONG"}


class _Broken(Exception):
    """The first broken rule: where (a path as the contract writes it) and which."""

    def __init__(self, rule: str, path: str = "") -> None:
        super().__init__(rule)
        self.rule = rule
        self.path = path


def parse_backup(body: bytes) -> ImportFile:
    """The checked types of a backup file, or ERR_IMPORT_INVALID for its first broken rule."""
    if _has_lone_surrogate(body):
        raise errors.ImportInvalid(path="", rule="NOT_JSON")
    tokens: Tokens = ijson.basic_parse(body)
    broken: _Broken | None = None
    try:
        try:
            types = _document(tokens, body)
        except _Broken as first:
            broken, types = first, []
        deque(tokens, maxlen=0)  # to the end: trailing garbage or a cut-off file is NOT_JSON
    except (ijson.JSONError, UnicodeDecodeError):
        raise errors.ImportInvalid(path="", rule="NOT_JSON") from None
    if broken is not None:
        raise errors.ImportInvalid(path=broken.path, rule=broken.rule)
    return ImportFile(types)


def _has_lone_surrogate(body: bytes) -> bool:
    for match in _SURROGATE.finditer(body):
        if len(match[1]) % 2 == 0:
            continue  # "\\ud800": an escaped backslash, then plain text
        if match[2] not in b"89abAB" or match[3] is None:
            return True  # a low half alone, or a high half without its low one
    return False


def _skip(tokens: Tokens, event: str) -> None:
    """Past a value that is not checked (an unknown key's)."""
    if event not in _OPEN:
        return
    depth = 1
    for event, _ in tokens:
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
            if not depth:
                return


def _document(tokens: Tokens, body: bytes) -> list[ImportType]:
    event, _ = next(tokens)
    if event != "start_map":
        raise _Broken("NOT_OBJECT")
    found: set[str] = set()
    types: list[ImportType] = []
    version: Any = None
    for event, key in tokens:
        if event == "end_map":
            break
        event, value = next(tokens)
        if key == "format":
            if event != "string":
                raise _Broken("NOT_STRING", key)
            if value != FORMAT:
                raise _Broken("UNKNOWN_FORMAT", key)
        elif key == "version":
            version = _integer(event, value, key)
            if version not in READABLE_VERSIONS:
                raise _Broken("UNKNOWN_VERSION", key)
        elif key == "types":
            if event != "start_array":
                raise _Broken("NOT_ARRAY", key)
            if "version" not in found:
                version = _version_ahead(body)
            types = _types(tokens, linked=version == LINKED_VERSION)
        else:
            _skip(tokens, event)
            continue
        found.add(key)
    for key in ("format", "version", "types"):
        if key not in found:
            raise _Broken("MISSING", key)
    return types


def _version_ahead(body: bytes) -> Any:
    """The top-level `version` of a file that writes it after `types` (None if there is none
    or the body breaks first: the check in file order reports that)."""
    depth = 0
    tokens: Tokens = ijson.basic_parse(body)
    try:
        for event, value in tokens:
            if event in _OPEN:
                depth += 1
            elif event in _CLOSE:
                depth -= 1
            elif depth == 1 and event == "map_key" and value == "version":
                event, value = next(tokens)
                return value if event == "number" else None
    except (ijson.JSONError, UnicodeDecodeError):
        pass
    return None


def _types(tokens: Tokens, *, linked: bool) -> list[ImportType]:
    types: list[ImportType] = []
    keys: set[str] = set()
    for index, (event, _) in enumerate(tokens):
        if event == "end_array":
            break
        where = f"types[{index}]"
        if event != "start_map":
            raise _Broken("NOT_OBJECT", where)
        entry = _type(tokens, where, keys, linked)
        types.append(entry)
        keys.add(entry.key)
    return types


def _type(tokens: Tokens, where: str, earlier_keys: set[str], linked: bool) -> ImportType:
    entry = ImportType(name="", key="")
    named = False
    for event, key in tokens:
        if event == "end_map":
            break
        event, value = next(tokens)
        if key == "name":
            entry.name = _name(event, value, f"{where}.name")
            entry.key = name_key(entry.name)
            if entry.key in earlier_keys:
                raise _Broken("DUPLICATE_NAME", f"{where}.name")
            named = True
        elif key == "created_at":
            entry.created_at = None if event == "null" else _time(event, value, f"{where}.{key}")
        elif key == "counts":
            entry.counts = {} if event == "null" else _counts(tokens, event, f"{where}.{key}")
        elif key == "history":
            entry.history = (
                [] if event == "null" else _history(tokens, event, f"{where}.{key}", linked)
            )
        else:
            _skip(tokens, event)
    if not named:
        raise _Broken("MISSING", f"{where}.name")
    return entry


def _name(event: str, value: Any, where: str) -> str:
    if event != "string":
        raise _Broken("NOT_STRING", where)
    try:
        return _NAME.validate_python(value)
    except ValidationError as error:
        raise _Broken(_NAME_RULES.get(error.errors()[0]["type"], "NOT_STRING"), where) from None


def _integer(event: str, value: Any, where: str) -> int:
    if event != "number" or type(value) is not int:  # a fraction arrives as a Decimal
        raise _Broken("NOT_INTEGER", where)
    return int(value)


def _count(event: str, value: Any, where: str, minimum: int) -> int:
    number = _integer(event, value, where)
    if number < 0:
        raise _Broken("NEGATIVE", where)
    if not minimum <= number <= MAX_COUNT:
        raise _Broken("OUT_OF_RANGE", where)
    return number


def _time(event: str, value: Any, where: str) -> datetime:
    if event != "string":
        raise _Broken("NOT_STRING", where)
    if not _ISO_TIME.fullmatch(value):
        raise _Broken("INVALID_TIME", where)
    try:
        # In UTC: a time whose UTC date is past year 9999 (or before 1) could never be exported.
        return datetime.fromisoformat(value.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Broken("INVALID_TIME", where) from None


def _counts(tokens: Tokens, event: str, where: str) -> dict[Stage, int]:
    if event != "start_map":
        raise _Broken("NOT_OBJECT", where)
    counts: dict[Stage, int] = {}
    for event, key in tokens:
        if event == "end_map":
            break
        stage = STAGE_NAMES.get(key)
        if stage is None:
            raise _Broken("INVALID_STAGE", f"{where}.{key}")
        event, value = next(tokens)
        counts[stage] = _count(event, value, f"{where}.{key}", 0)
    return counts


def _stage(event: str, value: Any, where: str) -> Stage:
    if event != "string":
        raise _Broken("INVALID_STAGE" if event == "null" else "NOT_STRING", where)
    stage = STAGE_NAMES.get(value)
    if stage is None:
        raise _Broken("INVALID_STAGE", where)
    return stage


def _history(tokens: Tokens, event: str, where: str, linked: bool) -> list[ImportEvent]:
    if event != "start_array":
        raise _Broken("NOT_ARRAY", where)
    history: list[ImportEvent] = []
    append = history.append
    links = _Links() if linked else None
    for index, (event, _) in enumerate(tokens):
        if event == "end_array":
            break
        if event != "start_map":
            raise _Broken("NOT_OBJECT", f"{where}[{index}]")
        if links is None:
            append(_event(tokens, f"{where}[{index}]"))
        else:
            append(_linked_event(tokens, f"{where}[{index}]", history, links))
    return history


def _event(tokens: Tokens, where: str) -> ImportEvent:
    """One event of a version 1 file; the hot path of a large file, so its keys are matched
    inline."""
    from_stage = to_stage = qty = at = _ABSENT
    for event, key in tokens:
        if event == "end_map":
            break
        event, value = next(tokens)
        if key == "from_stage":
            from_stage = None if event == "null" else _stage(event, value, f"{where}.{key}")
        elif key == "to_stage":
            to_stage = _stage(event, value, f"{where}.{key}")
        elif key == "qty":
            qty = _count(event, value, f"{where}.{key}", 1)
            continue
        elif key == "at":
            at = _time(event, value, f"{where}.{key}")
            continue
        else:
            _skip(tokens, event)
            continue
        if (
            from_stage is not _ABSENT
            and to_stage is not _ABSENT
            and not is_forward(from_stage, to_stage)
        ):
            raise _Broken("INVALID_TRANSITION", f"{where}.to_stage")
    _require(where, from_stage, to_stage, qty, at)
    return ImportEvent(from_stage, to_stage, qty, at, None)


def _require(where: str, from_stage: Any, to_stage: Any, qty: Any, at: Any) -> None:
    fields = (("from_stage", from_stage), ("to_stage", to_stage), ("qty", qty), ("at", at))
    for key, value in fields:
        if value is _ABSENT:
            raise _Broken("MISSING", f"{where}.{key}")


@dataclass(slots=True)
class _Links:
    """What the undo links of one type's history may name so far (places in the history)."""

    places: dict[int, int] = field(default_factory=dict)  # the file's event id -> its place
    undone: set[int] = field(default_factory=set)


def _linked_event(
    tokens: Tokens, where: str, history: list[ImportEvent], links: _Links
) -> ImportEvent:
    """One event of a version 2 file. Whether it is an undo (its `undoes`, wherever that stands
    in the object) decides its stage rules, so the object's values are read first."""
    values: list[tuple[str, str, Any]] = []
    for event, key in tokens:
        if event == "end_map":
            break
        event, value = next(tokens)
        _skip(tokens, event)  # a nested value is never a valid one: its first token says so
        values.append((key, event, value))
    is_undo = next((e != "null" for k, e, _ in reversed(values) if k == "undoes"), False)
    from_stage = to_stage = qty = at = _ABSENT
    event_id = target = None
    for key, event, value in values:
        path = f"{where}.{key}"
        if key == "from_stage":
            from_stage = None if event == "null" else _stage(event, value, path)
        elif key == "to_stage":
            to_stage = None if event == "null" and is_undo else _stage(event, value, path)
        elif key == "qty":
            qty = _count(event, value, path, 1)
            continue
        elif key == "at":
            at = _time(event, value, path)
            continue
        elif key == "id":
            event_id = None if event == "null" else _integer(event, value, path)
            if event_id in links.places:
                raise _Broken("DUPLICATE_ID", path)
            continue
        elif key == "undoes":
            target = None if event == "null" else _undone_place(event, value, path, history, links)
            continue
        else:
            continue
        if (
            not is_undo
            and from_stage is not _ABSENT
            and to_stage is not _ABSENT
            and not is_forward(from_stage, to_stage)
        ):
            raise _Broken("INVALID_TRANSITION", f"{where}.to_stage")
    _require(where, from_stage, to_stage, qty, at)
    if target is not None:
        undone = history[target]
        if (from_stage, to_stage, qty) != (undone.to_stage, undone.from_stage, undone.qty):
            raise _Broken("UNDO_MISMATCH", f"{where}.undoes")
        links.undone.add(target)
    if event_id is not None:
        links.places[event_id] = len(history)
    return ImportEvent(from_stage, to_stage, qty, at, target)


def _undone_place(
    event: str, value: Any, where: str, history: list[ImportEvent], links: _Links
) -> int:
    place = links.places.get(_integer(event, value, where))
    if place is None or history[place].undoes is not None:
        raise _Broken("UNKNOWN_EVENT", where)
    if place in links.undone:
        raise _Broken("ALREADY_UNDONE", where)
    return place
