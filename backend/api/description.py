"""The app's API description: FastAPI's, without its 422 shape (every error here is the 400
envelope, `backend.error_handlers`)."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi


def use_reshaped_openapi(app: FastAPI) -> None:
    def reshaped() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                operation.get("responses", {}).pop("422", None)
        components = schema.get("components", {}).get("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = reshaped  # type: ignore[method-assign]
