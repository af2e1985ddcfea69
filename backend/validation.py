"""FastAPI's request validation errors mapped to the contract's codes.

Which code wins: a malformed path id is an unknown type (or group); a body that is not a JSON
object, or a missing field, is ERR_VALIDATION; a field present but wrong gives its own code.
"""

from collections.abc import Sequence
from typing import Any

from backend import errors

_CUSTOM: dict[str, type[errors.AppError]] = {
    "invalid_qty": errors.InvalidQty,
    "invalid_stage": errors.InvalidStage,
    "name_required": errors.NameRequired,
    "name_too_long": errors.NameTooLong,
    "notes_too_long": errors.NotesTooLong,
    "group_not_found": errors.GroupNotFound,
}
_PATH_IDS: dict[str, type[errors.AppError]] = {
    "type_id": errors.TypeNotFound,
    "group_id": errors.GroupNotFound,
}


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc[1:] if part != "[key]") or str(loc[0])


def to_app_error(problems: Sequence[Any]) -> errors.AppError:
    problems = list(problems)
    for problem in problems:
        loc = problem["loc"]
        if loc[0] == "path" and len(loc) > 1 and loc[1] in _PATH_IDS:
            return _PATH_IDS[loc[1]]()
    for problem in problems:
        loc = problem["loc"]
        if loc[0] == "body" and (len(loc) == 1 or problem["type"] == "json_invalid"):
            return errors.ValidationFailed(fields=["body"])
    missing = [_field(p["loc"]) for p in problems if p["type"] == "missing"]
    if missing:
        return errors.ValidationFailed(fields=missing)
    for problem in problems:
        error = _CUSTOM.get(problem["type"])
        if error is not None:
            return error(**(problem.get("ctx") or {}))
    return errors.ValidationFailed(fields=[_field(p["loc"]) for p in problems])
