"""The main flow with the keyboard alone (Tab, Shift+Tab, Enter, Space, Escape, arrows), in each
language: after every step the test checks where the focus is (the focused element's role and
accessible name) and what the user sees. No mouse, and no focus set by the test."""

import re
from pathlib import Path

import httpx
from playwright.sync_api import FileChooser, Page, expect

from tests.e2e.conftest import tab_to, wait_until
from tests.e2e.texts import say


def test_main_flow_with_the_keyboard_alone(
    ui: Page, api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    other = "de" if lang == "en" else "en"
    stage = {code: say(lang, f"stages.{code}") for code in ("IN_BOX", "BUILDING", "PRIMING")}
    page = ui
    # Listening from the start: the browser then hands every file chooser to the test.
    choosers: list[FileChooser] = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    expect(page.get_by_test_id("empty-state")).to_be_visible()

    # Add a type: Tab to the name, type, Tab to the number, Enter. The name field is ready again.
    name = page.get_by_role("textbox", name=say(lang, "addType.name"), exact=True)
    tab_to(page, name)
    page.keyboard.type("Necrons")
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name=say(lang, "addType.qty"))).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    row = page.locator('[data-testid="type-row"][data-type-name="Necrons"]')
    expect(row.get_by_test_id("count-IN_BOX")).to_have_text("3")
    expect(page.get_by_test_id("toast").first).to_contain_text(
        say(lang, "addType.created", name="Necrons")
    )
    expect(name).to_be_focused()

    # Quick move: Tab to "+1 → Building"; Enter, then Space, each moves one; the focus stays.
    quick = page.get_by_role(
        "button", name=re.compile(f"^{re.escape('+1 → ' + stage['BUILDING'])}")
    )
    tab_to(page, quick)
    page.keyboard.press("Enter")
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("1")
    expect(quick).to_be_focused()
    page.keyboard.press("Space")
    expect(row.get_by_test_id("count-BUILDING")).to_have_text("2")
    expect(row.get_by_test_id("count-IN_BOX")).to_have_text("1")
    expect(quick).to_be_focused()

    # The move dialog: Shift+Tab back to "Move…", Enter opens it on the number; Escape closes it
    # and the focus goes back to the button.
    move_open = page.get_by_role("button", name=say(lang, "list.moveLabel", name="Necrons"))
    tab_to(page, move_open, back=True)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=say(lang, "move.titleFor", name="Necrons"))
    expect(dialog).to_be_visible()
    how_many = dialog.get_by_role("textbox", name=say(lang, "move.qty"), exact=True)
    expect(how_many).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(move_open).to_be_focused()
    # Again: "To" chosen with an arrow key, then Enter in the number moves and closes the dialog.
    page.keyboard.press("Enter")
    expect(how_many).to_be_focused()
    to = dialog.get_by_role("combobox", name=say(lang, "move.to"), exact=True)
    tab_to(page, to, back=True)
    expect(to).to_have_value("BUILDING")
    page.keyboard.press("ArrowDown")
    expect(to).to_have_value("PRIMING")
    page.keyboard.press("Tab")
    expect(how_many).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(row.get_by_test_id("count-PRIMING")).to_have_text("1")
    expect(row.get_by_test_id("count-IN_BOX")).to_have_text("0")
    expect(page.get_by_test_id("toast").last).to_contain_text(
        say(
            lang,
            "move.moved",
            name="Necrons",
            qty=1,
            **{"from": stage["IN_BOX"]},
            to=stage["PRIMING"],
        )
    )
    expect(move_open).to_be_focused()

    # The type page: Shift+Tab to the type's link, Enter; the focus lands on its heading.
    link = page.get_by_role("link", name=say(lang, "list.open", name="Necrons"))
    tab_to(page, link, back=True)
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Necrons")
    expect(heading).to_be_focused()
    app = say(lang, "app.name")
    expect(page).to_have_title(f"Necrons — {app}")

    # Its move form: Building is chosen; moving both empties it, the form says so and keeps it.
    form = page.get_by_test_id("move-form")
    from_stage = form.get_by_role("combobox", name=say(lang, "move.from"), exact=True)
    tab_to(page, from_stage)
    expect(from_stage).to_have_value("BUILDING")
    qty = form.get_by_role("textbox", name=say(lang, "move.qty"), exact=True)
    tab_to(page, qty)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("type-count-PRIMING")).to_have_text("3")
    status = form.get_by_role("status")
    expect(status).to_contain_text(
        say(lang, "move.done", qty=2, **{"from": stage["BUILDING"]}, to=stage["PRIMING"])
    )
    expect(status).to_contain_text(say(lang, "move.fromEmpty", stage=stage["BUILDING"]))
    expect(from_stage).to_have_value("BUILDING")
    expect(qty).to_be_focused()
    page.keyboard.press("Enter")  # nothing left there: nothing moves
    expect(page.get_by_test_id("type-count-PRIMING")).to_have_text("3")

    # Rename: Tab to the new name, replace it, Enter; the heading follows, the focus stays.
    rename = page.get_by_role("textbox", name=say(lang, "type.renameLabel"))
    tab_to(page, rename)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Necron Warriors")
    page.keyboard.press("Enter")
    expect(heading).to_have_text("Necron Warriors")
    expect(page).to_have_title(f"Necron Warriors — {app}")
    expect(rename).to_be_focused()

    # Its army or project: Tab to the choice, End picks "New…", Tab to its name, type, Enter
    # saves; the focus stays in the form.
    group_form = page.get_by_test_id("type-group-form")
    group = group_form.get_by_role("combobox", name=say(lang, "groups.label"), exact=True)
    tab_to(page, group)
    page.keyboard.press("End")
    expect(group).to_have_value("new")
    page.keyboard.press("Tab")
    new_group = group_form.get_by_role("textbox", name=say(lang, "groups.newName"), exact=True)
    expect(new_group).to_be_focused()
    page.keyboard.type("Szarekhan Dynasty")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("type-group-name")).to_contain_text("Szarekhan Dynasty")
    expect(page.get_by_test_id("toast").last).to_contain_text(
        say(lang, "groups.assigned", name="Necron Warriors", group="Szarekhan Dynasty")
    )
    expect(group).to_have_accessible_name(say(lang, "groups.label"))

    # Notes: Tab to the text, type a recipe on two lines (Enter is a line break there), Tab to
    # "Save notes", Enter; the focus stays on the button.
    notes = page.get_by_role("textbox", name=say(lang, "notes.label"), exact=True)
    tab_to(page, notes)
    page.keyboard.type("Leadbelcher")
    page.keyboard.press("Enter")
    page.keyboard.type("Nuln Oil")
    expect(notes).to_have_value("Leadbelcher\nNuln Oil")
    expect(page.get_by_test_id("notes-state")).to_have_text(say(lang, "notes.unsaved"))
    save_notes = page.get_by_role("button", name=say(lang, "notes.save"), exact=True)
    page.keyboard.press("Tab")
    expect(save_notes).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("notes-state")).to_have_text("")
    expect(page.get_by_test_id("toast").last).to_contain_text(say(lang, "notes.saved"))
    expect(save_notes).to_be_focused()

    # Export: back to the header with Shift+Tab; Enter downloads; the focus stays on Export.
    export = page.get_by_role("button", name=say(lang, "header.export"), exact=True)
    tab_to(page, export, back=True)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    expect(export).to_be_focused()
    expect(page.get_by_test_id("toast").last).to_contain_text(
        say(lang, "backup.exported", name=saved.name)
    )

    # Import with its preview: Tab to Import, Enter; the dialog opens on "Choose a backup file";
    # Enter opens the file chooser.
    import_button = page.get_by_role("button", name=say(lang, "header.import"), exact=True)
    tab_to(page, import_button)
    page.keyboard.press("Enter")
    importing = page.get_by_role("dialog", name=say(lang, "backup.importTitle"))
    # (the hidden file input has the same name, so the visible button is found by its test id)
    choose = importing.get_by_test_id("import-choose")
    expect(choose).to_have_role("button")
    expect(choose).to_have_accessible_name(say(lang, "backup.choose"))
    expect(choose).to_be_focused()
    page.keyboard.press("Enter")
    wait_until(page, lambda: len(choosers) == 1)
    choosers[0].set_files(str(saved))
    merge = importing.get_by_role(
        "radio", name=re.compile(re.escape(say(lang, "backup.modeMerge")))
    )
    expect(
        importing.get_by_test_id("import-summary-merge").get_by_test_id("summary-merged")
    ).to_have_text("1")
    # The preview: the focus is on the chosen mode; the modes are radios, chosen with the arrows.
    expect(merge).to_be_focused()
    expect(merge).to_be_checked()
    page.keyboard.press("ArrowDown")
    replace = importing.get_by_role(
        "radio", name=re.compile(re.escape(say(lang, "backup.modeReplace")))
    )
    expect(replace).to_be_focused()
    expect(replace).to_be_checked()
    expect(importing.get_by_test_id("import-replace-warning")).to_be_visible()
    page.keyboard.press("ArrowUp")
    expect(merge).to_be_checked()
    expect(importing.get_by_test_id("import-double-warning")).to_be_visible()
    proceed = importing.get_by_role("button", name=say(lang, "backup.next"))
    tab_to(page, proceed)
    page.keyboard.press("Enter")
    # Each step puts the focus on its first control: the question's answer, then Close.
    confirm = importing.get_by_role("button", name=say(lang, "backup.doMerge"))
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(importing.get_by_test_id("result-merged")).to_have_text("1")
    close = importing.get_by_test_id("import-close")
    expect(close).to_be_focused()
    page.keyboard.press("Enter")
    expect(importing).to_have_count(0)
    expect(import_button).to_be_focused()
    expect(page.get_by_test_id("type-count-PRIMING")).to_have_text("6")  # merged: doubled

    # Delete: Tab to "Delete…", Enter; the question opens on Cancel; Tab, Enter deletes and the
    # collection's heading takes the focus.
    delete = page.get_by_role("button", name=say(lang, "type.deleteButton"))
    tab_to(page, delete)
    page.keyboard.press("Enter")
    question = page.get_by_role(
        "dialog", name=say(lang, "type.deleteConfirmTitle", name="Necron Warriors")
    )
    expect(question.get_by_role("button", name=say(lang, "common.cancel"))).to_be_focused()
    page.keyboard.press("Escape")
    expect(question).to_have_count(0)
    expect(delete).to_be_focused()
    page.keyboard.press("Enter")
    sure = question.get_by_role("button", name=say(lang, "type.deleteConfirm"))
    tab_to(page, sure)
    page.keyboard.press("Enter")
    collection = page.get_by_role("heading", level=1, name=say(lang, "collection.title"))
    expect(collection).to_be_focused()
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    expect(page).to_have_title(f"{say(lang, 'collection.title')} — {app}")

    # Language menu: a half-typed name, then Shift+Tab to the menu and the first letter of the
    # other language's own name ("Deutsch", "English"); the page and its title follow, the
    # focus stays on the menu, and what was typed is kept.
    tab_to(page, name)
    page.keyboard.type("Orks")
    menu = page.get_by_role("combobox", name=say(lang, "header.language"), exact=True)
    tab_to(page, menu, back=True)
    page.keyboard.press("D" if other == "de" else "E")
    menu = page.get_by_role("combobox", name=say(other, "header.language"), exact=True)
    expect(menu).to_have_value(other)
    expect(menu).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text(say(other, "collection.title"))
    expect(page).to_have_title(f"{say(other, 'collection.title')} — {say(other, 'app.name')}")
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.get_by_role("textbox", name=say(other, "addType.name"), exact=True)).to_have_value(
        "Orks"
    )
