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
    replace = dialog.get_by_test_id("import-summary-replace")
    expect(replace.get_by_test_id("summary-created")).to_have_text("2")
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
    import_file(ui, saved)
    dialog.get_by_test_id("import-mode-replace").check()
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


def test_import_errors_name_the_place_in_the_file(
    ui: Page, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    create_type(api, "Eldar", IN_BOX=1)
    ui.reload()
    bad = tmp_path / "bad.json"
    bad.write_text(
        backup_file([{"name": "Eldar"}, {"name": "Orks", "counts": {"DONE": -1}}]), encoding="utf-8"
    )
    import_file(ui, bad)
    error = ui.get_by_test_id("import-error")
    expect(error).to_contain_text(TEXT[lang]["problem_at"].format(path="types[1].counts.DONE"))
    expect(ui.get_by_test_id("import-choose")).to_be_enabled()
    screenshot(ui, f"import-error-{lang}")

    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    ui.get_by_test_id("import-file").set_input_files(str(broken))
    expect(error).to_contain_text(
        {"en": "the file is not JSON", "ru": "файл не в формате JSON"}[lang]
    )
    ui.keyboard.press("Escape")
    expect(ui.get_by_test_id("import-dialog")).to_have_count(0)
    expect(ui.get_by_test_id("type-name")).to_have_text(["Eldar"])
