"""The app at 360 px wide: nothing spills sideways, every main control stays reachable."""

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenContext, create_type, screenshot
from tests.e2e.texts import STAGE_NAMES

NARROW = {"width": 360, "height": 740}


def assert_fits(page: Page, viewport: int = NARROW["width"]) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport, f"page is {width}px wide at {viewport}px"


def test_header_fits_the_smallest_phone(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    page = open_context(lang, viewport={"width": 320, "height": 640}).new_page()
    page.goto("/")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    assert_fits(page, 320)
    for control in ["nav-progress", "export-button", "import-button", "lang-menu"]:
        expect(page.get_by_test_id(control)).to_be_in_viewport()


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


def test_quick_buttons_and_counts_read_at_360(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    create_type(api, "Stormcast", IN_BOX=7, BUILDING=1, PRIMING=2, PAINTING=3, DONE=4)
    page = open_context(lang, viewport=NARROW).new_page()
    page.goto("/")
    for index, stage in enumerate(["IN_BOX", "BUILDING", "PRIMING", "PAINTING"]):
        button = page.get_by_test_id(f"quick-{stage}")
        expect(button).to_be_visible()
        # The target stage is written, not shown by colour alone (WCAG 1.4.1).
        expect(button.locator(".quick__to")).to_have_text(STAGE_NAMES[lang][index + 1])
        expect(button.locator(".quick__to")).to_be_visible()
        clipped = button.evaluate("b => b.scrollWidth > b.clientWidth")
        assert not clipped, f"the quick button of {stage} is cut off at 360 px"

    # Two stages a row at 360 px, three at 600: side by side, counts are level, also where
    # one of them (Done) has no button.
    def level(a: str, b: str) -> bool:
        first = page.get_by_test_id(f"count-{a}").bounding_box()
        second = page.get_by_test_id(f"count-{b}").bounding_box()
        return bool(first and second and abs(first["y"] - second["y"]) < 1)

    assert level("IN_BOX", "BUILDING") and level("PRIMING", "PAINTING")
    page.set_viewport_size({"width": 600, "height": 740})
    assert level("IN_BOX", "PRIMING") and level("PAINTING", "DONE")


TEXT_WIDTH = """select => {
  const probe = document.createElement('span')
  probe.style.font = getComputedStyle(select).font
  probe.style.whiteSpace = 'pre'
  probe.textContent = select.options[select.selectedIndex].text
  document.body.append(probe)
  const width = probe.getBoundingClientRect().width
  probe.remove()
  return width
}"""


def test_wide_form_fields_have_room(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    kit = create_type(api, "Stormcast", IN_BOX=17, BUILDING=1)
    page = open_context(lang, viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/")
    # The add-type labels stay on one line, so the inputs are level.
    name = page.get_by_test_id("add-type-name").bounding_box()
    qty = page.get_by_test_id("add-type-qty").bounding_box()
    assert name and qty and abs(name["y"] - qty["y"]) < 1
    labels = page.get_by_test_id("add-type-form").locator(".field__label")
    heights = [labels.nth(i).bounding_box()["height"] for i in range(2)]  # type: ignore[index]
    assert heights[0] == heights[1], f"a label wraps: {heights}"

    page.goto(f"/types/{kit['id']}")
    select = page.get_by_test_id("move-from")
    select.select_option("IN_BOX")  # "В коробке (17)", the longest choice
    text = select.evaluate(TEXT_WIDTH)
    room = select.evaluate("s => s.clientWidth")
    assert text + 40 <= room, f"'From' shows {room}px for {text:.0f}px of text plus the arrow"
