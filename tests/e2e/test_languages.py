"""Every language of the UI, at 1280 and at 360 px: one page per language walks the main
screens and dialogs, and at each, in both widths, checks that no text is cut off or spills out
of its box, that nothing scrolls sideways, that every control's name holds its visible label,
and that axe finds no WCAG A/AA violation. Then the language menu, by keyboard alone."""

import re

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import (
    OpenContext,
    accessibility_problems,
    backup_file,
    create_type,
    move,
    screenshot,
    tab_to,
)
from tests.e2e.texts import LANGUAGES, say

WIDTHS = (1280, 360)

# Text that does not fit: a box whose content is wider than it (cut off where the box clips,
# spilling over its edge where it does not), or taller where it clips; an input's placeholder or
# a select's choice wider than the room inside it; and the page itself wider than the window.
LAYOUT_PROBLEMS = """() => {
  const problems = []
  const page = document.documentElement
  if (page.scrollWidth > innerWidth)
    problems.push(`the page scrolls sideways: ${page.scrollWidth}px`)
  const name = (el) => {
    const id = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : []
    const cls = classes.filter(Boolean).map((c) => `.${c}`).join('')
    const text = (el.innerText || el.placeholder || '').trim().replace(/\\s+/g, ' ').slice(0, 60)
    return `${el.localName}${id}${cls} "${text}"`
  }
  const textWidth = (el, text) => {
    const probe = document.createElement('span')
    probe.style.font = getComputedStyle(el).font
    probe.style.whiteSpace = 'pre'
    probe.textContent = text
    document.body.append(probe)
    const width = probe.getBoundingClientRect().width
    probe.remove()
    return width
  }
  const room = (el) => {
    const style = getComputedStyle(el)
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.visually-hidden, svg, canvas, option, script, style')) continue
    const style = getComputedStyle(el)
    if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue
    if (el.localName === 'select') {
      const text = el.options[el.selectedIndex]?.text ?? ''
      if (textWidth(el, text) > room(el) + 1) problems.push(`${name(el)}: "${text}" is cut off`)
      continue
    }
    if (el.localName === 'input' || el.localName === 'textarea') {
      if (!el.value && el.placeholder && textWidth(el, el.placeholder) > room(el) + 1)
        problems.push(`${name(el)}: its placeholder is cut off`)
      continue
    }
    if (el.clientWidth === 0) continue // inline: its line box belongs to the parent
    const clipsX = style.overflowX !== 'visible'
    const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip'
    const hasText = [...el.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()
    )
    if (el.scrollWidth > el.clientWidth + 1 && (clipsX || hasText))
      problems.push(`${name(el)}: ${el.scrollWidth}px of content in ${el.clientWidth}px`)
    if (clipsY && el.scrollHeight > el.clientHeight + 1 && el.innerText.trim())
      problems.push(`${name(el)}: ${el.scrollHeight}px high in ${el.clientHeight}px`)
  }
  return problems
}"""


def check(page: Page, where: str, found: dict[str, list[str]]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        # Laid out anew at that width: the chart redraws itself a frame after a resize.
        page.evaluate(
            "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )
        problems = [*page.evaluate(LAYOUT_PROBLEMS), *accessibility_problems(page)]
        if problems:
            found[f"{where}, {width} px"] = problems
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_screen_fits_and_reads_in(
    open_context: OpenContext, api: httpx.Client, backups_dir: object, lang: str
) -> None:
    found: dict[str, list[str]] = {}
    kit = create_type(
        api, "Adeptus Custodes Allarus Terminators", IN_BOX=1_000_000, BUILDING=12, PAINTING=3
    )
    move(api, kit["id"], "BUILDING", "PRIMING", 2)
    move(api, kit["id"], "PAINTING", "DONE", 1)
    create_type(api, "Orks", IN_BOX=3)
    api.post("/backups")
    page = open_context(
        lang, viewport={"width": 1280, "height": 800}, reduced_motion="reduce", timezone_id="UTC"
    ).new_page()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(say(lang, "collection.title"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_test_id("type-row")).to_have_count(2)
    check(page, "collection", found)

    page.get_by_test_id("add-type-name").fill("Orks")
    page.get_by_test_id("add-type-name").press("Enter")
    expect(page.get_by_text(say(lang, "errors.ERR_NAME_TAKEN"))).to_be_visible()
    page.get_by_test_id("add-type-name").fill("Necrons")
    page.get_by_test_id("add-type-name").press("Enter")
    expect(page.get_by_test_id("toast")).to_contain_text(
        say(lang, "addType.created", name="Necrons")
    )
    check(page, "collection with a toast", found)

    page.get_by_test_id("move-open").first.click()
    expect(page.get_by_test_id("move-dialog")).to_be_visible()
    check(page, "move dialog", found)
    page.keyboard.press("Escape")

    page.goto(f"/types/{kit['id']}")
    expect(page.get_by_test_id("history-row").first).to_be_visible()
    check(page, "type page", found)
    page.get_by_test_id("history-undo").first.click()
    expect(page.get_by_test_id("undo-dialog")).to_be_visible()
    check(page, "undo question", found)
    page.keyboard.press("Escape")
    page.get_by_test_id("delete-open").click()
    expect(page.get_by_test_id("delete-dialog")).to_be_visible()
    check(page, "delete question", found)
    page.keyboard.press("Escape")

    page.goto("/progress")
    expect(page.get_by_test_id("monthly-chart")).to_be_visible()
    page.locator("summary").click()  # the table under the chart
    check(page, "progress", found)

    page.get_by_test_id("import-button").click()
    dialog = page.get_by_test_id("import-dialog")
    expect(dialog.get_by_test_id("import-choose")).to_be_visible()
    backup = backup_file([{"name": "Tau Empire Fire Warriors", "counts": {"IN_BOX": 2}}])
    page.get_by_test_id("import-file").set_input_files(
        files=[{"name": "tau.json", "mimeType": "application/json", "buffer": backup.encode()}]
    )
    dialog.get_by_test_id("import-mode-replace").check()
    expect(dialog.get_by_test_id("import-replace-warning")).to_be_visible()
    check(page, "import preview", found)
    page.keyboard.press("Escape")

    # The backups screen speaks the language: its title, its words for a copy, its units.
    page.get_by_test_id("backups-button").click()
    backups = page.get_by_test_id("backups-dialog")
    expect(backups.get_by_role("heading", name=say(lang, "backups.title"))).to_be_visible()
    expect(backups).to_contain_text(say(lang, "backups.intro"))
    entry = backups.get_by_test_id("backup-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(say(lang, "backups.kind.manual"))
    unit = say(lang, "units.kib", n="").strip()
    expect(entry).to_contain_text(re.compile(rf"\d\s{re.escape(unit)}"))
    check(page, "backups", found)
    screenshot(page, f"languages-backups-{lang}")

    for where, problems in found.items():
        print(where)
        for problem in problems:
            print("   ", problem[:300])
    assert found == {}


def test_the_language_menu_by_keyboard(open_context: OpenContext, api: httpx.Client) -> None:
    """A French browser starts the app in French; Tab reaches the menu, a letter or an arrow
    picks a language; an open dialog and what was typed in it stay; the choice is kept."""
    create_type(api, "Orks", IN_BOX=5)
    page = open_context("fr").new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("fr", "collection.title"))

    def menu(lang: str, within: Page | Locator = page) -> Locator:
        return within.get_by_role("combobox", name=say(lang, "header.language"), exact=True)

    tab_to(page, menu("fr"))
    page.keyboard.press("I")  # type-ahead: Italiano
    expect(menu("it")).to_be_focused()
    expect(menu("it")).to_have_value("it")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("it", "collection.title"))
    expect(page).to_have_title(f"{say('it', 'collection.title')} — {say('it', 'app.name')}")
    page.keyboard.press("ArrowDown")  # the next one down: Русский
    expect(menu("ru")).to_have_value("ru")
    expect(menu("ru")).to_be_focused()

    # In the move dialog: its own menu, by Shift+Tab from the half-typed quantity.
    page.get_by_test_id("move-open").click()
    dialog = page.get_by_test_id("move-dialog")
    qty = dialog.get_by_test_id("move-qty")
    qty.fill("3")
    tab_to(page, menu("ru", dialog), back=True)
    page.keyboard.press("Alt+ArrowDown")  # the list opens; Home, Enter: the first, Deutsch
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text(say("de", "move.titleFor", name="Orks"))
    expect(qty).to_have_value("3")
    expect(menu("de", dialog)).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # Remembered, though the browser still prefers French.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(menu("de")).to_have_value("de")
