"""The import dialog in a real browser: what a replace would delete, counted in the database
whichever screen it was opened from, and focus with an announcement at every step."""

from pathlib import Path

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import OpenContext, accessibility_problems, backup_file, create_type

WARNING = {
    "en": "Replacing deletes every type you have now: 3 types, 1,000,006 miniatures.",
    "ru": "Замена удалит все текущие типы: 3 типа, 1\u00a0000\u00a0006 миниатюр.",
}
STATUS = {
    "en": {
        "checked": "File checked: choose how to import it.",
        "done": "Import finished",
    },
    "ru": {
        "checked": "Файл проверен: выберите, как его импортировать.",
        "done": "Импорт завершён",
    },
}


def write_backup(tmp_path: Path) -> Path:
    path = tmp_path / "tau.json"
    path.write_text(backup_file([{"name": "Tau", "counts": {"IN_BOX": 2}}]), encoding="utf-8")
    return path


def test_replace_warning_counts_the_database_from_every_screen(
    open_context: OpenContext, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    create_type(api, "Orks", IN_BOX=3, DONE=1_000_000)
    create_type(api, "Eldar", PAINTING=2)
    one = create_type(api, "Necrons", BUILDING=1)
    backup = write_backup(tmp_path)
    page = open_context(lang).new_page()
    # Progress loads no list of types; a freshly loaded type page knows only its own type.
    for where in ("/progress", f"/types/{one['id']}", "/"):
        page.goto(where)
        expect(page.get_by_test_id("import-button")).to_be_visible()
        page.get_by_test_id("import-button").click()
        dialog = page.get_by_test_id("import-dialog")
        page.get_by_test_id("import-file").set_input_files(str(backup))
        dialog.get_by_test_id("import-mode-replace").check()
        expect(dialog.get_by_test_id("import-replace-warning")).to_have_text(WARNING[lang])
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)


def test_import_by_keyboard_moves_focus_and_announces_each_step(
    open_context: OpenContext, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    create_type(api, "Orks", IN_BOX=3)
    page = open_context(lang).new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row")).to_have_count(1)
    page.get_by_test_id("import-button").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("import-dialog")
    status = dialog.get_by_test_id("import-status")
    expect(status).to_have_attribute("role", "status")
    expect(dialog.get_by_test_id("import-choose")).to_be_focused()

    # The system's file dialog cannot be driven here: the file goes to the input it opens.
    page.get_by_test_id("import-file").set_input_files(str(write_backup(tmp_path)))
    expect(status).to_have_text(STATUS[lang]["checked"])
    expect(dialog.get_by_test_id("import-mode-merge")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(dialog.get_by_test_id("import-mode-replace")).to_be_checked()
    expect(dialog.get_by_test_id("import-replace-warning")).to_be_visible()

    page.keyboard.press("Tab")  # Back
    page.keyboard.press("Tab")  # Continue
    expect(dialog.get_by_test_id("import-next")).to_be_focused()
    page.keyboard.press("Enter")
    confirm = dialog.get_by_test_id("import-confirm")
    expect(confirm).to_be_focused()
    assert accessibility_problems(page, "import-dialog") == []

    # Cancel the question: focus goes back to where the user left the preview.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(dialog.get_by_test_id("import-next")).to_be_focused()
    page.keyboard.press("Enter")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")

    expect(status).to_have_text(STATUS[lang]["done"])
    expect(dialog.get_by_test_id("import-close")).to_be_focused()
    expect(dialog.get_by_test_id("result-created")).to_have_text("1")
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    assert [t["name"] for t in api.get("/types").json()] == ["Tau"]
