"""The app at 360 px wide: nothing spills sideways, every main control stays reachable."""

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenContext, create_type, screenshot

NARROW = {"width": 360, "height": 740}


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"page is {width}px wide at {NARROW['width']}px"


def test_narrow_screen(open_context: OpenContext, api: httpx.Client, lang: str) -> None:
    kit = create_type(api, "Adeptus Custodes Allarus Terminators", IN_BOX=12, PAINTING=3)
    page = open_context(lang, viewport=NARROW).new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row")).to_have_count(1)
    assert_fits(page)
    expect(page.get_by_test_id("quick-IN_BOX")).to_be_visible()
    expect(page.get_by_test_id("import-button")).to_be_visible()
    screenshot(page, f"narrow-collection-{lang}")

    page.get_by_test_id("move-open").click()
    expect(page.get_by_test_id("move-submit")).to_be_in_viewport()
    assert_fits(page)
    page.keyboard.press("Escape")

    page.goto(f"/types/{kit['id']}")
    expect(page.get_by_test_id("type-title")).to_be_visible()
    assert_fits(page)
    screenshot(page, f"narrow-type-{lang}")
