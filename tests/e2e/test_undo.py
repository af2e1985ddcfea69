"""Undo in a real browser, in both languages: the toast's Undo after a change (reached with the
keyboard), the history's "Undo…" with its question, and the errors when another window was
first."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenContext, create_type, move
from tests.e2e.test_backups import accessibility_problems

TEXT = {
    "en": {
        "undo": "Undo",
        "undo_group": "Undo…",
        "quick_moved": "Orks: 1 moved from In box to Building",
        "dialog_moved": "Orks: 2 moved from In box to Building",
        "undone": "Undone: “Orks” is as it was before.",
        "moved_on": "Not enough miniatures at that stage any more: only 0 available now.",
        "question": "Move 3 back from Done to In box?",
        "already": "That change was already undone (perhaps in another window)",
        "history": "History",
    },
    "ru": {
        "undo": "Отменить",
        "undo_group": "Отменить…",
        "quick_moved": "Orks: 1 из «В коробке» в «Сборка»",
        "dialog_moved": "Orks: 2 из «В коробке» в «Сборка»",
        "undone": "Отменено: «Orks» — как было до этого.",
        "moved_on": "На этом этапе уже не хватает миниатюр: сейчас доступно только 0.",
        "question": "Вернуть 3 из «Готово» в «В коробке»?",
        "already": "Это изменение уже отменено (возможно, в другом окне)",
        "history": "История",
    },
}


def effective(api: httpx.Client, type_id: int) -> list[tuple[str | None, str, int]]:
    groups = api.get(f"/types/{type_id}/history").json()["groups"]
    return [(g["from_stage"], g["to_stage"], g["qty"]) for g in groups]


def tab_to(page: Page, test_id: str, presses: int = 60) -> None:
    """Presses Tab until the element with this test id has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement?.dataset?.testid") == test_id:
            return
    raise AssertionError(f"{test_id} was not reached with Tab")


def test_toast_undo_of_a_quick_move_with_the_keyboard(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    kit = create_type(api, "Orks", IN_BOX=3)
    ui.reload()
    row = ui.get_by_test_id("type-row")
    row.get_by_test_id("quick-IN_BOX").click()
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("1")
    toast = ui.get_by_test_id("toast").filter(has_text=text["quick_moved"])
    expect(toast).to_be_visible()
    # The accessible name begins with the word the button shows.
    button = ui.get_by_role("button", name=re.compile(f"^{text['undo']}: "))
    expect(button).to_have_text(text["undo"])
    expect(button).to_have_accessible_name(f"{text['undo']}: {text['quick_moved']}")
    assert accessibility_problems(ui, "toast") == []

    tab_to(ui, "toast-action")
    ui.keyboard.press("Enter")
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("0")
    expect(row.get_by_test_id("count-IN_BOX")).to_have_text("3")
    expect(ui.get_by_test_id("toast").filter(has_text=text["undone"])).to_be_visible()
    assert effective(api, kit["id"]) == [(None, "IN_BOX", 3)]


def test_toast_undo_after_the_miniatures_moved_on_elsewhere(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    kit = create_type(api, "Orks", IN_BOX=3)
    ui.reload()
    row = ui.get_by_test_id("type-row")
    row.get_by_test_id("move-open").click()
    dialog = ui.get_by_test_id("move-dialog")
    dialog.get_by_test_id("move-qty").fill("2")
    dialog.get_by_test_id("move-submit").click()
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("2")
    toast = ui.get_by_test_id("toast").filter(has_text=text["dialog_moved"])
    expect(toast).to_be_visible()

    move(api, kit["id"], "BUILDING", "DONE", 2)  # another window, meanwhile
    toast.get_by_test_id("toast-action").click()
    expect(ui.get_by_test_id("toast").filter(has_text=text["moved_on"])).to_be_visible()
    # The screen shows what is true now; nothing was undone.
    expect(row.get_by_test_id("count-DONE")).to_have_text("2")
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("0")
    assert effective(api, kit["id"])[-1] == ("BUILDING", "DONE", 2)


def test_history_undo_asks_then_takes_the_group_back(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    kit = create_type(api, "Orks", IN_BOX=5)
    for _ in range(3):
        move(api, kit["id"], "IN_BOX", "DONE", 1)
    move(api, kit["id"], "IN_BOX", "BUILDING", 1)
    context = open_context(lang)
    page = context.new_page()
    page.goto(f"/types/{kit['id']}")
    rows = page.get_by_test_id("history-row")
    expect(rows).to_have_count(3)

    # The group of three moves into Done: the second row, newest first.
    rows.nth(1).get_by_role("button", name=re.compile(f"^{re.escape(text['undo_group'])}")).click()
    dialog = page.get_by_test_id("undo-dialog")
    expect(dialog.get_by_test_id("undo-question")).to_have_text(text["question"])
    assert accessibility_problems(page, "undo-dialog") == []
    dialog.get_by_test_id("undo-confirm").click()
    expect(dialog).to_have_count(0)
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("type-count-DONE")).to_have_text("0")
    expect(page.get_by_test_id("type-count-IN_BOX")).to_have_text("4")
    expect(page.locator(":focus")).to_have_text(text["history"])
    assert effective(api, kit["id"]) == [(None, "IN_BOX", 5), ("IN_BOX", "BUILDING", 1)]

    # Undone in another window while the question is open: explained, and the page refreshed.
    rows.nth(0).get_by_test_id("history-undo").click()
    latest = api.get(f"/types/{kit['id']}/history").json()["groups"][-1]["event_ids"]
    assert api.post(f"/types/{kit['id']}/undo", json={"event_ids": latest}).status_code == 200
    dialog.get_by_test_id("undo-confirm").click()
    expect(dialog.get_by_test_id("undo-error")).to_contain_text(text["already"])
    expect(dialog.get_by_test_id("undo-close")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(rows).to_have_count(1)
    expect(page.get_by_test_id("type-count-BUILDING")).to_have_text("0")
