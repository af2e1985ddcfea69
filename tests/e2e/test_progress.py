"""The Progress screen, and a collection of a thousand types (virtual scrolling, search)."""

from datetime import UTC, datetime

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    OpenContext,
    backup_file,
    create_type,
    move,
    screenshot,
    scroll_by_key,
)
from tests.e2e.texts import TEXT


def test_progress_chart_and_totals(ui: Page, api: httpx.Client, lang: str) -> None:
    kit = create_type(api, "Ossiarch", IN_BOX=6)
    move(api, kit["id"], "IN_BOX", "DONE", 4)
    ui.get_by_test_id("nav-progress").click()
    page = ui.get_by_test_id("progress-page")
    expect(page.get_by_role("heading", name=TEXT[lang]["chart"])).to_be_visible()
    expect(page.get_by_test_id("totals-total")).to_have_text("6")
    expect(page.get_by_test_id("totals-DONE")).to_have_text("4")
    chart = page.get_by_test_id("monthly-chart").locator("canvas")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100  # type: ignore[index]
    expect(page.get_by_test_id("trend")).to_contain_text("4")
    page.locator("summary").click()
    expect(page.get_by_test_id("month-row")).to_have_count(1)
    expect(page.get_by_test_id("month-row").locator("td")).to_have_text(["6", "4"])
    screenshot(ui, f"progress-{lang}")


FIRST_ROW_PROBE = """
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-testid="type-row"]')) {
    window.__firstRowAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


def test_thousand_types_appear_and_scroll(open_context: OpenContext, api: httpx.Client) -> None:
    types = [{"name": f"Kit {n:04d}", "counts": {"IN_BOX": n % 7, "DONE": 1}} for n in range(1000)]
    response = api.post(
        "/import",
        params={"mode": "replace"},
        content=backup_file(types),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text

    context = open_context("en")
    context.add_init_script(FIRST_ROW_PROBE)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row").first).to_be_visible()
    first_row_ms = page.evaluate("window.__firstRowAt")
    api_ms = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".find(e => e.name.endsWith('/api/v1/types')).duration"
    )
    print(f"1000 types: first row at {first_row_ms:.0f} ms, GET /types took {api_ms:.0f} ms")
    expect(page.get_by_test_id("totals-total")).to_have_text(
        f"{sum(n % 7 + 1 for n in range(1000)):,}"  # as English writes it: 3,997
    )
    # Only the rows near the viewport exist, which is what keeps scrolling smooth.
    assert page.get_by_test_id("type-row").count() < 60

    page.keyboard.press("End")
    page.mouse.wheel(0, 10**6)
    expect(page.locator('[data-type-name="Kit 0999"]')).to_be_visible()
    page.get_by_test_id("search-input").fill("kit 05")
    expect(page.get_by_test_id("search-count")).to_have_text("Showing 100 of 1,000")


# The page's clock, held: "this month" is March 2027 whatever the day the test runs.
NOW = datetime(2027, 3, 15, 12, tzinfo=UTC)


def test_quiet_months_show_as_zero_up_to_this_month(ui: Page, api: httpx.Client, lang: str) -> None:
    ui.clock.set_fixed_time(NOW)
    bought = datetime(2026, 12, 10, 12, tzinfo=UTC).isoformat()
    finished = datetime(2027, 2, 10, 12, tzinfo=UTC).isoformat()
    history = [
        {"from_stage": None, "to_stage": "IN_BOX", "qty": 4, "at": bought},
        {"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 2, "at": finished},
    ]
    types = [
        {
            "name": "Ossiarch",
            "created_at": bought,
            "counts": {"IN_BOX": 2, "DONE": 2},
            "history": history,
        }
    ]
    response = api.post(
        "/import",
        params={"mode": "merge"},
        content=backup_file(types),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert len(api.get("/stats").json()["months"]) == 2  # the API lists months with activity

    ui.get_by_test_id("nav-progress").click()
    expect(ui.get_by_test_id("monthly-chart").locator("canvas")).to_be_visible()
    ui.locator("summary").click()
    rows = ui.get_by_test_id("month-row")
    # Four months, oldest first: the two quiet ones between and after show as zero.
    expect(rows).to_have_count(4)
    cells = [rows.nth(n).locator("td").all_inner_texts() for n in range(4)]
    assert cells == [["4", "0"], ["0", "0"], ["0", "2"], ["0", "0"]]


def test_end_shows_the_last_of_a_thousand_types_at_once_on_a_phone(
    open_context: OpenContext, api: httpx.Client
) -> None:
    types = [{"name": f"Kit {n:04d}", "counts": {"IN_BOX": n % 7, "DONE": 1}} for n in range(1000)]
    response = api.post(
        "/import",
        params={"mode": "replace"},
        content=backup_file(types),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    page = open_context("en", viewport={"width": 360, "height": 740}).new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row").first).to_be_visible()
    last = page.locator('[data-type-name="Kit 0999"]')
    # One press, no scrolling after it: the list's height was right before the rows were drawn.
    scroll_by_key(page, "End")
    expect(last).to_be_in_viewport()
    scroll_by_key(page, "Home")
    assert page.evaluate("window.scrollY") == 0
    expect(page.locator('[data-type-name="Kit 0000"]')).to_be_attached()
    scroll_by_key(page, "End")
    expect(last).to_be_in_viewport()
