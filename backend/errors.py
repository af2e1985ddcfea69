"""Domain errors and the one error envelope every error response has: {code, params}.

The backend never sends prose: the UI turns the code into text in the user's language.
"""

from typing import Any, ClassVar

from starlette.responses import Response

from backend.json_bytes import json_bytes


class AppError(Exception):
    """An error the contract names: a status, a constant code and its params."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "ERR_INTERNAL"

    def __init__(self, **params: Any) -> None:
        super().__init__(self.code)
        self.params: dict[str, Any] = params

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def error_response(error: AppError) -> Response:
    """The one place an error answer is made, by the guards and the exception handlers alike."""
    return Response(json_bytes(error.body()), error.status, media_type="application/json")


class NameRequired(AppError):
    """Nothing visible is left of the name."""

    code = "ERR_NAME_REQUIRED"


class NameTooLong(AppError):
    """The name is longer than the maximum after trimming (`max`)."""

    code = "ERR_NAME_TOO_LONG"


class NameTaken(AppError):
    """Another type has the same name key."""

    code = "ERR_NAME_TAKEN"


class InvalidStage(AppError):
    """A stage that is not one of the five."""

    code = "ERR_INVALID_STAGE"


class InvalidQty(AppError):
    """A qty or count that is not a whole number in range (`min`, `max`)."""

    code = "ERR_INVALID_QTY"


class InvalidStageTransition(AppError):
    """`to_stage` does not come after `from_stage`."""

    code = "ERR_INVALID_STAGE_TRANSITION"


class InsufficientQty(AppError):
    """Fewer miniatures in `from_stage` than asked for (`available`)."""

    code = "ERR_INSUFFICIENT_QTY"


class ImportInvalid(AppError):
    """The backup file breaks a rule (`path`, `rule`); nothing was changed."""

    code = "ERR_IMPORT_INVALID"


class ImportLimit(AppError):
    """The merge would push a count past the maximum (`path`, `max`)."""

    code = "ERR_IMPORT_LIMIT"


class ValidationFailed(AppError):
    """Any other malformed request (`fields`)."""

    code = "ERR_VALIDATION"


class ForbiddenOrigin(AppError):
    """An `Origin` that is not the app's own."""

    code = "ERR_FORBIDDEN_ORIGIN"
    status = 403


class BadHost(AppError):
    """A `Host` that is not this machine's (or one the operator configured)."""

    code = "ERR_BAD_HOST"


class CountLimit(AppError):
    """An add or move would leave more than the maximum in one stage (`max`)."""

    code = "ERR_COUNT_LIMIT"


class AlreadyUndone(AppError):
    """An event given to undo was undone before, here or in another window (`event_id`)."""

    code = "ERR_ALREADY_UNDONE"


class TypeNotFound(AppError):
    """An unknown type id."""

    code = "ERR_TYPE_NOT_FOUND"
    status = 404


class EventNotFound(AppError):
    """An event id that is not one of this type's events that can be undone (`event_id`)."""

    code = "ERR_EVENT_NOT_FOUND"
    status = 404


class NotFound(AppError):
    """An unknown path under /api."""

    code = "ERR_NOT_FOUND"
    status = 404


class BackupNotFound(AppError):
    """A backup name that `GET /backups` does not list."""

    code = "ERR_BACKUP_NOT_FOUND"
    status = 404


class GroupNotFound(AppError):
    """An unknown group id, in the path, a query or a body's `group_id`."""

    code = "ERR_GROUP_NOT_FOUND"
    status = 404


class NotesTooLong(AppError):
    """Notes longer than the maximum after trailing whitespace is trimmed (`max`)."""

    code = "ERR_NOTES_TOO_LONG"


class AuthRequired(AppError):
    """A request that needs a session has none, or an ended one."""

    code = "ERR_AUTH_REQUIRED"
    status = 401


class BadKey(AppError):
    """A wrong, used or expired access key or pairing code."""

    code = "ERR_BAD_KEY"
    status = 401


class LocalOnly(AppError):
    """An endpoint that answers only at this computer was asked from the network."""

    code = "ERR_LOCAL_ONLY"
    status = 403


class TooManyAttempts(AppError):
    """Too many failed attempts to open a session from one address (`retry_after`, seconds)."""

    code = "ERR_TOO_MANY_ATTEMPTS"
    status = 429


class MethodNotAllowed(AppError):
    """A known path, a method it does not answer."""

    code = "ERR_METHOD_NOT_ALLOWED"
    status = 405


class ImportTooLarge(AppError):
    """An import body over its limit, however it was sent (`max_bytes`)."""

    code = "ERR_IMPORT_TOO_LARGE"
    status = 413


class BodyTooLarge(AppError):
    """Any other request body over its limit, however it was sent (`max_bytes`)."""

    code = "ERR_BODY_TOO_LARGE"
    status = 413


class UnsupportedMediaType(AppError):
    """A request body that is not JSON."""

    code = "ERR_UNSUPPORTED_MEDIA_TYPE"
    status = 415


class DatabaseUnavailable(AppError):
    """The database cannot be reached (refused, or the connection was lost)."""

    code = "ERR_DATABASE_UNAVAILABLE"
    status = 503


class InternalError(AppError):
    """Anything unexpected."""

    code = "ERR_INTERNAL"
    status = 500


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
    AlreadyUndone,
    TypeNotFound,
    EventNotFound,
    NotFound,
    BackupNotFound,
    GroupNotFound,
    NotesTooLong,
    AuthRequired,
    BadKey,
    LocalOnly,
    TooManyAttempts,
    MethodNotAllowed,
    ImportTooLarge,
    BodyTooLarge,
    UnsupportedMediaType,
    DatabaseUnavailable,
    InternalError,
)
ERROR_CODES: tuple[str, ...] = tuple(error.code for error in ALL_ERRORS)
