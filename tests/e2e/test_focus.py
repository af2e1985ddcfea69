"""Where the focus goes and what is said, in a real browser: busy buttons keep the focus, a new
page takes it to its heading with its own title, the move form never picks a stage by itself,
and every quantity field says which numbers it takes."""

import httpx
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import OpenContext, create_type, wait_until
from tests.e2e.texts import STAGE_NAMES, TEXT

# What the live region says, in order, as a screen reader hears it: each new text it shows.
RECORD_HEARD = """
window.__heard = []
let shown = ''
new MutationObserver(() => {
    const text = document.querySelector('[data-testid="announcer"]')?.textContent ?? ''
    if (text && text !== shown) window.__heard.push(text)
    shown = text
}).observe(document, { subtree: true, childList: true, characterData: true })
"""


def heard(page: Page) -> list[str]:
    said: list[str] = page.evaluate("window.__heard")
    return said


def hold(page: Page, pattern: str) -> list[Route]:
    """Requests matching `pattern` wait until the test lets them go (route.continue_())."""
    held: list[Route] = []
    page.route(pattern, lambda route: held.append(route))
    return held


def test_busy_quick_button_and_export_keep_the_focus(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    create_type(api, "Necrons", IN_BOX=1)
    ui.add_init_script(RECORD_HEARD)
    ui.reload()
    row = ui.locator('[data-testid="type-row"][data-type-name="Necrons"]')
    quick = row.get_by_test_id("quick-IN_BOX")
    moves = hold(ui, "**/api/v1/types/*/move")

    quick.focus()
    ui.keyboard.press("Enter")
    wait_until(ui, lambda: len(moves) == 1)
    # While the move runs the button keeps the focus, says it cannot act, and a long wait is said.
    expect(quick).to_be_focused()
    expect(quick).to_have_attribute("aria-disabled", "true")
    busy = text["quick_busy"].format(name="Necrons")
    expect(ui.get_by_test_id("announcer")).to_have_text(busy)
    ui.keyboard.press("Enter")
    moves[0].continue_()
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("1")
    # Once it is done, the wait is no longer there to be read; it was said once.
    expect(ui.get_by_test_id("announcer")).to_have_text("")
    assert heard(ui) == [busy]
    # In box is empty now: the focus is still there, and Enter does nothing.
    expect(quick).to_be_focused()
    expect(quick).to_be_disabled()
    ui.keyboard.press("Enter")
    ui.keyboard.press("Space")
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("1")
    assert len(moves) == 1

    exports = hold(ui, "**/api/v1/export")
    export = ui.get_by_test_id("export-button")
    export.focus()
    with ui.expect_download() as download:
        ui.keyboard.press("Enter")
        wait_until(ui, lambda: len(exports) == 1)
        expect(export).to_be_focused()
        expect(export).to_have_attribute("aria-disabled", "true")
        expect(ui.get_by_test_id("announcer")).to_have_text(text["exporting"])
        ui.keyboard.press("Enter")  # ignored while busy
        exports[0].continue_()
    assert download.value.suggested_filename.endswith(".json")
    expect(export).not_to_have_attribute("aria-disabled", "true")
    expect(export).to_be_focused()
    assert len(exports) == 1
    expect(ui.get_by_test_id("announcer")).to_have_text("")
    assert heard(ui) == [busy, text["exporting"]]


def test_a_quick_move_is_heard_once_by_its_result(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    create_type(api, "Necrons", IN_BOX=2)
    page = open_context(lang).new_page()
    page.add_init_script(RECORD_HEARD)
    page.clock.install()
    page.goto("/")
    row = page.locator('[data-testid="type-row"][data-type-name="Necrons"]')
    quick = row.get_by_test_id("quick-IN_BOX")
    expect(quick).to_be_visible()
    # The page's time stands still while the move runs, however slow the machine: the move ends
    # before the wait could count as long.
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    quick.focus()
    page.keyboard.press("Enter")
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("1")
    toast = page.get_by_test_id("toast")
    expect(toast).to_have_count(1)
    expect(toast).to_contain_text("Necrons")
    page.clock.run_for(3000)
    page.clock.resume()
    # The toast (a status region) says what happened; nothing else was said.
    assert heard(page) == []
    expect(page.get_by_test_id("announcer")).to_have_text("")


def test_route_changes_focus_the_heading_and_title_the_page(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    create_type(api, "Necrons", IN_BOX=2)
    ui.add_init_script(RECORD_HEARD)
    ui.reload()
    expect(ui.get_by_role("heading", level=1)).to_have_text(text["collection"])
    expect(ui).to_have_title(f"{text['collection']} — {text['app']}")

    ui.get_by_test_id("type-name").focus()
    ui.keyboard.press("Enter")
    heading = ui.get_by_role("heading", level=1, name="Necrons")
    expect(heading).to_be_focused()
    expect(ui).to_have_title(f"Necrons — {text['app']}")
    # The focused heading names the page; it is not said a second time by the live region.
    assert heard(ui) == []

    other = "ru" if lang == "en" else "en"
    ui.get_by_test_id("lang-menu").select_option(other)
    expect(ui).to_have_title(f"Necrons — {TEXT[other]['app']}")
    ui.get_by_test_id("lang-menu").select_option(lang)

    # A header link keeps existing after the click: the focus still moves to the new heading.
    ui.get_by_test_id("nav-progress").focus()
    ui.keyboard.press("Enter")
    expect(ui.get_by_role("heading", level=1, name=text["progress"])).to_be_focused()
    expect(ui).to_have_title(f"{text['progress']} — {text['app']}")
    ui.go_back()
    expect(ui.get_by_role("heading", level=1, name="Necrons")).to_be_focused()
    assert heard(ui) == []


def test_move_form_keeps_the_chosen_stage_and_confirms(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    stages = STAGE_NAMES[lang]
    kit = create_type(api, "Necrons", IN_BOX=2, PRIMING=1)
    ui.goto(f"/types/{kit['id']}")
    form = ui.get_by_test_id("move-form")
    qty = form.get_by_test_id("move-qty")
    qty.fill("2")
    qty.press("Enter")
    expect(ui.get_by_test_id("type-count-BUILDING")).to_have_text("2")
    status = form.get_by_role("status")
    expect(status).to_contain_text(text["move_done"].format(qty=2, a=stages[0], b=stages[1]))
    expect(status).to_contain_text(text["from_empty"].format(stage=stages[0]))
    expect(form.get_by_test_id("move-from")).to_have_value("IN_BOX")
    expect(form.get_by_test_id("move-from")).to_have_accessible_description(
        text["from_empty"].format(stage=stages[0])
    )
    expect(form.get_by_test_id("move-submit")).to_be_disabled()
    expect(qty).to_be_focused()

    # A second Enter moves nothing: not from the stage that is empty, nor from another one.
    posts: list[str] = []
    ui.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    qty.press("Enter")
    form.get_by_test_id("move-submit").press("Enter")
    expect(ui.get_by_test_id("type-count-PRIMING")).to_have_text("1")
    expect(ui.get_by_test_id("type-count-BUILDING")).to_have_text("2")
    assert posts == []


def test_every_quantity_field_says_which_numbers_it_takes(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    text = TEXT[lang]
    million = text["million"]
    box = ui.get_by_test_id("add-type-qty")
    ui.get_by_test_id("add-type-name").fill("Necrons")
    for value in ["-1", "1.5", "abc", "1000001"]:
        box.fill(value)
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(box).to_have_accessible_description(text["qty_invalid"].format(min=0, max=million))
        expect(ui.get_by_test_id("add-type-submit")).to_be_disabled()
    box.fill("3")
    expect(box).to_have_attribute("aria-invalid", "false")
    expect(ui.get_by_test_id("add-type-qty-invalid")).to_have_count(0)
    box.press("Enter")
    row = ui.locator('[data-testid="type-row"][data-type-name="Necrons"]')
    expect(row).to_be_visible()

    kit = api.get("/types").json()[0]
    ui.goto(f"/types/{kit['id']}")
    bought = ui.get_by_test_id("add-qty")
    for value in ["-1", "1.5", "abc", "1000001"]:
        bought.fill(value)
        expect(bought).to_have_attribute("aria-invalid", "true")
        expect(bought).to_have_accessible_description(
            text["qty_invalid"].format(min=1, max=million)
        )
        expect(ui.get_by_test_id("add-submit")).to_be_disabled()
    move = ui.get_by_test_id("move-qty")
    move.fill("4")
    expect(move).to_have_attribute("aria-invalid", "true")
    expect(ui.get_by_test_id("move-qty-invalid")).to_have_text(
        text["qty_invalid"].format(min=1, max=3)
    )
    expect(move).to_have_accessible_description(
        f"{text['available'].format(n=3)} {text['qty_invalid'].format(min=1, max=3)}"
    )


def test_type_page_buttons_keep_the_focus(ui: Page, api: httpx.Client, lang: str) -> None:
    kit = create_type(api, "Necrons", IN_BOX=1)
    ui.goto(f"/types/{kit['id']}")
    # Each button pressed from the keyboard keeps the focus while its request runs and after,
    # also when it then has nothing left to do (the stage is empty, the name is the same).
    move = ui.get_by_test_id("move-submit")
    move.focus()
    ui.keyboard.press("Enter")
    expect(ui.get_by_test_id("type-count-BUILDING")).to_have_text("1")
    expect(move).to_be_focused()
    expect(move).to_be_disabled()

    add = ui.get_by_test_id("add-submit")
    add.focus()
    ui.keyboard.press("Space")
    expect(ui.get_by_test_id("type-count-IN_BOX")).to_have_text("1")
    expect(add).to_be_focused()

    ui.get_by_test_id("rename-input").fill("Necron Warriors")
    rename = ui.get_by_test_id("rename-submit")
    rename.focus()
    ui.keyboard.press("Enter")
    expect(ui.get_by_test_id("type-title")).to_have_text("Necron Warriors")
    expect(rename).to_be_focused()
    expect(rename).to_be_disabled()
