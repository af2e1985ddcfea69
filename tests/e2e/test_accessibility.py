"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any screen, dialog or import step,
in English and Russian, in the light and the dark scheme, at 1280 and at 360 px.

One page per language walks every state; each state is checked in the four looks by switching
the emulated scheme and the viewport in place, which keeps the test fast."""

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    OpenContext,
    accessibility_problems,
    backup_file,
    create_type,
    move,
)
from tests.network_servers import Servers

LOOKS = [(scheme, width) for scheme in ("light", "dark") for width in (1280, 360)]


def check(page: Page, where: str, found: dict[str, list[str]]) -> None:
    for scheme, width in LOOKS:
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size({"width": width, "height": 800})
        problems = accessibility_problems(page)
        if problems:
            found[f"{where}, {scheme}, {width} px"] = problems
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_no_violations_anywhere(open_context: OpenContext, api: httpx.Client, lang: str) -> None:
    found: dict[str, list[str]] = {}
    # Without motion, colours are read when settled, not halfway through a transition.
    page = open_context(
        lang, viewport={"width": 1280, "height": 800}, reduced_motion="reduce"
    ).new_page()

    page.goto("/")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    check(page, "empty collection", found)

    kit = create_type(api, "Stormcast Eternals Vindictors", IN_BOX=9, BUILDING=2, PAINTING=1)
    move(api, kit["id"], "IN_BOX", "DONE", 1)
    create_type(api, "Orks", IN_BOX=3)
    page.reload()
    expect(page.get_by_test_id("type-row")).to_have_count(2)
    check(page, "collection", found)

    page.get_by_test_id("add-type-name").fill("Necrons")
    page.get_by_test_id("add-type-name").press("Enter")
    expect(page.get_by_test_id("toast")).to_have_count(1)
    check(page, "collection with a toast", found)

    page.get_by_test_id("move-open").nth(1).click()
    expect(page.get_by_test_id("move-dialog")).to_be_visible()
    check(page, "move dialog", found)
    page.keyboard.press("Escape")

    # Armies and projects: a type in one, one with notes, the filter on it and its actions.
    necrons = api.post("/groups", json={"name": "Necrons"}).json()["id"]
    api.patch(f"/types/{kit['id']}", json={"group_id": necrons, "notes": "Leadbelcher"})
    page.reload()
    expect(page.get_by_test_id("type-row-group")).to_have_count(1)
    check(page, "collection with a group and notes", found)
    page.get_by_test_id("add-type-group").select_option("new")
    expect(page.get_by_test_id("add-type-group-new-name")).to_be_visible()
    check(page, "add a type in a new group", found)
    page.get_by_test_id("add-type-group").select_option("")
    page.get_by_test_id("group-filter").select_option(str(necrons))
    expect(page.get_by_test_id("group-rename-open")).to_be_visible()
    check(page, "collection of one group", found)
    page.get_by_test_id("group-rename-open").click()
    expect(page.get_by_test_id("group-rename-dialog")).to_be_visible()
    check(page, "rename a group", found)
    page.keyboard.press("Escape")
    page.get_by_test_id("group-delete-open").click()
    expect(page.get_by_test_id("group-delete-dialog")).to_be_visible()
    check(page, "delete a group", found)
    page.keyboard.press("Escape")
    page.get_by_test_id("group-filter").select_option("none")
    expect(page.get_by_test_id("type-row")).to_have_count(2)
    check(page, "collection of the types in no group", found)
    page.get_by_test_id("group-filter").select_option("all")

    page.goto(f"/types/{kit['id']}")
    expect(page.get_by_test_id("history-row").first).to_be_visible()
    check(page, "type page", found)
    page.get_by_test_id("type-group").select_option("new")
    page.get_by_test_id("notes-input").fill("Leadbelcher\nNuln Oil" + "x" * 10_000)
    expect(page.get_by_test_id("notes-hint")).to_be_visible()
    check(page, "type page: a new group, notes too long", found)
    page.get_by_test_id("notes-input").fill("Leadbelcher\nNuln Oil")
    page.get_by_test_id("back-link").click()
    expect(page.get_by_test_id("notes-leave-dialog")).to_be_visible()
    check(page, "leaving with notes unsaved", found)
    page.get_by_test_id("notes-discard").click()
    expect(page.get_by_test_id("collection-page")).to_be_visible()
    page.goto(f"/types/{kit['id']}")
    expect(page.get_by_test_id("history-row").first).to_be_visible()
    page.get_by_test_id("delete-open").click()
    expect(page.get_by_test_id("delete-dialog")).to_be_visible()
    check(page, "delete dialog", found)
    page.keyboard.press("Escape")

    # Undo: the toast's button, the history's question, and the history after undone changes.
    page.get_by_test_id("move-submit").click()
    expect(page.get_by_test_id("toast-action")).to_be_visible()
    check(page, "type page with the Undo toast", found)
    page.get_by_test_id("history-undo").nth(1).click()  # the move into Done
    expect(page.get_by_test_id("undo-dialog")).to_be_visible()
    check(page, "undo question over the Undo toast", found)
    page.get_by_test_id("undo-confirm").click()
    expect(page.get_by_test_id("undo-dialog")).to_have_count(0)
    page.get_by_test_id("toast-action").click()  # and the form's move
    expect(page.get_by_test_id("toast")).to_have_count(1)
    expect(page.get_by_test_id("history-row")).to_have_count(3)
    check(page, "history after undone changes", found)

    page.goto("/progress")
    expect(page.get_by_test_id("monthly-chart")).to_be_visible()
    expect(page.get_by_test_id("group-row")).to_have_count(1)
    check(page, "progress", found)
    page.get_by_test_id("group-show").click()
    expect(page.get_by_test_id("totals-title")).to_be_visible()
    check(page, "progress of one group", found)
    page.get_by_test_id("group-filter").select_option("all")

    page.get_by_test_id("import-button").click()
    dialog = page.get_by_test_id("import-dialog")
    expect(dialog.get_by_test_id("import-choose")).to_be_visible()
    check(page, "import: choose", found)
    page.get_by_test_id("import-file").set_input_files(
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": b'{"foo": 1}'}]
    )
    expect(dialog.get_by_test_id("import-error")).to_be_visible()
    check(page, "import: a file that is not a backup", found)
    backup = backup_file([{"name": "Tau", "counts": {"IN_BOX": 2}}]).encode()
    page.get_by_test_id("import-file").set_input_files(
        files=[{"name": "tau.json", "mimeType": "application/json", "buffer": backup}]
    )
    expect(dialog.get_by_test_id("import-summary-merge")).to_be_visible()
    check(page, "import: preview", found)
    dialog.get_by_test_id("import-mode-replace").check()
    expect(dialog.get_by_test_id("import-replace-warning")).to_be_visible()
    check(page, "import: preview of replace", found)
    dialog.get_by_test_id("import-mode-merge").check()
    dialog.get_by_test_id("import-next").click()
    expect(dialog.get_by_test_id("import-confirm")).to_be_visible()
    check(page, "import: confirm", found)
    dialog.get_by_test_id("import-confirm").click()
    expect(dialog.get_by_test_id("import-result")).to_be_visible()
    check(page, "import: result", found)
    page.keyboard.press("Escape")

    page.get_by_test_id("backups-button").click()
    expect(page.get_by_test_id("backups-dialog")).to_be_visible()
    check(page, "backups", found)

    for where, problems in found.items():
        print(where)
        for problem in problems:
            print("   ", problem[:400])
    assert found == {}


def test_no_violations_on_the_screens_of_other_devices(
    phone_servers: Servers, open_context: OpenContext, lang: str
) -> None:
    """'Use on your phone' (off, and on with its QR code and a paired device), and the key
    screen another device sees."""
    found: dict[str, list[str]] = {}
    servers = phone_servers
    servers.loopback.put("/api/v1/network", json={"enabled": False})
    context = open_context(lang, viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    page.clock.set_fixed_time(servers.clock.at)
    page.goto(str(servers.loopback.base_url))
    page.get_by_test_id("phone-button").click()
    expect(page.get_by_test_id("phone-off")).to_be_visible()
    check(page, "phone dialog, off", found)
    page.get_by_test_id("phone-switch").click()
    expect(page.get_by_test_id("phone-qr").locator("svg")).to_be_visible()
    servers.pair(**{"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)"})
    expect(page.get_by_test_id("phone-device")).to_have_count(1, timeout=15_000)
    check(page, "phone dialog, on", found)

    other = context.new_page()
    other.goto(f"http://127.0.0.1:{servers.network_port}/")
    expect(other.get_by_test_id("key-screen")).to_be_visible()
    check(other, "key screen", found)
    assert found == {}
