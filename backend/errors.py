"""Domain errors and the one error envelope every error response has: {code, params}.

The backend never sends prose: the UI turns the code into text in the user's language.
"""

from typing import Any, ClassVar


class AppError(Exception):
    """An error the contract names: a status, a constant code and its params."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "ERR_INTERNAL"

    def __init__(self, **params: Any) -> None:
        super().__init__(self.code)
        self.params: dict[str, Any] = params

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def _error(name: str, code: str, status: int = 400) -> type[AppError]:
    return type(name, (AppError,), {"code": code, "status": status})


NameRequired = _error("NameRequired", "ERR_NAME_REQUIRED")
NameTooLong = _error("NameTooLong", "ERR_NAME_TOO_LONG")
NameTaken = _error("NameTaken", "ERR_NAME_TAKEN")
InvalidStage = _error("InvalidStage", "ERR_INVALID_STAGE")
InvalidQty = _error("InvalidQty", "ERR_INVALID_QTY")
InvalidStageTransition = _error("InvalidStageTransition", "ERR_INVALID_STAGE_TRANSITION")
InsufficientQty = _error("InsufficientQty", "ERR_INSUFFICIENT_QTY")
ImportInvalid = _error("ImportInvalid", "ERR_IMPORT_INVALID")
ImportLimit = _error("ImportLimit", "ERR_IMPORT_LIMIT")
ValidationFailed = _error("ValidationFailed", "ERR_VALIDATION")
ForbiddenOrigin = _error("ForbiddenOrigin", "ERR_FORBIDDEN_ORIGIN", 403)
BadHost = _error("BadHost", "ERR_BAD_HOST")
CountLimit = _error("CountLimit", "ERR_COUNT_LIMIT")
TypeNotFound = _error("TypeNotFound", "ERR_TYPE_NOT_FOUND", 404)
NotFound = _error("NotFound", "ERR_NOT_FOUND", 404)
BackupNotFound = _error("BackupNotFound", "ERR_BACKUP_NOT_FOUND", 404)
MethodNotAllowed = _error("MethodNotAllowed", "ERR_METHOD_NOT_ALLOWED", 405)
ImportTooLarge = _error("ImportTooLarge", "ERR_IMPORT_TOO_LARGE", 413)
UnsupportedMediaType = _error("UnsupportedMediaType", "ERR_UNSUPPORTED_MEDIA_TYPE", 415)
DatabaseUnavailable = _error("DatabaseUnavailable", "ERR_DATABASE_UNAVAILABLE", 503)
InternalError = _error("InternalError", "ERR_INTERNAL", 500)

# Every code of the contract, for the OpenAPI description and the UI's message check.
ALL_ERRORS: tuple[type[AppError], ...] = (
    NameRequired,
    NameTooLong,
    NameTaken,
    InvalidStage,
    InvalidQty,
    InvalidStageTransition,
    InsufficientQty,
    ImportInvalid,
    ImportLimit,
    ValidationFailed,
    ForbiddenOrigin,
    BadHost,
    CountLimit,
    TypeNotFound,
    NotFound,
    BackupNotFound,
    MethodNotAllowed,
    ImportTooLarge,
    UnsupportedMediaType,
    DatabaseUnavailable,
    InternalError,
)
ERROR_CODES: tuple[str, ...] = tuple(error.code for error in ALL_ERRORS)
