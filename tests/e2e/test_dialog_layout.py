"""Dialogs on a phone (360 px): a long type name wraps across the dialog instead of being
squeezed beside the buttons, the close button stays a full target, and the page behind the
modal keeps still and keeps its place."""

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenContext, create_type

LONG = (
    "Adeptus Mechanicus Skitarii Vanguard Rangers with Onager Dunecrawler and Kataphron Breachers"
)
UNBROKEN = "Warhammer40000SpaceMarinesPrimarisIntercessorsStrikeForceCombatPatrolBoxSetEdition"


def scroll_y(page: Page) -> float:
    return float(page.evaluate("window.scrollY"))


def settle(page: Page) -> None:
    """Lets a few frames pass: a scroll the wheel or a key started has moved the page by then."""
    page.evaluate(
        """() => new Promise((done) => {
            let frames = 10
            const next = () => (--frames ? requestAnimationFrame(next) : done())
            requestAnimationFrame(next)
        })"""
    )


def check_head(page: Page, dialog_id: str) -> None:
    dialog = page.get_by_test_id(dialog_id)
    expect(dialog).to_be_visible()
    width = dialog.evaluate("d => d.clientWidth")
    title = dialog.locator("h2").first
    title_box = title.bounding_box()
    assert title_box is not None
    # The title has (nearly) the dialog's whole width, and all of it shows.
    assert title_box["width"] >= 0.8 * width, f"title {title_box['width']}px of {width}px"
    assert title.evaluate("h => h.scrollWidth <= h.clientWidth")
    close = dialog.get_by_test_id("dialog-close").bounding_box()
    assert close is not None and close["width"] >= 24 and close["height"] >= 24, close


def test_long_names_wrap_in_dialog_titles_and_the_page_keeps_still(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    for n in range(4):  # few enough that every row is drawn
        create_type(api, f"Kit {n}", IN_BOX=3)
    kit = create_type(api, LONG, IN_BOX=4)
    create_type(api, UNBROKEN, IN_BOX=2)
    page = open_context(lang, viewport={"width": 360, "height": 740}).new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row").first).to_be_visible()

    for name in (LONG, UNBROKEN):
        row = page.locator(f'[data-testid="type-row"][data-type-name="{name}"]')
        row.scroll_into_view_if_needed()
        at = scroll_y(page)
        assert at > 0
        row.get_by_test_id("move-open").click()
        check_head(page, "move-dialog")

        # Wheel and keys over the backdrop do not move the page behind it.
        page.mouse.move(4, 600)
        page.mouse.wheel(0, 1500)
        page.keyboard.press("PageDown")
        settle(page)
        assert scroll_y(page) == at
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("move-dialog")).to_have_count(0)
        # The page is where it was, and scrolls again.
        assert scroll_y(page) == at
        expect(row).to_be_in_viewport()
        page.mouse.wheel(0, -200)
        page.wait_for_function(f"window.scrollY < {at}")

    page.goto(f"/types/{kit['id']}")
    page.get_by_test_id("delete-open").click()
    check_head(page, "delete-dialog")
