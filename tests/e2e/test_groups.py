"""Armies and projects, notes and the spreadsheet in a real browser, in English and Russian: the
remembered filter, a group made while a type is added, a recipe written and saved (kept through
a language switch and a window that loses the focus, never lost on leaving), and the CSV file
read back with Python's csv module."""

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import create_type, screenshot
from tests.e2e.texts import STAGE_NAMES

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "all": "All armies and projects",
        "none": "No army / project",
        "totals": "Totals for “{name}”",
        "unsaved": "Unsaved changes",
        "headers": "Name,Army / project,{stages},Total,Notes",
        "has_notes": "Has notes",
        "group_of": "Army / project: {name}",
    },
    "ru": {
        "all": "Все армии и проекты",
        "none": "Без армии / проекта",
        "totals": "Итоги по «{name}»",
        "unsaved": "Есть несохранённые изменения",
        "headers": "Название,Армия / проект,{stages},Всего,Заметки",
        "has_notes": "Есть заметки",
        "group_of": "Армия / проект: {name}",
    },
}


def create_group(api: httpx.Client, name: str) -> int:
    response = api.post("/groups", json={"name": name})
    assert response.status_code == 201, response.text
    group_id: int = response.json()["id"]
    return group_id


def put(api: httpx.Client, type_id: int, **fields: Any) -> None:
    response = api.patch(f"/types/{type_id}", json=fields)
    assert response.status_code == 200, response.text


def names(page: Page) -> list[str]:
    return page.get_by_test_id("type-row").evaluate_all(
        "rows => rows.map((row) => row.dataset.typeName)"
    )


def test_the_collection_filtered_by_group_is_remembered(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    words = WORDS[lang]
    necrons = create_group(api, "Necrons")
    create_group(api, "Kill Team")
    warriors = create_type(api, "Necron Warriors", IN_BOX=10, DONE=10)
    lords = create_type(api, "Overlords", DONE=1)
    create_type(api, "Space Marines", IN_BOX=20)
    for kind in (warriors, lords):
        put(api, kind["id"], group_id=necrons)
    ui.reload()
    expect(ui.get_by_test_id("type-row")).to_have_count(3)
    expect(ui.get_by_test_id("type-row-group")).to_have_count(2)
    chooser = ui.get_by_test_id("group-filter")
    expect(chooser.locator("option")).to_have_text(
        [words["all"], words["none"], "Kill Team", "Necrons"]
    )

    chooser.select_option(str(necrons))
    assert names(ui) == ["Necron Warriors", "Overlords"]
    expect(ui.get_by_test_id("totals-title")).to_have_text(words["totals"].format(name="Necrons"))
    expect(ui.get_by_test_id("totals-total")).to_have_text("21")
    expect(ui.get_by_test_id("totals-DONE")).to_have_text("11")
    expect(ui.get_by_test_id("type-row-group")).to_have_count(0)  # every row shown is in it

    # Remembered across a restart of the page, and on the progress page too.
    ui.reload()
    expect(ui.get_by_test_id("type-row")).to_have_count(2)
    expect(ui.get_by_test_id("group-filter")).to_have_value(str(necrons))
    ui.get_by_test_id("nav-progress").click()
    expect(ui.get_by_test_id("totals-total")).to_have_text("21")
    expect(ui.get_by_test_id("group-filter")).to_have_value(str(necrons))
    rows = ui.get_by_test_id("group-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).get_by_test_id("group-percent")).to_contain_text("52")
    screenshot(ui, f"progress-group-{lang}")
    ui.get_by_test_id("nav-collection").click()

    # With the keyboard: the filter is reached with Tab and changed with the arrows.
    # (With a group shown, its own actions come between the filter and the search.)
    ui.get_by_test_id("search-input").focus()
    for before in ("group-delete-open", "group-rename-open", "group-filter"):
        ui.keyboard.press("Shift+Tab")
        expect(ui.get_by_test_id(before)).to_be_focused()
    ui.keyboard.press("Home")
    expect(chooser).to_have_value("all")
    expect(ui.get_by_test_id("type-row")).to_have_count(3)
    ui.keyboard.press("ArrowDown")
    expect(chooser).to_have_value("none")
    assert names(ui) == ["Space Marines"]
    screenshot(ui, f"collection-no-group-{lang}")


def test_a_group_made_while_adding_a_type(ui: Page, api: httpx.Client, lang: str) -> None:
    create_group(api, "Necrons")
    ui.reload()
    form = ui.get_by_test_id("add-type-form")
    form.get_by_test_id("add-type-name").fill("Kommandos")
    form.get_by_test_id("add-type-qty").fill("10")
    form.get_by_test_id("add-type-group").select_option("new")
    form.get_by_test_id("add-type-group-new-name").fill("  Kill Team ")
    form.get_by_test_id("add-type-submit").click()
    row = ui.locator('[data-testid="type-row"][data-type-name="Kommandos"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("type-row-group")).to_have_text(
        WORDS[lang]["group_of"].format(name="Kill Team") + "Kill Team"
    )
    groups = {g["name"]: g for g in api.get("/groups").json()["groups"]}
    assert groups["Kill Team"]["types"] == 1
    assert groups["Kill Team"]["total"] == 10
    # The new group is now a choice like any other, and the form's choice is kept.
    expect(form.get_by_test_id("add-type-group")).to_have_value(str(groups["Kill Team"]["id"]))
    form.get_by_test_id("add-type-name").fill("Veterans")
    form.get_by_test_id("add-type-name").press("Enter")
    expect(ui.get_by_test_id("type-row")).to_have_count(2)
    assert api.get("/groups").json()["groups"][0]["types"] == 2  # Kill Team sorts first

    # On a type's page: moved to another group, made there too.
    ui.locator('[data-type-name="Veterans"] [data-testid="type-name"]').click()
    picker = ui.get_by_test_id("type-group")
    expect(picker).to_have_value(str(groups["Kill Team"]["id"]))
    picker.select_option("new")
    ui.get_by_test_id("type-group-new-name").fill("Commissions")
    ui.get_by_test_id("type-group-save").click()
    expect(ui.get_by_test_id("type-group-name")).to_contain_text("Commissions")
    assert {g["name"] for g in api.get("/groups").json()["groups"]} == {
        "Commissions",
        "Kill Team",
        "Necrons",
    }


def test_a_recipe_written_and_saved(ui: Page, api: httpx.Client, lang: str) -> None:
    words = WORDS[lang]
    kit = create_type(api, "Necron Warriors", IN_BOX=10)
    ui.goto(f"/types/{kit['id']}")
    notes = ui.get_by_test_id("notes-input")
    recipe = "Leadbelcher base\nNuln Oil wash\n\tNecron Compound drybrush"
    notes.fill(recipe)
    expect(ui.get_by_test_id("notes-state")).to_have_text(words["unsaved"])

    # What was typed stays through a language switch and a window that loses the focus (the
    # page reads the type again when the focus comes back).
    other = "ru" if lang == "en" else "en"
    ui.get_by_test_id("lang-menu").select_option(other)
    expect(notes).to_have_value(recipe)
    ui.get_by_test_id("lang-menu").select_option(lang)
    with ui.expect_response(lambda response: response.url.endswith(f"/types/{kit['id']}")):
        ui.evaluate(
            "window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus'))"
        )
    expect(notes).to_have_value(recipe)

    # Leaving asks first; staying keeps everything.
    ui.get_by_test_id("back-link").click()
    dialog = ui.get_by_test_id("notes-leave-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("notes-stay")).to_be_focused()
    dialog.get_by_test_id("notes-stay").click()
    expect(dialog).to_have_count(0)
    expect(ui.get_by_test_id("type-page")).to_be_visible()
    expect(notes).to_have_value(recipe)
    assert api.get(f"/types/{kit['id']}").json()["notes"] == ""

    ui.get_by_test_id("notes-save").click()
    expect(ui.get_by_test_id("notes-state")).to_have_text("")
    assert api.get(f"/types/{kit['id']}").json()["notes"] == recipe
    screenshot(ui, f"type-notes-{lang}")

    # Saved: leaving asks nothing, and the row says the type has notes.
    ui.get_by_test_id("back-link").click()
    row = ui.locator('[data-type-name="Necron Warriors"]')
    expect(row.get_by_test_id("type-has-notes")).to_have_attribute("aria-label", words["has_notes"])
    ui.goto(f"/types/{kit['id']}")
    expect(notes).to_have_value(recipe)

    # Changed again and left through the dialog's "save and leave".
    notes.fill(recipe + "\nVarnish")
    ui.get_by_test_id("nav-progress").click()
    ui.get_by_test_id("notes-save-leave").click()
    expect(ui.get_by_test_id("progress-page")).to_be_visible()
    assert api.get(f"/types/{kit['id']}").json()["notes"] == recipe + "\nVarnish"


def test_the_spreadsheet_downloaded_and_read_back(
    ui: Page, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    # The page's clock, held: the file is named by this UTC date whatever the day the test runs.
    ui.clock.set_fixed_time(datetime(2027, 3, 31, 23, 30, tzinfo=UTC))
    necrons = create_group(api, 'Necrons "Szarekhan"')
    warriors = create_type(api, "Warriors, Necron", IN_BOX=10, DONE=5)
    formula = create_type(api, '=HYPERLINK("http://evil")', PAINTING=1)
    create_type(api, "Ёлки", BUILDING=2)
    create_type(api, "-10 Orks")
    put(api, warriors["id"], group_id=necrons, notes='Base: "Leadbelcher"\nWash: Nuln Oil')
    put(api, formula["id"], notes="@SUM(A1:A2)")
    ui.reload()
    expect(ui.get_by_test_id("type-row")).to_have_count(4)
    shown = names(ui)

    with ui.expect_download() as download_info:
        ui.get_by_test_id("csv-export").click()
    download = download_info.value
    assert download.suggested_filename == "miniatures-2027-03-31.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n") + 1  # the one line break inside a note
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    stages = ",".join(STAGE_NAMES[lang])
    assert ",".join(rows[0]) == WORDS[lang]["headers"].format(stages=stages)
    by_name = {row[0].removeprefix("'"): row for row in rows[1:]}
    # One row per type, in the list's order.
    assert [row[0].removeprefix("'") for row in rows[1:]] == shown
    assert by_name["Warriors, Necron"] == [
        "Warriors, Necron",
        'Necrons "Szarekhan"',
        "10",
        "0",
        "0",
        "0",
        "5",
        "15",
        'Base: "Leadbelcher"\nWash: Nuln Oil',
    ]
    # No cell a spreadsheet would run as a formula.
    assert by_name['=HYPERLINK("http://evil")'][0] == '\'=HYPERLINK("http://evil")'
    assert by_name['=HYPERLINK("http://evil")'][8] == "'@SUM(A1:A2)"
    assert by_name["-10 Orks"][0] == "'-10 Orks"
    assert by_name["Ёлки"][:8] == ["Ёлки", "", "0", "2", "0", "0", "0", "2"]
    # Every text cell is quoted, its quotes doubled (RFC 4180); numbers are not.
    assert b'"Necrons ""Szarekhan""",10,0,0,0,5,15,' in raw


def test_the_import_and_restore_previews_say_how_many_groups_a_file_brings(
    ui: Page, api: httpx.Client, lang: str
) -> None:
    create_group(api, "Necrons")
    create_type(api, "Orks", IN_BOX=1)
    file = {
        "format": "miniatures-tracker",
        "version": 3,
        "groups": [{"name": "NECRONS"}, {"name": "Kill Team"}, {"name": "Commissions"}],
        "types": [{"name": "Kommandos", "group": "Kill Team", "counts": {"IN_BOX": 5}}],
    }
    ui.reload()
    ui.get_by_test_id("import-button").click()
    dialog = ui.get_by_test_id("import-dialog")
    body = json.dumps(file).encode()
    ui.get_by_test_id("import-file").set_input_files(
        files=[{"name": "groups.json", "mimeType": "application/json", "buffer": body}]
    )
    # A merge makes the two it does not have; a replace all three.
    merge = dialog.get_by_test_id("import-summary-merge")
    expect(merge.get_by_test_id("summary-groups")).to_have_text("2")
    dialog.get_by_test_id("import-mode-replace").check()
    replace = dialog.get_by_test_id("import-summary-replace")
    expect(replace.get_by_test_id("summary-groups")).to_have_text("3")
    dialog.get_by_test_id("import-mode-merge").check()
    dialog.get_by_test_id("import-next").click()
    dialog.get_by_test_id("import-confirm").click()
    expect(dialog.get_by_test_id("result-groups")).to_have_text("2")
    dialog.get_by_test_id("import-close").click()
    expect(ui.get_by_test_id("group-filter").locator("option")).to_have_count(5)

    # A copy of it, restored: its preview counts the groups it holds.
    assert api.post("/backups").status_code == 201
    ui.get_by_test_id("backups-button").click()
    backups = ui.get_by_test_id("backups-dialog")
    backups.get_by_test_id("backup-restore").first.click()
    expect(backups.get_by_test_id("restore-copy")).to_contain_text(
        {"en": "3 armies / projects", "ru": "3 армии / проекта"}[lang]
    )
