"""A phone at the painting desk: it opens the pairing link from the QR code, lands paired on
the collection, and "+1 → Done" works with a thumb. Through the real network listener, reached
only at 127.0.0.1 on its port; the manifest makes it an app on the home screen.
"""

import json
import struct
import subprocess
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, Request, expect

from tests.e2e.conftest import OpenContext, accessibility_problems, screenshot
from tests.e2e.texts import STAGE_NAMES, TEXT
from tests.network_servers import REPORTED, Servers

PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
PHONE = {
    "viewport": {"width": 360, "height": 780},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "user_agent": PHONE_UA,
}
EXPIRES = {"en": "The code works once, until", "ru": "Код действует один раз, до"}
LAST_SEEN = {
    "en": "Android · Chrome, last seen 5 minutes ago",
    "ru": "Android · Chrome, последний раз 5 минут назад",
}
KEY_SCREEN = {"en": "Enter the access key", "ru": "Введите ключ доступа"}


@pytest.fixture
def servers(phone_servers: Servers) -> Servers:
    return phone_servers


def network_url(servers: Servers) -> str:
    return f"http://127.0.0.1:{servers.network_port}"


def seed(servers: Servers) -> int:
    created = servers.loopback.post(
        "/api/v1/types", json={"name": "Space Marines", "counts": {"IN_BOX": 3, "PAINTING": 2}}
    )
    assert created.status_code == 201, created.text
    type_id: int = created.json()["id"]
    return type_id


def no_sideways_scroll(page: Page) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def test_a_phone_pairs_from_the_link_and_moves_a_miniature_to_done(
    servers: Servers, open_context: OpenContext, lang: str
) -> None:
    type_id = seed(servers)
    pairing = servers.loopback.post("/api/v1/pairings").json()
    code = pairing["code"]
    assert pairing["url"].endswith(f"/#pair={code}")
    context = open_context(lang, **PHONE)
    page = context.new_page()
    moves: list[Request] = []
    page.on("request", lambda r: moves.append(r) if r.url.endswith("/move") else None)

    page.goto(f"{network_url(servers)}/#pair={code}")
    row = page.get_by_test_id("type-row")
    expect(row).to_contain_text("Space Marines")
    assert "#pair" not in page.url  # the code left the address bar at once
    assert no_sideways_scroll(page)

    buttons = row.locator(".quick:not([disabled])")
    assert buttons.count() == 2  # In box -> Building and Painting -> Done
    for width in (430, 360):  # the phones people paint beside, narrowest last
        page.set_viewport_size({"width": width, "height": 780})
        assert no_sideways_scroll(page), width
        for index in range(buttons.count()):
            box = buttons.nth(index).bounding_box()
            assert box is not None and box["width"] >= 44 and box["height"] >= 44, (width, box)

    done = row.get_by_test_id("quick-PAINTING")
    expect(done).to_contain_text(STAGE_NAMES[lang][4])
    done.tap()
    expect(row.get_by_test_id("count-DONE")).to_contain_text("1")
    toast = page.get_by_test_id("toast").last
    expect(toast).to_be_visible()
    button_box, toast_box = done.bounding_box(), toast.bounding_box()
    assert button_box is not None and toast_box is not None
    assert (
        button_box["y"] + button_box["height"] <= toast_box["y"]
        or toast_box["y"] + toast_box["height"] <= button_box["y"]
    ), "the toast covers the button just pressed"
    screenshot(page, f"phone-{lang}")

    counts = servers.loopback.get(f"/api/v1/types/{type_id}").json()["counts"]
    assert counts["DONE"] == 1 and counts["PAINTING"] == 1
    assert len(moves) == 1  # sent once
    devices = servers.loopback.get("/api/v1/devices").json()["devices"]
    assert [device["label"] for device in devices] == ["Android · Chrome"]
    # The session is remembered: the page opens again with no code.
    page.goto(network_url(servers))
    expect(page.get_by_test_id("type-row")).to_contain_text("Space Marines")


def test_an_unpaired_phone_gets_the_key_screen(
    servers: Servers, open_context: OpenContext, lang: str
) -> None:
    seed(servers)
    page = open_context(lang, **PHONE).new_page()
    page.goto(network_url(servers))
    screen = page.get_by_test_id("key-screen")
    expect(screen.get_by_role("heading")).to_have_text(KEY_SCREEN[lang])
    expect(page.get_by_test_id("type-row")).to_have_count(0)
    assert no_sideways_scroll(page)
    assert accessibility_problems(page, "key-screen") == []

    # A code typed from the computer's screen opens the app as the link would.
    code = servers.loopback.post("/api/v1/pairings").json()["code"]
    page.get_by_test_id("key-input").fill("AAAA-BBBB-CCCC")
    page.get_by_test_id("key-submit").tap()
    expect(page.get_by_test_id("key-error")).to_be_visible()
    assert accessibility_problems(page, "key-screen") == []
    page.get_by_test_id("key-input").fill(code.lower())
    page.get_by_test_id("key-submit").tap()
    expect(page.get_by_test_id("type-row")).to_contain_text("Space Marines")


def test_a_used_link_says_so_on_the_key_screen(servers: Servers, open_context: OpenContext) -> None:
    code = servers.loopback.post("/api/v1/pairings").json()["code"]
    servers.pair()  # another device took the code
    page = open_context("en", **PHONE).new_page()
    page.goto(f"{network_url(servers)}/#pair={code}")
    expect(page.get_by_test_id("key-error")).to_contain_text("already used or has expired")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_manifest_makes_a_home_screen_app(servers: Servers) -> None:
    with httpx.Client(base_url=network_url(servers)) as phone:  # no session: static files
        answer = phone.get("/manifest.webmanifest")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/manifest+json"
        manifest = json.loads(answer.text)
        assert manifest["name"] == "Miniatures Progress Tracker"
        assert manifest["display"] == "standalone"
        assert manifest["start_url"] == "/"
        assert manifest["theme_color"].startswith("#")
        sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
        assert sizes >= {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
        for icon in manifest["icons"]:
            image = phone.get(icon["src"])
            assert image.status_code == 200 and image.headers["content-type"] == "image/png"
            width, height = png_size(image.content)
            assert f"{width}x{height}" == icon["sizes"]
        page = phone.get("/").text
        for tag in (
            '<link rel="manifest" href="/manifest.webmanifest"',
            '<meta name="apple-mobile-web-app-capable" content="yes"',
            '<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"',
            '<meta name="theme-color"',
        ):
            assert tag in page
        touch_icon = phone.get("/icons/apple-touch-icon.png")
        assert png_size(touch_icon.content) == (180, 180)


def test_the_manifest_is_valid_to_the_browser(servers: Servers, open_context: OpenContext) -> None:
    """Chromium reads the manifest itself: no errors, standalone, and every icon loads."""
    page = open_context("en", **PHONE).new_page()
    page.goto(network_url(servers))
    session = page.context.new_cdp_session(page)
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    parsed = manifest["manifest"]  # Chromium's own reading of it
    assert parsed["display"] == "kStandalone"
    sizes = sorted(icon["sizes"] for icon in parsed["icons"])
    assert sizes == ["192x192", "192x192", "512x512", "512x512"]
    for icon in parsed["icons"]:  # each loads, from the browser too
        assert page.request.get(icon["url"]).ok, icon


def decode_qr(png: bytes, folder: Path) -> str:
    """What a real decoder (zbar's) reads in a picture: the one QR code's text."""
    picture = folder / "qr.png"
    picture.write_bytes(png)
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(picture)], capture_output=True, text=True, timeout=60
    )
    assert found.returncode == 0, f"zbarimg found no code: {found.stderr}"
    lines = found.stdout.split()
    assert len(lines) == 1, lines
    return lines[0]


def test_the_dialog_shows_a_code_that_pairs_and_lists_the_phone(
    servers: Servers, open_context: OpenContext, lang: str, tmp_path: Path
) -> None:
    seed(servers)
    desk = open_context(lang, viewport={"width": 1280, "height": 800}).new_page()
    desk.clock.set_fixed_time(servers.clock.at)  # the page's "now" is the server's
    desk.goto(str(servers.loopback.base_url))
    desk.get_by_test_id("phone-button").click()
    dialog = desk.get_by_test_id("phone-dialog")
    expect(dialog.get_by_test_id("phone-switch")).to_have_attribute("aria-checked", "true")
    qr = dialog.get_by_test_id("phone-qr")
    expect(qr.locator("svg")).to_be_visible()
    url = decode_qr(qr.screenshot(), tmp_path)
    port = servers.network_port
    assert url.startswith(f"http://{REPORTED}:{port}/#pair=")
    code = url.split("#pair=")[1]
    expect(dialog.get_by_test_id("phone-code")).to_have_text(code)
    expect(dialog.get_by_test_id("phone-no-devices")).to_be_visible()

    # The phone follows the link; the reported address is reached here through 127.0.0.1.
    phone = open_context(lang, **PHONE).new_page()
    phone.goto(url.replace(REPORTED, "127.0.0.1"))
    expect(phone.get_by_test_id("type-row")).to_contain_text("Space Marines")
    device = dialog.get_by_test_id("phone-device")
    expect(device).to_contain_text("Android · Chrome", timeout=15_000)
    expect(dialog.get_by_test_id("phone-expiry")).to_contain_text(EXPIRES[lang])
    servers.clock.advance(minutes=5)
    desk.clock.set_fixed_time(servers.clock.at)
    expect(device.locator(".phone__device-text")).to_have_text(LAST_SEEN[lang], timeout=15_000)
    screenshot(desk, f"phone-dialog-{lang}")

    dialog.get_by_test_id("phone-remove").click()
    expect(dialog.get_by_test_id("phone-no-devices")).to_be_visible()
    phone.reload()
    expect(phone.get_by_test_id("key-screen")).to_be_visible()

    dialog.get_by_test_id("phone-switch").click()
    expect(dialog.get_by_test_id("phone-off")).to_be_visible()
    expect(qr).to_have_count(0)
    assert servers.loopback.get("/api/v1/network").json() == {"enabled": False, "urls": []}


def test_while_the_computer_sleeps_the_phone_says_so_and_never_sends_a_move_twice(
    servers: Servers, open_context: OpenContext
) -> None:
    type_id = seed(servers)
    page = open_context("en", **PHONE).new_page()
    page.goto(
        f"{network_url(servers)}/#pair={servers.loopback.post('/api/v1/pairings').json()['code']}"
    )
    row = page.get_by_test_id("type-row")
    expect(row).to_contain_text("Space Marines")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/move") else None)

    # The computer sleeps: nothing answers (the connection fails, as a dropped Wi-Fi link does).
    page.route("**/api/**", lambda route: route.abort("connectionfailed"))
    row.get_by_test_id("quick-PAINTING").tap()
    expect(page.get_by_test_id("connection-banner")).to_contain_text(TEXT["en"]["offline"])
    page.unroute("**/api/**")  # it wakes: the page finds the server again by itself
    expect(page.get_by_test_id("connection-banner")).to_have_count(0, timeout=15_000)
    expect(row.get_by_test_id("count-DONE")).to_contain_text("0")
    assert servers.loopback.get(f"/api/v1/types/{type_id}").json()["counts"]["DONE"] == 0
    assert len(sent) == 1  # tried once, not sent again behind the user's back
