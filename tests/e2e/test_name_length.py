"""A name's 100 characters in a real browser: said as the user types, in both languages, when
adding a type and when renaming one."""

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenContext, accessibility_problems, create_type

HINTS = {
    "en": {
        "left": "5 characters left",
        "over": "3 characters too many: at most 100",
        "past": "1 character too many: at most 100",
    },
    "ru": {
        "left": "Осталось 5 символов",
        "over": "Лишние 3 символа: не больше 100",
        "past": "Лишний 1 символ: не больше 100",
    },
}


def test_add_type_says_how_much_of_the_name_is_left(ui: Page, api: httpx.Client, lang: str) -> None:
    hints = HINTS[lang]
    name = ui.get_by_test_id("add-type-name")
    hint = ui.get_by_test_id("add-type-name-hint")
    submit = ui.get_by_test_id("add-type-submit")
    name.fill("x" * 60)
    expect(hint).to_have_count(0)
    name.fill("x" * 95)
    expect(hint).to_have_text(hints["left"])
    expect(name).to_have_attribute("aria-describedby", hint.get_attribute("id") or "")
    # Announced once on the way into the last 20, not on every key.
    expect(ui.get_by_test_id("add-type-name-hint-live")).to_have_text(hints["left"])

    name.press_sequentially("y" * 8)
    expect(hint).to_have_text(hints["over"])
    # Said when the name went past the limit; the keys after that add no more announcements.
    expect(ui.get_by_test_id("add-type-name-hint-live")).to_have_text(hints["past"])
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(submit).to_be_disabled()
    name.press("Enter")
    assert accessibility_problems(ui, "add-type-form") == []

    for _ in range(3):
        name.press("Backspace")
    expect(submit).to_be_enabled()
    name.press("Enter")
    expect(ui.get_by_test_id("type-row")).to_have_count(1)
    assert [len(t["name"]) for t in api.get("/types").json()] == [100]


def test_rename_says_when_the_name_is_too_long(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    kit = create_type(api, "Orks", IN_BOX=1)
    page = open_context(lang).new_page()
    page.goto(f"/types/{kit['id']}")
    field = page.get_by_test_id("rename-input")
    field.fill("z" * 103)
    expect(page.get_by_test_id("rename-hint")).to_have_text(HINTS[lang]["over"])
    expect(page.get_by_test_id("rename-submit")).to_be_disabled()
    field.press("Enter")
    field.fill("z" * 95)
    expect(page.get_by_test_id("rename-hint")).to_have_text(HINTS[lang]["left"])
    page.get_by_test_id("rename-submit").click()
    expect(page.get_by_test_id("type-title")).to_have_text("z" * 95)
    assert api.get(f"/types/{kit['id']}").json()["name"] == "z" * 95
