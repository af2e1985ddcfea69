"""Export then import in a real browser: dry-run summary, merge (doubles), replace, errors."""

import json
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import backup_file, create_type, move, screenshot
from tests.e2e.texts import TEXT


def counts_of(page: Page, name: str) -> list[str]:
    row = page.locator(f'[data-testid="type-row"][data-type-name="{name}"]')
    return [row.get_by_test_id(f"count-{s}").inner_text() for s in ["IN_BOX", "DONE"]]


def import_file(page: Page, path: Path) -> None:
    page.get_by_test_id("import-button").click()
    page.get_by_test_id("import-file").set_input_files(str(path))


def test_export_then_import_merge_and_replace(
    ui: Page, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    text = TEXT[lang]
    marines = create_type(api, "Space Marines", IN_BOX=3)
    move(api, marines["id"], "IN_BOX", "DONE", 1)
    create_type(api, "Орки", IN_BOX=2)
    ui.reload()
    expect(ui.get_by_test_id("type-row")).to_have_count(2)

    with ui.expect_download() as download_info:
        ui.get_by_test_id("export-button").click()
    download = download_info.value
    assert download.suggested_filename.startswith("miniatures-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    backup = json.loads(saved.read_text(encoding="utf-8"))
    assert backup["format"] == "miniatures-tracker"
    assert sorted(t["name"] for t in backup["types"]) == ["Space Marines", "Орки"]

    # Merge: the dry run says what will happen and warns about doubling.
    import_file(ui, saved)
    dialog = ui.get_by_test_id("import-dialog")
    merge = dialog.get_by_test_id("import-summary-merge")
    expect(merge.get_by_test_id("summary-created")).to_have_text("0")
    expect(merge.get_by_test_id("summary-merged")).to_have_text("2")
    expect(merge.get_by_test_id("summary-events")).to_have_text("3")
    expect(dialog.get_by_test_id("import-double-warning")).to_contain_text(text["double"])
    screenshot(ui, f"import-preview-{lang}")
    assert counts_of(ui, "Space Marines") == ["2", "1"]  # a dry run changes nothing
    dialog.get_by_test_id("import-next").click()
    dialog.get_by_test_id("import-confirm").click()
    result = dialog.get_by_test_id("import-result")
    expect(result.get_by_test_id("result-merged")).to_have_text("2")
    expect(result.get_by_test_id("result-events")).to_have_text("3")
    # The state before the import was kept: the result says where, to undo it.
    expect(result.get_by_test_id("import-safety-copy")).to_contain_text("before-import-")
    dialog.get_by_test_id("import-close").click()
    expect(dialog).to_have_count(0)
    expect(
        ui.locator('[data-type-name="Space Marines"] [data-testid="count-IN_BOX"]')
    ).to_have_text("4")
    assert counts_of(ui, "Space Marines") == ["4", "2"]
    assert counts_of(ui, "Орки") == ["4", "0"]

    # Replace: the same file brings the collection back to what was exported.
    # The file is sent for a replace dry run only now, when Replace is chosen.
    import_file(ui, saved)
    dialog.get_by_test_id("import-mode-replace").check()
    replace = dialog.get_by_test_id("import-summary-replace")
    expect(replace.get_by_test_id("summary-created")).to_have_text("2")
    expect(dialog.get_by_test_id("import-replace-warning")).to_be_visible()
    dialog.get_by_test_id("import-next").click()
    dialog.get_by_test_id("import-confirm").click()
    expect(dialog.get_by_test_id("result-created")).to_have_text("2")
    dialog.get_by_test_id("import-close").click()
    expect(
        ui.locator('[data-type-name="Space Marines"] [data-testid="count-IN_BOX"]')
    ).to_have_text("2")
    assert counts_of(ui, "Space Marines") == ["2", "1"]
    assert counts_of(ui, "Орки") == ["2", "0"]


IMPORT_ERRORS = {
    "en": {
        "negative": "This backup file can't be imported; nothing was changed. "
        "Problem with the count at Done of the type “Orks”: the number is negative.",
        "not_backup": "This file is not a backup of this app; nothing was changed.",
        "not_json": "This file can't be imported: it is not JSON, or it is cut off. "
        "Nothing was changed.",
        "limit": "Importing would push the count at Done of the type “Eldar” past 1,000,000; "
        "nothing was changed.",
        "too_large": "The file is too large: the limit is 20 MiB.",
    },
    "ru": {
        "negative": "Этот файл нельзя импортировать; ничего не изменено. "
        "Ошибка — количество на этапе «Готово» у типа «Orks»: отрицательное число.",
        "not_backup": "Этот файл — не резервная копия этого приложения; ничего не изменено.",
        "not_json": "Этот файл нельзя импортировать: это не JSON, или файл обрезан. "
        "Ничего не изменено.",
        "limit": "Импорт превысил бы 1\u00a0000\u00a0000: количество на этапе «Готово» "
        "у типа «Eldar»; ничего не изменено.",
        "too_large": "Файл слишком большой: предел 20 МиБ.",
    },
}


def test_import_errors_speak_the_users_language(
    ui: Page, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    """Where and what, in words: the type's name and the stage's, never a path or a code."""
    text = IMPORT_ERRORS[lang]
    create_type(api, "Eldar", DONE=1_000_000)
    ui.reload()
    files = {
        "negative": backup_file([{"name": "Eldar"}, {"name": "Orks", "counts": {"DONE": -1}}]),
        "not_backup": '{"foo": 1}',
        "not_json": "{ not json",
        "limit": backup_file([{"name": "Eldar", "counts": {"DONE": 1}}]),
    }
    error = ui.get_by_test_id("import-error")
    ui.get_by_test_id("import-button").click()
    for case, content in files.items():
        path = tmp_path / f"{case}.json"
        path.write_text(content, encoding="utf-8")
        ui.get_by_test_id("import-file").set_input_files(str(path))
        expect(error).to_have_text(text[case])
        expect(ui.get_by_test_id("import-choose")).to_be_focused()
        if case == "negative":
            screenshot(ui, f"import-error-{lang}")

    big = tmp_path / "big.json"
    big.write_bytes(b" " * (20 * 1024 * 1024 + 1))
    ui.get_by_test_id("import-file").set_input_files(str(big))
    expect(error).to_have_text(text["too_large"])

    ui.keyboard.press("Escape")
    expect(ui.get_by_test_id("import-dialog")).to_have_count(0)
    expect(ui.get_by_test_id("type-name")).to_have_text(["Eldar"])
