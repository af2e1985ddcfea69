"""The UI and the backend cannot drift apart silently: the UI's copy of the API description
is the app's own, its client types are generated from it, and it has words for every code."""

import json
import subprocess
from pathlib import Path

from backend.errors import ERROR_CODES
from backend.limits import limits_json
from backend.openapi import openapi_json
from backend.services.backup.shape import IMPORT_RULES
from backend.settings import REPO_ROOT

UI = REPO_ROOT / "ui"


def test_ui_copy_of_the_openapi_description_is_current() -> None:
    committed = (UI / "src" / "api" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_json(), (
        "ui/src/api/openapi.json is stale: run "
        "`python -m backend.openapi ui/src/api/openapi.json && (cd ui && npm run gen:api)`"
    )


def test_ui_copy_of_the_limits_is_current() -> None:
    committed = (UI / "src" / "api" / "limits.json").read_text(encoding="utf-8")
    assert committed == limits_json(), (
        "ui/src/api/limits.json is stale: run `python -m backend.limits ui/src/api/limits.json`"
    )


def test_ui_client_types_are_generated_from_it(tmp_path: Path) -> None:
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        [
            str(UI / "node_modules" / ".bin" / "openapi-typescript"),
            "src/api/openapi.json",
            "-o",
            str(generated),
        ],
        cwd=UI,
        check=True,
        capture_output=True,
    )
    committed = (UI / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    assert committed == generated.read_text(encoding="utf-8"), "run `npm run gen:api` in ui/"


def test_ui_knows_every_error_code_of_the_backend() -> None:
    known = json.loads((UI / "src" / "api" / "error-codes.json").read_text(encoding="utf-8"))
    assert sorted(known["contract"]) == sorted(ERROR_CODES)
    assert sorted(known["import_rules"]) == sorted(IMPORT_RULES)
    for language in ("en", "ru"):
        messages = json.loads((UI / "src" / "i18n" / f"{language}.json").read_text("utf-8"))
        flat = json.dumps(messages, ensure_ascii=False)
        for code in ERROR_CODES:
            assert f'"{code}"' in flat, f"{language}.json has no message for {code}"
