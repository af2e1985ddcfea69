"""Toasts as a user sees them: few and small, clear of the rows' Move buttons on a desktop and
of the content on a phone, never over the control with the keyboard focus, above a dialog's
backdrop, and reachable with the keyboard."""

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import ARTIFACTS, OpenContext, create_type
from tests.e2e.test_import_dialog import write_backup

LABEL = {"en": "Notifications (Alt+T)", "ru": "Уведомления (Alt+T)"}
UNDO = {"en": "Undo", "ru": "Отменить"}
RESTORED = {"en": "Connection restored", "ru": "Связь восстановлена"}
NAMES = [f"Kit {letter}" for letter in "ABCDEFGHIJKL"]

Box = dict[str, Any]


def screenshot(page: Page, name: str) -> None:
    """What the screen shows (fixed toasts stay where they are, unlike in a full-page shot)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def box(locator: Locator) -> Box:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def overlap(a: Box, b: Box) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def in_view(page: Page, found: Box) -> bool:
    height = page.viewport_size["height"]  # type: ignore[index]
    return found["y"] + found["height"] > 0 and found["y"] < height


def quick_moves(page: Page, names: list[str]) -> None:
    """One +1 on each of these rows, as fast as a user taps: each raises a toast."""
    for name in names:
        row = page.locator(f'[data-testid="type-row"][data-type-name="{name}"]')
        row.get_by_test_id("quick-IN_BOX").click()
        expect(row.get_by_test_id("count-BUILDING")).to_have_text("1")


def add_types(page: Page, names: list[str]) -> None:
    """Adds types with the form: each says so in a toast of its own (no Undo)."""
    for name in names:
        page.get_by_test_id("add-type-name").fill(name)
        page.get_by_test_id("add-type-name").press("Enter")
        expect(page.get_by_test_id("toast").filter(has_text=name)).to_be_visible()


def seed(api: httpx.Client) -> None:
    for name in NAMES:
        create_type(api, name, IN_BOX=5)


def test_on_a_desktop_two_small_toasts_leave_the_move_buttons_free(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    seed(api)
    page = open_context(lang, viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row").first).to_be_visible()
    add_types(page, ["Kit Y", "Kit Z"])
    # Rows fill the screen down to its bottom edge, where toasts appear.
    page.mouse.wheel(0, 500)
    quick_moves(page, NAMES[4:8])

    # Six changes: only the newest two toasts stay, and one Undo, the latest change's.
    toasts = page.get_by_test_id("toast")
    expect(toasts).to_have_count(2)
    expect(toasts.first).to_contain_text("Kit Z")
    expect(toasts.last).to_contain_text("Kit H")
    screenshot(page, f"toasts-desktop-{lang}")
    moves = [box(button) for button in page.get_by_test_id("move-open").all()]
    moves = [found for found in moves if in_view(page, found)]
    assert len(moves) >= 4, "the test needs rows down to the bottom of the screen"
    for toast in toasts.all():
        found = box(toast)
        assert found["height"] <= 48, f"a toast is {found['height']}px tall"
        assert not any(overlap(found, move) for move in moves), "a toast covers a Move button"


def test_on_a_phone_a_toast_is_a_slim_bar_the_page_can_scroll_clear_of(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    seed(api)
    page = open_context(lang, viewport={"width": 360, "height": 740}).new_page()
    page.goto("/")
    expect(page.get_by_test_id("type-row").first).to_be_visible()
    add_types(page, ["Kit Y", "Kit Z"])
    first = page.locator('[data-testid="type-row"][data-type-name="Kit A"]')
    quick_moves(page, ["Kit A"])
    toasts = page.get_by_test_id("toast")
    expect(toasts).to_have_count(2)  # three changes: the newest two
    expect(toasts.first).to_contain_text("Kit Z")
    expect(toasts.last).to_contain_text("Kit A")
    screenshot(page, f"toasts-phone-{lang}")
    region = box(page.get_by_test_id("toasts"))
    assert region["height"] <= 740 / 6, f"the toasts take {region['height']}px of 740"
    # What just changed stays in sight, not under a toast: the two counts and the button tapped.
    # (A row is taller than half the phone's screen; its lower stages may go under the toasts.)
    for test_id in ("count-IN_BOX", "count-BUILDING", "quick-IN_BOX"):
        changed = box(first.get_by_test_id(test_id))
        assert in_view(page, changed) and not overlap(region, changed), f"{test_id} is hidden"

    # At the end of the page nothing of the content is left under the toasts.
    page.keyboard.press("End")
    last = page.locator('[data-testid="type-row"][data-type-name="Kit Z"]')
    expect(last).to_be_in_viewport()
    page.wait_for_function(
        "() => Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight"
    )
    assert box(last)["y"] + box(last)["height"] <= box(page.get_by_test_id("toasts"))["y"]


def test_a_toast_over_a_dialog_is_seen_and_reached_by_keyboard(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    seed(api)
    for width in (1280, 360):
        page = open_context(lang, viewport={"width": width, "height": 740}).new_page()
        page.goto("/")
        kit = page.locator('[data-testid="type-row"][data-type-name="Kit A"]')
        quick_moves(page, ["Kit A"])
        undo = page.get_by_test_id("toast").filter(has=page.get_by_test_id("toast-action"))
        expect(undo).to_be_visible()

        # The server goes away while a dialog is open; when it is back, a toast says so.
        page.route(re.compile(r".*/api/.*"), lambda route: route.abort("connectionrefused"))
        page.locator('[data-testid="type-row"][data-type-name="Kit B"]').get_by_test_id(
            "move-open"
        ).click()
        dialog = page.get_by_test_id("move-dialog")
        dialog.get_by_test_id("move-submit").click()
        expect(page.get_by_test_id("connection-banner")).to_be_visible()
        page.unroute(re.compile(r".*/api/.*"))
        restored = page.get_by_test_id("toast").filter(has_text=RESTORED[lang])
        expect(restored).to_be_visible(timeout=15_000)
        expect(dialog).to_be_visible()
        expect(page.get_by_test_id("toast")).to_have_count(2)

        # Above the backdrop: what is under the toast's middle is the toast itself.
        for toast in (undo, restored):
            found = box(toast)
            hit = page.evaluate(
                "([x, y]) => !!document.elementFromPoint(x, y)?.closest('[data-testid=toast]')",
                [found["x"] + found["width"] / 2, found["y"] + found["height"] / 2],
            )
            assert hit, f"a toast is under the dialog's backdrop at {width}px"
        expect(page.get_by_role("region", name=LABEL[lang])).to_be_visible()
        screenshot(page, f"toast-over-dialog-{width}-{lang}")

        # Alt+T reaches the newest toast; Escape there closes the toast, not the dialog, and
        # the keyboard goes back to where it was.
        before = page.evaluate("document.activeElement.dataset.testid")
        page.keyboard.press("Alt+t")
        expect(restored.get_by_test_id("toast-close")).to_be_focused()
        page.keyboard.press("Escape")
        expect(restored).to_have_count(0)
        expect(dialog).to_be_visible()
        assert page.evaluate("document.activeElement.dataset.testid") == before

        # Tab, inside the dialog, comes to the Undo toast.
        for _ in range(30):
            page.keyboard.press("Tab")
            if undo.get_by_test_id("toast-action").evaluate("b => b === document.activeElement"):
                break
        expect(undo.get_by_test_id("toast-action")).to_be_focused()
        expect(undo.get_by_test_id("toast-action")).to_have_text(UNDO[lang])
        page.keyboard.press("Enter")
        expect(kit.get_by_test_id("count-BUILDING")).to_have_text("0")
        expect(dialog).to_be_visible()
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        page.close()


def place_at_bottom(page: Page, target: Locator, gap: int) -> None:
    """Scrolls the page so that `target`'s bottom edge is `gap` px above the viewport's."""
    target.evaluate(
        "(element, gap) => scrollBy(0, element.getBoundingClientRect().bottom - innerHeight + gap)",
        gap,
    )


def assert_clear_of_toasts(page: Page, message: str) -> None:
    """The focused control comes to be in the viewport with no toast over any part of it (it
    may be scrolled clear a frame after the toast appears)."""
    try:
        page.wait_for_function(
            """() => {
                const focused = document.activeElement.getBoundingClientRect()
                const toasts = [...document.querySelectorAll('[data-testid=toast]')]
                const covered = toasts.some((toast) => {
                    const box = toast.getBoundingClientRect()
                    return focused.left < box.right && box.left < focused.right
                        && focused.top < box.bottom && box.top < focused.bottom
                })
                return !covered && focused.top >= 0 && focused.bottom <= innerHeight
            }""",
            timeout=3000,  # well within a toast's ten seconds: it is still there
        )
    except PlaywrightTimeoutError:
        raise AssertionError(message) from None


def test_no_toast_covers_the_control_with_the_keyboard_focus(
    open_context: OpenContext, api: httpx.Client, lang: str
) -> None:
    seed(api)
    for width, height in ((1280, 800), (360, 740)):
        page = open_context(lang, viewport={"width": width, "height": height}).new_page()
        page.goto("/")
        expect(page.get_by_test_id("type-row").first).to_be_visible()

        # "+1 →" of a row at the bottom of the screen, where the toast of its own move appears.
        row = page.locator('[data-testid="type-row"][data-type-name="Kit F"]')
        quick = row.get_by_test_id("quick-IN_BOX")
        place_at_bottom(page, quick, 30)
        quick.focus()
        page.keyboard.press("Enter")
        toast = page.get_by_test_id("toast").filter(has_text="Kit F")
        expect(toast).to_be_visible()
        expect(quick).to_be_focused()
        page.wait_for_function("() => document.getAnimations().length === 0")
        screenshot(page, f"toast-focus-enter-{width}-{lang}")
        assert_clear_of_toasts(page, f"the toast covers the focused button at {width}px")

        # Tab onto a control that sits under the toast (the pointer rests on it: it stays).
        toast.hover()
        after = page.locator('[data-testid="type-row"][data-type-name="Kit I"]')
        place_at_bottom(page, after.get_by_test_id("quick-IN_BOX"), 30)
        after.get_by_test_id("move-open").focus()
        assert overlap(box(toast), box(after.get_by_test_id("quick-IN_BOX"))), "the test needs it"
        page.keyboard.press("Tab")
        expect(after.get_by_test_id("quick-IN_BOX")).to_be_focused()
        expect(toast).to_be_visible()
        screenshot(page, f"toast-focus-tab-{width}-{lang}")
        assert_clear_of_toasts(page, f"the toast covers the button Tab came to at {width}px")
        page.close()


def test_a_tall_dialog_is_laid_out_above_the_toasts_on_a_phone(
    open_context: OpenContext, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    seed(api)
    page = open_context(lang, viewport={"width": 360, "height": 740}).new_page()
    # Errors the page reports only as an event (a ResizeObserver loop), not as an exception.
    page.add_init_script(
        "window.errors = []; addEventListener('error', (e) => window.errors.push(e.message))"
    )
    page.goto("/")
    quick_moves(page, ["Kit A"])
    toast = page.get_by_test_id("toast")
    expect(toast).to_have_count(1)
    toast.hover()  # the pointer rests on it: it stays

    # The import's preview, with the replace warning, is taller than the screen.
    page.get_by_test_id("import-button").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("import-dialog")
    expect(dialog).to_be_visible()
    scrolled = page.evaluate("scrollY")
    page.get_by_test_id("import-file").set_input_files(str(write_backup(tmp_path)))
    expect(dialog.get_by_test_id("import-mode-merge")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(dialog.get_by_test_id("import-replace-warning")).to_be_visible()
    page.keyboard.press("Tab")  # Back
    page.keyboard.press("Tab")  # Continue, at the dialog's end
    expect(dialog.get_by_test_id("import-next")).to_be_focused()
    expect(toast).to_be_visible()
    screenshot(page, f"toast-tall-dialog-{lang}")
    assert not overlap(box(dialog), box(toast)), "the toast covers the dialog's end"
    assert_clear_of_toasts(page, "the toast covers the dialog's focused button")
    assert page.evaluate("scrollY") == scrolled, "the page behind the dialog moved"

    # Once the toast is gone, the dialog has the whole height again.
    lifted = box(dialog)["height"]
    page.keyboard.press("Alt+t")
    page.keyboard.press("Escape")
    expect(toast).to_have_count(0)
    expect(dialog.get_by_test_id("import-next")).to_be_focused()
    page.wait_for_function(
        "(before) => document.querySelector('[data-testid=import-dialog]').offsetHeight > before",
        arg=lifted,
    )
    assert page.evaluate("window.errors") == []
