"""The backup file: its shape, its rules, and the first broken rule in file order.

The whole document is validated by pydantic in strict mode before the database is touched.
Events are TypedDicts, not models: 100k of them validate in a tenth of a second. Rules that
need more than one value (unique names) run after the field checks, over the same document.

Choices the contract leaves open: a negative number is NEGATIVE, a qty of 0 or a number over
the maximum is OUT_OF_RANGE; a stage that is not a string is NOT_STRING; `null` for an
optional key (`created_at`, `counts`, `history`) means absent; `exported_at` is not checked;
a name with a NUL character (which PostgreSQL text cannot hold) is NOT_STRING.
"""

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    with_config,
)
from pydantic_core import ErrorDetails, PydanticCustomError
from typing_extensions import TypedDict

from backend import errors
from backend.names import name_key
from backend.schemas import Count, Name, StageField
from backend.stages import MAX_COUNT, Stage, is_forward

FORMAT = "miniatures-tracker"
VERSION = 1

STRICT = ConfigDict(strict=True, extra="ignore")


def _known_format(value: str) -> str:
    if value != FORMAT:
        raise PydanticCustomError("unknown_format", "not a backup of this app")
    return value


def _known_version(value: int) -> int:
    if value != VERSION:
        raise PydanticCustomError("unknown_version", "a version this app cannot read")
    return value


def _forward(to_stage: Stage, info: ValidationInfo) -> Stage:
    # from_stage is validated first (field order); absent from data when it was itself wrong.
    if "from_stage" in info.data and not is_forward(info.data["from_stage"], to_stage):
        raise PydanticCustomError("invalid_transition", "to_stage must come after from_stage")
    return to_stage


# ISO 8601 date and time with a zone, as exported; pydantic alone would also take a number of
# seconds written as a string ("1700000000").
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})")


def _iso_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "a time written as text")
    if not _ISO_TIME.fullmatch(value):
        raise PydanticCustomError("datetime_parsing", "an ISO 8601 time with a zone")
    return value


def _storable_time(moment: datetime) -> datetime:
    # "9999-12-31T23:59:59-01:00" is year 10000 in UTC: PostgreSQL would store it, but it could
    # never be read back or exported.
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_parsing", "a time between years 1 and 9999") from None


# Lax inside: the text, already checked above, is parsed as a Python string.
BackupTime = Annotated[
    AwareDatetime,
    Field(strict=False),
    BeforeValidator(_iso_text),
    AfterValidator(_storable_time),
]
EventQty = Annotated[int, Field(ge=1, le=MAX_COUNT)]


@with_config(STRICT)
class BackupEvent(TypedDict):
    from_stage: Stage | None
    to_stage: Annotated[Stage, AfterValidator(_forward)]
    qty: EventQty
    at: BackupTime


class BackupType(BaseModel):
    model_config = STRICT

    name: Name
    created_at: BackupTime | None = None
    counts: dict[StageField, Count] | None = None
    history: list[BackupEvent] | None = None


class BackupFile(BaseModel):
    """The whole database as one JSON document (see the contract, "The backup file")."""

    model_config = STRICT

    format: Annotated[str, AfterValidator(_known_format)] = Field(examples=[FORMAT])
    version: Annotated[int, AfterValidator(_known_version)] = Field(examples=[VERSION])
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

_RULES = {
    "json_invalid": "NOT_JSON",
    "model_type": "NOT_OBJECT",
    "model_attributes_type": "NOT_OBJECT",
    "dict_type": "NOT_OBJECT",
    "list_type": "NOT_ARRAY",
    "string_type": "NOT_STRING",
    "invalid_name": "NOT_STRING",
    "int_type": "NOT_INTEGER",
    "missing": "MISSING",
    "unknown_format": "UNKNOWN_FORMAT",
    "unknown_version": "UNKNOWN_VERSION",
    "name_required": "NAME_REQUIRED",
    "name_too_long": "NAME_TOO_LONG",
    "invalid_transition": "INVALID_TRANSITION",
    "timezone_aware": "INVALID_TIME",
    "datetime_parsing": "INVALID_TIME",
    "datetime_from_date_parsing": "INVALID_TIME",
    "datetime_object_invalid": "INVALID_TIME",
}
_NUMBER_ERRORS = frozenset({"invalid_qty", "greater_than_equal", "less_than_equal"})
_STAGE_ERRORS = frozenset({"enum", "invalid_stage"})


def _rule(problem: ErrorDetails) -> str:
    kind, value = problem["type"], problem.get("input")
    if kind in _NUMBER_ERRORS:
        if type(value) is not int:
            return "NOT_INTEGER"
        return "NEGATIVE" if value < 0 else "OUT_OF_RANGE"
    if kind in _STAGE_ERRORS:
        return "INVALID_STAGE" if value is None or isinstance(value, str) else "NOT_STRING"
    if kind == "datetime_type":
        return "INVALID_TIME" if isinstance(value, str) else "NOT_STRING"
    # Any other shape error: the value is not what the file format says is there.
    return _RULES.get(kind, "NOT_OBJECT")


def _path(loc: Sequence[int | str]) -> str:
    """('types', 2, 'history', 5, 'at') -> 'types[2].history[5].at'."""
    path = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _position(document: Any, loc: Sequence[int | str]) -> tuple[int, ...]:
    """Where a location sits in the file; a missing key sits at the end of its object."""
    position: list[int] = []
    node = document
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(node, dict):
            keys = list(node)
            if part in node:
                position.append(keys.index(part))
                node = node[part]
            else:
                position.append(len(keys))
                node = None
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            position.append(part)
            node = node[part]
        else:
            break
    return tuple(position)


_NAME: TypeAdapter[str] = TypeAdapter(Name)


def _valid_name(value: Any) -> str | None:
    try:
        return _NAME.validate_python(value, strict=True)
    except ValidationError:
        return None


def _duplicates(names: Iterable[tuple[int, str | None]]) -> Iterator[tuple[int | str, ...]]:
    """The location of every name whose key an earlier type already has."""
    seen: set[str] = set()
    for index, name in names:
        if name is None:
            continue
        key = name_key(name)
        if key in seen:
            yield ("types", index, "name")
        seen.add(key)


def _raw_names(document: Any) -> Iterator[tuple[int, str | None]]:
    types = document.get("types") if isinstance(document, dict) else None
    for index, entry in enumerate(types if isinstance(types, list) else []):
        yield index, _valid_name(entry.get("name")) if isinstance(entry, dict) else None


def _invalid(path: str, rule: str) -> errors.AppError:
    return errors.ImportInvalid(path=path, rule=rule)


def parse_backup(body: bytes) -> BackupFile:
    """The validated document, or ERR_IMPORT_INVALID for the first broken rule in the file."""
    try:
        backup = BackupFile.model_validate_json(body)
    except ValidationError as error:
        raise _first_problem(body, error.errors(include_url=False)) from None
    for loc in _duplicates((index, entry.name) for index, entry in enumerate(backup.types)):
        raise _invalid(_path(loc), "DUPLICATE_NAME")
    return backup


def _first_problem(body: bytes, problems: list[ErrorDetails]) -> errors.AppError:
    if any(problem["type"] == "json_invalid" for problem in problems):
        return _invalid("", "NOT_JSON")
    # Only on failure: the parsed document keeps the file's key order, which pydantic's
    # error list does not.
    document = json.loads(body)
    found = [(tuple(p["loc"]), _rule(p)) for p in problems]
    found += [(loc, "DUPLICATE_NAME") for loc in _duplicates(_raw_names(document))]
    loc, rule = min(found, key=lambda item: _position(document, item[0]))
    return _invalid(_path(loc), rule)
