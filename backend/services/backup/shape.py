"""The backup file's shape: its format and versions, the rules an import reports, and the
pydantic models that describe the file in the API description (the check in `check.py`
follows the same field types; a name is checked by the very rules of `POST /types`)."""

from typing import Annotated, Any, NotRequired

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from backend.limits import MAX_COUNT
from backend.schemas import Count, Name, Notes, StageField
from backend.stages import Stage

FORMAT = "miniatures-tracker"
VERSION = 3  # what export writes
LINKED_VERSION = 2  # from this version on, events carry ids and undo events their links
GROUPED_VERSION = 3  # from this version on, the file has groups and types their notes
READABLE_VERSIONS = (1, 2, 3)

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
    # version 3: groups and notes
    "UNKNOWN_GROUP",
    "NOTES_TOO_LONG",
)

DESCRIBED = ConfigDict(extra="ignore")
BackupTime = AwareDatetime  # ISO 8601 with a zone


class BackupEvent(TypedDict):
    id: NotRequired[int]  # version 2: unique within its type's history in this file
    undoes: NotRequired[int]  # version 2: the id of the earlier event this one reverses
    from_stage: Stage | None
    to_stage: Stage | None  # null only in an undo of an addition
    qty: Annotated[int, Field(ge=1, le=MAX_COUNT)]
    at: BackupTime


class BackupGroup(BaseModel):
    """Version 3: a group of the file; its name unique among the file's groups."""

    model_config = DESCRIBED

    name: Name
    created_at: BackupTime | None = None


class BackupType(BaseModel):
    model_config = DESCRIBED

    name: Name
    group: str | None = Field(
        default=None, description="Version 3: the name of one of the file's groups."
    )
    notes: Notes | None = Field(default=None, description="Version 3: the type's notes.")
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
    groups: list[BackupGroup] | None = Field(
        default=None, description="Version 3: written before `types`."
    )
    types: list[BackupType]
