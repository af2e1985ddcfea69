"""The app's own copies in a real browser, by keyboard: the list, "make a copy now", and a
restore with its preview, in English and Russian."""

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    OpenContext,
    accessibility_problems,
    create_type,
    move,
    screenshot,
)

TEXT = {
    "en": {
        "manual_now": "Manual · today {time} · 2 types, 7 miniatures",
        "manual_before": "Manual · today {time} · 1 type, 3 miniatures",
        "taken": "Copy made: ",
        "now": "2 types, 7 miniatures",
        "copy": "1 type, 3 miniatures, 2 history entries",
        "restored": "What you had before is saved as before-import-",
    },
    "ru": {
        "manual_now": "Вручную · сегодня в {time} · 2 типа, 7 миниатюр",
        "manual_before": "Вручную · сегодня в {time} · 1 тип, 3 миниатюры",
        "taken": "Копия сделана: ",
        "now": "2 типа, 7 миниатюр",
        "copy": "1 тип, 3 миниатюры, 2 записи истории",
        "restored": "То, что было до этого, сохранено как before-import-",
    },
}


def clock(at: str) -> str:
    """HH:MM of a UTC time from the API (the browser runs in UTC)."""
    return at[11:16]


def test_make_a_copy_and_restore_an_older_one_by_keyboard(
    open_context: OpenContext, api: httpx.Client, lang: str, backups_dir: Path
) -> None:
    text = TEXT[lang]
    orks = create_type(api, "Orks", IN_BOX=3)
    move(api, orks["id"], "IN_BOX", "DONE", 1)
    older = api.post("/backups").json()
    create_type(api, "Tau", DONE=4)

    page = open_context(lang, timezone_id="UTC").new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row")).to_have_count(2)
    page.get_by_test_id("backups-button").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("backups-dialog")
    entries = dialog.get_by_test_id("backup-entry")
    expect(entries).to_have_count(1)
    expect(entries.get_by_test_id("backup-text")).to_have_text(
        text["manual_before"].format(time=clock(older["at"]))
    )

    # Make a copy now: the focus starts on the button, Enter takes the copy.
    take = dialog.get_by_test_id("backups-take")
    expect(take).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_test_id("backups-taken")).to_contain_text(text["taken"])
    expect(entries).to_have_count(2)
    newest = api.get("/backups").json()["backups"][0]
    expect(entries.first.get_by_test_id("backup-text")).to_have_text(
        text["manual_now"].format(time=clock(newest["at"]))
    )
    screenshot(page, f"backups-list-{lang}")
    assert accessibility_problems(page, "backups-dialog") == []

    # Restore the older copy: a preview first, which changes nothing.
    restore = entries.nth(1).get_by_test_id("backup-restore")
    restore.focus()
    page.keyboard.press("Enter")
    preview = dialog.get_by_test_id("restore-preview")
    expect(preview.locator("h3")).to_be_focused()
    expect(preview.get_by_test_id("restore-now")).to_have_text(text["now"])
    expect(preview.get_by_test_id("restore-copy")).to_have_text(text["copy"])
    screenshot(page, f"backups-preview-{lang}")
    assert accessibility_problems(page, "backups-dialog") == []
    assert len(api.get("/types").json()) == 2

    page.keyboard.press("Tab")  # Back
    page.keyboard.press("Tab")  # Continue
    expect(preview.get_by_test_id("restore-next")).to_be_focused()
    page.keyboard.press("Enter")
    confirm = preview.get_by_test_id("restore-confirm")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")

    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("toast")).to_contain_text(text["restored"])
    expect(page.get_by_test_id("type-row")).to_have_count(1)
    expect(page.locator('[data-type-name="Orks"] [data-testid="count-DONE"]')).to_have_text("1")
    kinds = [entry["kind"] for entry in api.get("/backups").json()["backups"]]
    assert kinds == ["before-import", "manual", "manual"]
    assert [t["name"] for t in api.get("/types").json()] == ["Orks"]


def test_an_empty_list_says_how_copies_come(
    open_context: OpenContext, api: httpx.Client, lang: str, backups_dir: Path
) -> None:
    page: Page = open_context(lang).new_page()
    page.goto("/")
    page.get_by_test_id("backups-button").click()
    dialog = page.get_by_test_id("backups-dialog")
    expect(dialog.get_by_test_id("backups-empty")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("backups-button")).to_be_focused()
