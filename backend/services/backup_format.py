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

The pydantic models below describe the file in the API description; the check follows the
same field types (a name is checked by the very rules of `POST /types`).
"""

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, NamedTuple

import ijson
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from backend import errors
from backend.names import name_key
from backend.schemas import Count, Name, StageField
from backend.stages import MAX_COUNT, STAGES, Stage, is_forward

FORMAT = "miniatures-tracker"
VERSION = 1

# --- the shape, for the API description ------------------------------------------------------

DESCRIBED = ConfigDict(extra="ignore")
BackupTime = AwareDatetime  # ISO 8601 with a zone


class BackupEvent(TypedDict):
    from_stage: Stage | None
    to_stage: Stage
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
)

# --- what a checked file holds ---------------------------------------------------------------


class ImportEvent(NamedTuple):
    from_stage: Stage | None
    to_stage: Stage
    qty: int
    at: datetime  # in UTC


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
            types = _document(tokens)
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


def _document(tokens: Tokens) -> list[ImportType]:
    event, _ = next(tokens)
    if event != "start_map":
        raise _Broken("NOT_OBJECT")
    found: set[str] = set()
    types: list[ImportType] = []
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
            if _integer(event, value, key) != VERSION:
                raise _Broken("UNKNOWN_VERSION", key)
        elif key == "types":
            if event != "start_array":
                raise _Broken("NOT_ARRAY", key)
            types = _types(tokens)
        else:
            _skip(tokens, event)
            continue
        found.add(key)
    for key in ("format", "version", "types"):
        if key not in found:
            raise _Broken("MISSING", key)
    return types


def _types(tokens: Tokens) -> list[ImportType]:
    types: list[ImportType] = []
    keys: set[str] = set()
    for index, (event, _) in enumerate(tokens):
        if event == "end_array":
            break
        where = f"types[{index}]"
        if event != "start_map":
            raise _Broken("NOT_OBJECT", where)
        entry = _type(tokens, where, keys)
        types.append(entry)
        keys.add(entry.key)
    return types


def _type(tokens: Tokens, where: str, earlier_keys: set[str]) -> ImportType:
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
            entry.history = [] if event == "null" else _history(tokens, event, f"{where}.{key}")
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


def _history(tokens: Tokens, event: str, where: str) -> list[ImportEvent]:
    if event != "start_array":
        raise _Broken("NOT_ARRAY", where)
    history: list[ImportEvent] = []
    append = history.append
    for index, (event, _) in enumerate(tokens):
        if event == "end_array":
            break
        if event != "start_map":
            raise _Broken("NOT_OBJECT", f"{where}[{index}]")
        append(_event(tokens, f"{where}[{index}]"))
    return history


def _event(tokens: Tokens, where: str) -> ImportEvent:
    """One event; the hot path of a large file, so its keys are matched inline."""
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
    fields = (("from_stage", from_stage), ("to_stage", to_stage), ("qty", qty), ("at", at))
    for key, value in fields:
        if value is _ABSENT:
            raise _Broken("MISSING", f"{where}.{key}")
    return ImportEvent(from_stage, to_stage, qty, at)
