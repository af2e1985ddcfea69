"""The import dialog in a real browser: what a replace would delete, counted in the database
whichever screen it was opened from, the file sent for a replace dry run only when Replace is
chosen, and focus with an announcement at every step."""

from pathlib import Path
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Request, Route, expect

from tests.e2e.conftest import (
    OpenContext,
    accessibility_problems,
    backup_file,
    create_type,
    wait_until,
)

WARNING = {
    "en": "Replacing deletes every type you have now: 3 types, 1,000,006 miniatures.",
    "ru": "Замена удалит все текущие типы: 3 типа, 1\u00a0000\u00a0006 миниатюр.",
}
STATUS = {
    "en": {
        "checked": "File checked: choose how to import it.",
        "done": "Import finished",
        "checking_mode": "Checking what this would do…",
        "replace": "Replacing deletes every type you have now: 1 type, 3 miniatures.",
        "failed": "Could not check what this would do.",
    },
    "ru": {
        "checked": "Файл проверен: выберите, как его импортировать.",
        "done": "Импорт завершён",
        "checking_mode": "Проверяем, что произойдёт…",
        "replace": "Замена удалит все текущие типы: 1 тип, 3 миниатюры.",
        "failed": "Не удалось проверить, что произойдёт.",
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


def test_replace_is_dry_run_only_when_chosen_and_a_failure_can_be_tried_again(
    open_context: OpenContext, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    text = STATUS[lang]
    create_type(api, "Orks", IN_BOX=3)
    page = open_context(lang).new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row")).to_have_count(1)
    sent: list[str] = []

    def note(request: Request) -> None:
        if urlsplit(request.url).path == "/api/v1/import":
            sent.append(urlsplit(request.url).query)

    page.on("request", note)
    held: list[Route] = []
    page.route(lambda url: "mode=replace" in url, lambda route: held.append(route))

    page.get_by_test_id("import-button").click()
    dialog = page.get_by_test_id("import-dialog")
    page.get_by_test_id("import-file").set_input_files(str(write_backup(tmp_path)))
    merge = dialog.get_by_test_id("import-mode-merge")
    expect(merge).to_be_focused()
    expect(dialog.get_by_test_id("import-summary-merge")).to_be_visible()
    assert sent == ["mode=merge&dry_run=true"]

    # Replace by keyboard: its dry run runs while the focus stays on it, and the wait is shown.
    page.keyboard.press("ArrowDown")
    replace = dialog.get_by_test_id("import-mode-replace")
    wait_until(page, lambda: len(held) == 1)
    expect(dialog.get_by_test_id("import-pending-replace")).to_have_text(text["checking_mode"])
    expect(dialog.get_by_test_id("import-status")).to_have_text(text["checking_mode"])
    expect(dialog.get_by_test_id("import-next")).to_have_attribute("aria-disabled", "true")
    expect(replace).to_be_focused()
    assert accessibility_problems(page, "import-dialog") == []

    # It fails: the preview stays, an alert says so, and the focus has not moved.
    held[0].fulfill(status=500, json={"code": "ERR_INTERNAL", "params": {}})
    error = dialog.get_by_test_id("import-replace-error")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text(text["failed"])
    expect(replace).to_be_focused()
    expect(dialog.get_by_test_id("import-summary-merge")).to_be_visible()
    assert accessibility_problems(page, "import-dialog") == []

    # Try again, by keyboard: the answer comes, the focus goes back to Replace.
    page.unroute_all()
    page.keyboard.press("Tab")
    expect(dialog.get_by_test_id("import-recheck")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_test_id("import-replace-warning")).to_have_text(text["replace"])
    expect(dialog.get_by_test_id("import-status")).to_have_text(text["replace"])
    expect(replace).to_be_focused()
    expect(
        dialog.get_by_test_id("import-summary-replace").get_by_test_id("summary-created")
    ).to_have_text("1")

    # Its answer is kept: back to Merge and to Replace again sends nothing.
    page.keyboard.press("ArrowUp")
    expect(merge).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(dialog.get_by_test_id("import-replace-warning")).to_have_text(text["replace"])
    replace_dry_run = "mode=replace&dry_run=true"
    assert sent == ["mode=merge&dry_run=true", replace_dry_run, replace_dry_run]
