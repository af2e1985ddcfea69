"""Collection screen in a real browser: create, quick moves, the move dialog, search, totals."""

import re

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import OpenContext, create_type, move, screenshot
from tests.e2e.texts import STAGE_NAMES, TEXT


def row(page: Page, name: str) -> Locator:
    return page.locator(f'[data-testid="type-row"][data-type-name="{name}"]')


def test_create_types_and_quick_moves(ui: Page, lang: str) -> None:
    text = TEXT[lang]
    expect(ui.get_by_test_id("empty-state")).to_contain_text(text["empty"])
    expect(ui.get_by_role("heading", name=text["add_type"])).to_be_visible()

    ui.get_by_test_id("add-type-name").fill("Space Marines")
    ui.get_by_test_id("add-type-qty").fill("2")
    ui.get_by_test_id("add-type-qty").press("Enter")  # Enter submits
    expect(row(ui, "Space Marines")).to_be_visible()
    expect(ui.get_by_test_id("add-type-name")).to_have_value("")
    ui.get_by_test_id("add-type-name").fill("Орки")
    ui.get_by_test_id("add-type-qty").fill("1")
    ui.get_by_test_id("add-type-submit").click()

    marines = row(ui, "Space Marines")
    orks = row(ui, "Орки")
    expect(orks).to_be_visible()
    names = ui.get_by_test_id("type-name").all_inner_texts()
    # Each language's own alphabet first: Cyrillic before Latin in Russian.
    assert names == (["Space Marines", "Орки"] if lang == "en" else ["Орки", "Space Marines"])

    # Quick actions are disabled for empty stages and move exactly one.
    expect(marines.get_by_test_id("quick-BUILDING")).to_be_disabled()
    expect(marines.get_by_test_id("quick-IN_BOX")).to_be_enabled()
    expect(marines.get_by_test_id("quick-DONE")).to_have_count(0)
    marines.get_by_test_id("quick-IN_BOX").click()
    expect(marines.get_by_test_id("count-IN_BOX")).to_have_text("1")
    expect(marines.get_by_test_id("count-BUILDING")).to_have_text("1")
    expect(marines.get_by_test_id("quick-BUILDING")).to_be_enabled()
    marines.get_by_test_id("quick-IN_BOX").click()
    expect(marines.get_by_test_id("count-IN_BOX")).to_have_text("0")
    expect(marines.get_by_test_id("quick-IN_BOX")).to_be_disabled()
    for stage in ["BUILDING", "PRIMING", "PAINTING"]:
        marines.get_by_test_id(f"quick-{stage}").click()
    expect(marines.get_by_test_id("count-DONE")).to_have_text("1")
    expect(marines.get_by_test_id("count-BUILDING")).to_have_text("1")

    expect(ui.get_by_test_id("totals-total")).to_have_text("3")
    expect(ui.get_by_test_id("totals-DONE")).to_have_text("1")
    expect(ui.get_by_test_id("totals-percent")).to_have_text(text["percent"].format(p=33))
    screenshot(ui, f"collection-{lang}")

    # The same data survives a reload: it came from the server, not the page.
    ui.reload()
    expect(row(ui, "Space Marines").get_by_test_id("count-DONE")).to_have_text("1")


def test_move_dialog(ui: Page, api: httpx.Client, lang: str) -> None:
    text = TEXT[lang]
    create_type(api, "Necrons", IN_BOX=3, PAINTING=1)
    ui.reload()
    necrons = row(ui, "Necrons")
    necrons.get_by_test_id("move-open").click()
    dialog = ui.get_by_test_id("move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("move-available")).to_have_text(text["available"].format(n=3))
    # "from" offers only stages with miniatures; "to" only later stages.
    expect(dialog.get_by_test_id("move-from").locator("option")).to_have_count(2)
    expect(dialog.get_by_test_id("move-to").locator("option")).to_have_text(STAGE_NAMES[lang][1:])
    dialog.get_by_test_id("move-from").select_option("PAINTING")
    expect(dialog.get_by_test_id("move-to").locator("option")).to_have_text([STAGE_NAMES[lang][4]])
    expect(dialog.get_by_test_id("move-available")).to_have_text(text["available"].format(n=1))
    dialog.get_by_test_id("move-from").select_option("IN_BOX")

    qty = dialog.get_by_test_id("move-qty")
    qty.fill("4")
    expect(dialog.get_by_test_id("move-submit")).to_be_disabled()
    qty.fill("abc")
    expect(dialog.get_by_test_id("move-submit")).to_be_disabled()
    qty.fill("2")
    expect(dialog.get_by_test_id("move-submit")).to_be_enabled()
    screenshot(ui, f"move-dialog-{lang}")

    qty.press("Escape")  # Esc closes without moving
    expect(dialog).to_have_count(0)
    expect(necrons.get_by_test_id("count-IN_BOX")).to_have_text("3")

    necrons.get_by_test_id("move-open").click()
    dialog.get_by_test_id("move-to").select_option("PRIMING")
    dialog.get_by_test_id("move-qty").fill("2")
    dialog.get_by_test_id("move-qty").press("Enter")
    expect(dialog).to_have_count(0)
    expect(necrons.get_by_test_id("count-IN_BOX")).to_have_text("1")
    expect(necrons.get_by_test_id("count-PRIMING")).to_have_text("2")


def test_switching_language_keeps_what_the_user_was_doing(
    open_context: OpenContext, api: httpx.Client
) -> None:
    create_type(api, "Tyranids", IN_BOX=5)
    page = open_context("en").new_page()
    page.goto("/")
    page.get_by_test_id("add-type-name").fill("Half-typed name")
    page.get_by_test_id("search-input").fill("tyr")
    page.get_by_test_id("lang-menu").select_option("ru")
    expect(page.get_by_role("heading", name=TEXT["ru"]["add_type"])).to_be_visible()
    expect(page.get_by_test_id("add-type-name")).to_have_value("Half-typed name")
    expect(page.get_by_test_id("search-input")).to_have_value("tyr")
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    # An open dialog stays open with what was typed; its language switch works too.
    row(page, "Tyranids").get_by_test_id("move-open").click()
    dialog = page.get_by_test_id("move-dialog")
    dialog.get_by_test_id("move-qty").fill("3")
    dialog.get_by_test_id("lang-menu").select_option("en")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("move-qty")).to_have_value("3")
    expect(dialog.get_by_test_id("move-available")).to_have_text("Available: 5")
    dialog.get_by_test_id("lang-menu").select_option("ru")
    expect(dialog.get_by_test_id("move-available")).to_have_text("Доступно: 5")
    dialog.get_by_test_id("dialog-close").click()

    # The choice is remembered across reloads even though the browser speaks English.
    page.reload()
    expect(page.get_by_role("heading", name=TEXT["ru"]["add_type"])).to_be_visible()


def test_search_with_cyrillic_and_yo(ui: Page, api: httpx.Client, lang: str) -> None:
    for name in ["Ёжики", "Елки-палки", "Space Marines", "Тёмные эльдары"]:
        create_type(api, name, IN_BOX=1)
    ui.reload()
    search = ui.get_by_test_id("search-input")
    search.fill("еж")
    expect(ui.get_by_test_id("type-name")).to_have_text(["Ёжики"])
    search.fill("ЁЛК")
    expect(ui.get_by_test_id("type-name")).to_have_text(["Елки-палки"])
    search.fill("темн")
    expect(ui.get_by_test_id("type-name")).to_have_text(["Тёмные эльдары"])
    search.fill("MARINE")
    expect(ui.get_by_test_id("type-name")).to_have_text(["Space Marines"])
    search.fill("дракон")
    expect(ui.get_by_test_id("no-match")).to_contain_text(TEXT[lang]["no_match"])
    search.fill("")
    expect(ui.get_by_test_id("type-name")).to_have_count(4)


def test_quick_move_conflict_from_second_tab(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    kit = create_type(api, "Orks", PRIMING=1)
    context = open_context(lang)
    first = context.new_page()
    first.goto("/")
    expect(row(first, "Orks").get_by_test_id("quick-PRIMING")).to_be_enabled()

    second = context.new_page()
    second.goto("/")
    row(second, "Orks").get_by_test_id("quick-PRIMING").click()
    expect(row(second, "Orks").get_by_test_id("count-PAINTING")).to_have_text("1")

    # The first tab still shows the old count; its click meets the conflict.
    orks = row(first, "Orks")
    expect(orks.get_by_test_id("count-PRIMING")).to_have_text("1")
    orks.get_by_test_id("quick-PRIMING").click()
    expect(first.get_by_test_id("toast")).to_contain_text(TEXT[lang]["insufficient"].format(n=0))
    expect(orks.get_by_test_id("count-PRIMING")).to_have_text("0")
    expect(orks.get_by_test_id("count-PAINTING")).to_have_text("1")
    expect(orks.get_by_test_id("quick-PRIMING")).to_be_disabled()

    # A tab regaining focus reloads: another change shows up without a click.
    move(api, kit["id"], "PAINTING", "DONE", 1)
    first.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(orks.get_by_test_id("count-DONE")).to_have_text("1")


def test_lost_connection_is_said_plainly_and_recovers(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    create_type(api, "Eldar", IN_BOX=2)
    ui.reload()
    ui.route(re.compile(r".*/api/.*"), lambda route: route.abort("connectionrefused"))
    row(ui, "Eldar").get_by_test_id("quick-IN_BOX").click()
    expect(ui.get_by_test_id("connection-banner")).to_contain_text(TEXT[lang]["offline"])
    create_type(api, "Dark Angels", IN_BOX=1)  # changed elsewhere while this tab was cut off
    ui.unroute(re.compile(r".*/api/.*"))
    expect(ui.get_by_test_id("connection-banner")).to_have_count(0, timeout=10_000)
    expect(row(ui, "Dark Angels")).to_be_visible()
    expect(row(ui, "Eldar").get_by_test_id("count-IN_BOX")).to_have_text("2")
