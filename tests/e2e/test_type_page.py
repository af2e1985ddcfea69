"""A type's page in a real browser: moves, a conflict from another tab, history, rename, delete."""

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenContext, create_type, move, screenshot
from tests.e2e.texts import STAGE_NAMES, TEXT


def open_type(page: Page, type_id: int) -> None:
    page.goto(f"/types/{type_id}")
    expect(page.get_by_test_id("type-title")).to_be_visible()


def test_move_form_and_grouped_history(ui: Page, api: httpx.Client, lang: str) -> None:
    text = TEXT[lang]
    kit = create_type(api, "Stormcast", IN_BOX=5)
    open_type(ui, kit["id"])
    form = ui.get_by_test_id("move-form")
    expect(form.get_by_test_id("move-available")).to_have_text(text["available"].format(n=5))
    qty = form.get_by_test_id("move-qty")
    for value in ["0", "6", "1.5"]:
        qty.fill(value)
        expect(form.get_by_test_id("move-submit")).to_be_disabled()

    # Three single moves in a row become one group; newest groups come first.
    for done in range(1, 4):
        qty.fill("1")
        qty.press("Enter")
        expect(ui.get_by_test_id("type-count-BUILDING")).to_have_text(str(done))
    expect(ui.get_by_test_id("type-count-IN_BOX")).to_have_text("2")
    expect(ui.get_by_test_id("type-count-BUILDING")).to_have_text("3")
    form.get_by_test_id("move-from").select_option("BUILDING")
    form.get_by_test_id("move-to").select_option("DONE")
    qty.fill("2")
    form.get_by_test_id("move-submit").click()
    expect(ui.get_by_test_id("type-count-DONE")).to_have_text("2")

    rows = ui.get_by_test_id("history-row")
    expect(rows).to_have_count(3)
    stages = STAGE_NAMES[lang]
    expect(rows.nth(0).get_by_test_id("history-stages")).to_have_text(
        text["moved"].format(a=stages[1], b=stages[4])
    )
    expect(rows.nth(0).get_by_test_id("history-qty")).to_have_text("2")
    expect(rows.nth(0).get_by_test_id("history-times")).to_have_count(0)
    expect(rows.nth(1).get_by_test_id("history-stages")).to_have_text(
        text["moved"].format(a=stages[0], b=stages[1])
    )
    expect(rows.nth(1).get_by_test_id("history-qty")).to_have_text("3")
    expect(rows.nth(1).get_by_test_id("history-times")).to_have_text("×3")
    expect(rows.nth(2).get_by_test_id("history-qty")).to_have_text("+5")
    expect(rows.nth(2).get_by_test_id("history-stages")).to_have_text(
        text["added"].format(stage=stages[0])
    )
    expect(rows.nth(0).get_by_test_id("history-relative")).to_have_text(text["now"])

    # Bought more: an addition at any stage.
    ui.get_by_test_id("add-stage").select_option("PAINTING")
    ui.get_by_test_id("add-qty").fill("4")
    ui.get_by_test_id("add-qty").press("Enter")
    expect(ui.get_by_test_id("type-count-PAINTING")).to_have_text("4")
    expect(rows.nth(0).get_by_test_id("history-qty")).to_have_text("+4")
    screenshot(ui, f"type-page-{lang}")


def test_insufficient_quantity_from_second_tab(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    kit = create_type(api, "Kharadron", IN_BOX=3)
    context = open_context(lang)
    first = context.new_page()
    open_type(first, kit["id"])
    first.get_by_test_id("move-qty").fill("3")

    second = context.new_page()
    open_type(second, kit["id"])
    second.get_by_test_id("move-qty").fill("2")
    second.get_by_test_id("move-submit").click()
    expect(second.get_by_test_id("type-count-IN_BOX")).to_have_text("1")

    first.get_by_test_id("move-submit").click()
    expect(first.get_by_test_id("move-error")).to_contain_text(text["insufficient"].format(n=1))
    expect(first.get_by_test_id("move-available")).to_have_text(text["available"].format(n=1))
    expect(first.get_by_test_id("type-count-BUILDING")).to_have_text("2")
    expect(first.get_by_test_id("move-submit")).to_be_disabled()  # 3 is more than 1 now
    first.get_by_test_id("move-qty").fill("1")
    first.get_by_test_id("move-submit").click()
    expect(first.get_by_test_id("type-count-IN_BOX")).to_have_text("0")


def test_rename_and_delete(ui: Page, api: httpx.Client, lang: str) -> None:
    text = TEXT[lang]
    create_type(api, "Ёлочные игрушки", IN_BOX=1)
    kit = create_type(api, "Skaven", IN_BOX=5)
    move(api, kit["id"], "IN_BOX", "DONE", 5)
    open_type(ui, kit["id"])

    rename = ui.get_by_test_id("rename-input")
    rename.fill("елочные ИГРУШКИ")  # same name under the contract's comparison
    rename.press("Enter")
    expect(ui.get_by_test_id("rename-error")).to_have_text(text["name_taken"])
    rename.fill("Skaven Clanrats")
    ui.get_by_test_id("rename-submit").click()
    expect(ui.get_by_test_id("type-title")).to_have_text("Skaven Clanrats")
    expect(ui.get_by_test_id("rename-error")).to_have_count(0)

    ui.get_by_test_id("delete-open").click()
    dialog = ui.get_by_test_id("delete-dialog")
    expected = {
        "en": "5 miniatures and 2 history entries will be lost.",
        "ru": "Удалятся: 5 миниатюр и 2 записи истории.",
    }[lang]
    expect(dialog.get_by_test_id("delete-text")).to_contain_text(expected)
    expect(dialog).to_contain_text("Skaven Clanrats")
    screenshot(ui, f"delete-dialog-{lang}")
    ui.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(ui.get_by_test_id("type-title")).to_have_text("Skaven Clanrats")

    ui.get_by_test_id("delete-open").click()
    dialog.get_by_test_id("delete-confirm").click()
    expect(ui.get_by_test_id("collection-page")).to_be_visible()
    expect(ui.get_by_test_id("type-name")).to_have_text(["Ёлочные игрушки"])
    assert api.get(f"/types/{kit['id']}").status_code == 404
    ui.goto(f"/types/{kit['id']}")
    expect(ui.get_by_test_id("type-missing")).to_be_visible()
