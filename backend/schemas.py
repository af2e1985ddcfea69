"""Pydantic shapes on the wire, and the field types that carry the contract's error codes.

A field type that breaks a rule raises a custom pydantic error whose type names the contract
code (`invalid_qty`, `invalid_stage`, `name_required`, `name_too_long`, `notes_too_long`,
`group_not_found`); `backend.validation` turns those into the error envelope, and the backup
import into its `rule`.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from backend.limits import (
    MAX_COUNT,
    MAX_GROUP_ID,
    MAX_NAME_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_UNDO_EVENTS,
)
from backend.names import clean_name, clean_notes, name_key
from backend.stages import Stage


def _whole_number(minimum: int) -> WrapValidator:
    def validate(value: Any, handler: ValidatorFunctionWrapHandler, _: ValidationInfo) -> Any:
        # Strict: a JSON integer only; no "2", no 1.5, no true.
        if type(value) is not int or not minimum <= value <= MAX_COUNT:
            raise PydanticCustomError(
                "invalid_qty",
                "a whole number from {min} to {max}",
                {"min": minimum, "max": MAX_COUNT},
            )
        return handler(value)

    return WrapValidator(validate)


def _stage(value: Any, handler: ValidatorFunctionWrapHandler, _: ValidationInfo) -> Any:
    try:
        return handler(value)
    except ValidationError:
        raise PydanticCustomError("invalid_stage", "one of the five stages") from None


def _storable(text: str) -> bool:
    """PostgreSQL text cannot hold a NUL; UTF-8 cannot carry a lone surrogate ("\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _name(value: Any, handler: ValidatorFunctionWrapHandler, _: ValidationInfo) -> Any:
    if not isinstance(value, str):
        return handler(value)  # the wrong JSON type: a plain validation error
    if not _storable(value):  # a malformed field, not a name
        raise PydanticCustomError("invalid_name", "a name cannot contain NUL")
    name = clean_name(value)
    if not name_key(name):  # nothing visible: only spaces, control and invisible characters
        raise PydanticCustomError("name_required", "a name is required")
    if len(name) > MAX_NAME_LENGTH:
        raise PydanticCustomError(
            "name_too_long", "at most {max} characters", {"max": MAX_NAME_LENGTH}
        )
    return name


def _notes(value: Any, handler: ValidatorFunctionWrapHandler, _: ValidationInfo) -> Any:
    if not isinstance(value, str):
        return handler(value)  # the wrong JSON type: a plain validation error
    if not _storable(value.replace("\x00", " ")):  # a lone surrogate: no text holds it
        raise PydanticCustomError("invalid_notes", "notes must be text")
    notes = clean_notes(value)
    if len(notes) > MAX_NOTES_LENGTH:
        raise PydanticCustomError(
            "notes_too_long", "at most {max} characters", {"max": MAX_NOTES_LENGTH}
        )
    return notes


def _group_id(value: Any, handler: ValidatorFunctionWrapHandler, _: ValidationInfo) -> Any:
    if value is None:
        return None  # no group
    if type(value) is not int:  # strict, as for qty: no "3", no 3.0, no true
        raise PydanticCustomError("group_id", "a group id or null")
    if not 1 <= value <= MAX_GROUP_ID:  # an id no group can have: names no group
        raise PydanticCustomError("group_not_found", "no such group")
    return handler(value)


Qty = Annotated[int, Field(ge=1, le=MAX_COUNT), _whole_number(1)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT), _whole_number(0)]
StageField = Annotated[Stage, WrapValidator(_stage)]
# No maxLength in the schema: the limit holds after trimming, so " " + 100 letters is valid.
Name = Annotated[
    str,
    Field(min_length=1, description=f"1 to {MAX_NAME_LENGTH} characters after trimming"),
    WrapValidator(_name),
]
# No maxLength either: the limit holds after trailing whitespace is trimmed.
Notes = Annotated[
    str,
    Field(
        description=f"Free text, at most {MAX_NOTES_LENGTH} characters after trailing whitespace "
        "is trimmed; line breaks and tabs kept, other control characters made spaces"
    ),
    WrapValidator(_notes),
]
GroupRef = Annotated[
    int | None, Field(description="A group's id, or null: no group"), WrapValidator(_group_id)
]


class ErrorBody(BaseModel):
    """Every error response: a constant code and its parameters, never prose."""

    code: str = Field(examples=["ERR_INSUFFICIENT_QTY"])
    params: dict[str, Any] = Field(examples=[{"available": 3}])


# The answers that can be long (a thousand types, ten thousand history groups) are
# TypedDicts: the services build plain dicts and the routes serialise them in pydantic's core
# (`backend.api.responses.json_response`), with no model object per row.


class Counts(TypedDict):
    IN_BOX: int
    BUILDING: int
    PRIMING: int
    PAINTING: int
    DONE: int


class TypeFields(TypedDict):
    id: int
    name: str
    group_id: int | None
    counts: Counts
    total: int
    created_at: datetime


class TypeOut(TypeFields):
    """One type, as every single-type answer gives it: with its notes."""

    notes: str


class TypeListItem(TypeFields):
    """A type in the list: whether it has notes instead of the notes, so the list stays small."""

    has_notes: bool


class ChangedType(TypeOut):
    """A type after an add or a move, and the id of the event that change wrote (to undo it)."""

    event_id: int


class Health(BaseModel):
    status: str = "ok"
    version: str


class RequestBody(BaseModel):
    """Request bodies: unknown keys are ignored, as in the backup file."""

    model_config = ConfigDict(extra="ignore")


class TypeCreate(RequestBody):
    name: Name
    counts: dict[StageField, Count] | None = None
    group_id: GroupRef = None
    notes: Notes = ""


# The fields a PATCH may change; one given as null is wrong, except `group_id`.
TYPE_CHANGES = ("name", "group_id", "notes")


class TypeChange(RequestBody):
    """Any of the three, at least one (`{}` is ERR_VALIDATION); each given is checked as on
    creation, and null is refused but for `group_id`. Read only the fields given
    (`model_fields_set`): the others hold None."""

    name: Annotated[Name, Field(default=None)]
    group_id: GroupRef = None
    notes: Annotated[Notes, Field(default=None)]


class GroupName(RequestBody):
    name: Name


class GroupOut(TypedDict):
    """A group, with its types' counts summed."""

    id: int
    name: str
    created_at: datetime
    types: int
    counts: Counts
    total: int


class GroupList(TypedDict):
    groups: list[GroupOut]


class AddMiniatures(RequestBody):
    stage: StageField = Stage.IN_BOX
    qty: Qty


class MoveMiniatures(RequestBody):
    from_stage: StageField
    to_stage: StageField
    qty: Qty


def _event_ids(value: Any, handler: ValidatorFunctionWrapHandler, _: ValidationInfo) -> Any:
    # Strict JSON integers, as for qty; one message for every way the list can be wrong.
    if (
        type(value) is not list
        or not 1 <= len(value) <= MAX_UNDO_EVENTS
        or any(type(item) is not int or item < 1 for item in value)
        or len(set(value)) != len(value)
    ):
        raise PydanticCustomError(
            "event_ids",
            "1 to {max} distinct positive integers",
            {"max": MAX_UNDO_EVENTS},
        )
    return handler(value)


class UndoEvents(RequestBody):
    event_ids: Annotated[
        list[Annotated[int, Field(ge=1)]],
        Field(min_length=1, max_length=MAX_UNDO_EVENTS, description="Distinct event ids"),
        WrapValidator(_event_ids),
    ]


class HistoryGroup(TypedDict):
    from_stage: Stage | None
    to_stage: Stage
    qty: int
    events: int
    at: datetime
    last_at: datetime
    event_ids: list[int]


class History(TypedDict):
    groups: list[HistoryGroup]


class Totals(Counts):
    total: int


class MonthStats(BaseModel):
    month: str = Field(examples=["2026-11"])
    added: int
    finished: int


class Stats(BaseModel):
    totals: Totals
    months: list[MonthStats]


# --- backups: the import's answer, and the app's own copies ------------------------------


class ImportMode(StrEnum):
    MERGE = "merge"
    REPLACE = "replace"


class ImportSummary(BaseModel):
    types_created: int
    types_merged: int
    events_added: int
    groups_created: int = Field(
        default=0,
        description="Groups the file brings that the database did not hold (all of the "
        "file's groups for a replace); 0 for a file without groups.",
    )
    safety_copy: str | None = Field(
        default=None,
        description="File name of the copy of the database written before this import, in "
        "the data folder's backups/ (null for a dry run or when the database was empty).",
        examples=["before-import-2026-11-26T100000Z.json"],
    )
    types_deleted: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="A replace dry run: the types the database holds now, which the replace "
        "would delete (absent otherwise).",
    )
    miniatures_deleted: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="A replace dry run: the miniatures the database holds now, all stages "
        "(absent otherwise).",
    )


class CopyKind(StrEnum):
    DAILY = "daily"
    BEFORE_IMPORT = "before-import"
    MANUAL = "manual"


class BackupEntry(BaseModel):
    """One of the app's own copies, as `GET /backups` lists it."""

    name: str = Field(examples=["daily-2026-11-30T020000Z.json"])
    kind: CopyKind
    at: datetime = Field(description="When the copy was taken (UTC).")
    bytes: int = Field(description="Size of the file.")
    types: int = Field(description="Types in the copy.")
    miniatures: int = Field(description="Miniatures in the copy, all stages.")


class BackupList(BaseModel):
    backups: list[BackupEntry] = Field(description="Newest first.")


class SessionOpen(RequestBody):
    """One of the two: a pairing code from this computer, or the server's access key."""

    pair: Annotated[str, Field(max_length=200)] | None = None
    key: Annotated[str, Field(max_length=1000)] | None = None


class Pairing(BaseModel):
    code: str
    url: str
    expires_at: datetime


class DeviceOut(TypedDict):
    id: int
    label: str
    created_at: datetime
    last_seen_at: datetime


class DeviceList(TypedDict):
    devices: list[DeviceOut]


class NetworkChange(RequestBody):
    enabled: Annotated[bool, Field(strict=True)]
