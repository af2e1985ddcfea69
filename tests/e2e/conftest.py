"""Browser end-to-end fixtures: the system Chromium against the real server and database.

The UI must be built first (`npm run build` in ui/); the server serves ui/dist.
"""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page
from sqlalchemy import Engine

from backend.settings import REPO_ROOT, Settings
from tests.network_servers import Servers, run_servers

ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = REPO_ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOCALES = {
    "de": "de-DE",
    "en": "en-US",
    "es": "es-ES",
    "fr": "fr-FR",
    "it": "it-IT",
    "ru": "ru-RU",
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Never a downloaded browser: the Debian Chromium that the machines have.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def built_ui(settings: Settings) -> Path:
    index = settings.ui_dist / "index.html"
    if not index.is_file():
        pytest.fail(f"{index} is missing: run `npm ci && npm run build` in ui/ first")
    return settings.ui_dist


@pytest.fixture(scope="session")
def base_url(live_server: str, built_ui: Path) -> str:
    return live_server


@pytest.fixture
def phone_servers(
    settings: Settings, engine: Engine, tmp_path: Path, built_ui: Path, reset_db: None
) -> Iterator[Servers]:
    """The app on a loopback port and on its network listener (open), as the desktop runs it."""
    yield from run_servers(settings, engine, tmp_path)


@pytest.fixture
def api(live_server: str, reset_db: None) -> Iterator[httpx.Client]:
    """Seeds data through the real API; the tables are empty before and after each test."""
    with httpx.Client(base_url=f"{live_server}/api/v1", timeout=30) as client:
        yield client


@pytest.fixture(params=["en", "ru"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


OpenContext = Callable[..., BrowserContext]


@pytest.fixture
def open_context(
    new_context: Callable[..., BrowserContext], api: httpx.Client, live_server: str
) -> Iterator[OpenContext]:
    """A browser context whose system language is `lang` (the app starts in it)."""

    contexts: list[tuple[list[str], list[str]]] = []

    def make(lang: str, **kwargs: Any) -> BrowserContext:
        context = new_context(locale=LOCALES[lang], **kwargs)
        context.set_default_timeout(10_000)
        foreign: list[str] = []
        errors: list[str] = []
        context.on("request", lambda request: note_foreign(request.url, foreign))
        context.on("weberror", lambda error: errors.append(str(error.error)))
        context.on("console", lambda message: note_console_error(message, errors))
        contexts.append((foreign, errors))
        return context

    yield make
    for foreign, errors in contexts:
        # No request may ever leave the machine: no web fonts, CDNs or telemetry.
        assert foreign == [], f"requests left the app's server: {foreign}"
        assert errors == [], f"the page reported errors: {errors}"


def note_foreign(url: str, foreign: list[str]) -> None:
    if not url.startswith(("http://127.0.0.1:", "blob:", "data:")):
        foreign.append(url)


def note_console_error(message: ConsoleMessage, errors: list[str]) -> None:
    # Chromium logs every 4xx/5xx or refused fetch; those are expected answers, not app errors.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


@pytest.fixture
def ui(open_context: OpenContext, lang: str) -> Page:
    """A page of the app in the parametrized language, on an empty collection."""
    page = open_context(lang).new_page()
    page.goto("/")
    return page


def create_type(api: httpx.Client, name: str, **counts: int) -> dict[str, Any]:
    response = api.post("/types", json={"name": name, "counts": counts})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def move(api: httpx.Client, type_id: int, from_stage: str, to_stage: str, qty: int) -> None:
    body = {"from_stage": from_stage, "to_stage": to_stage, "qty": qty}
    response = api.post(f"/types/{type_id}/move", json=body)
    assert response.status_code == 200, response.text


def wait_until(page: Page, condition: Callable[[], bool]) -> None:
    """Waits, boundedly, for something the browser reports by an event (a request, a chooser)."""
    for _ in range(400):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the condition never held")


def has_focus(locator: Locator) -> bool:
    return bool(locator.evaluate("(element) => element === document.activeElement"))


def tab_to(page: Page, target: Locator, *, back: bool = False, limit: int = 80) -> None:
    """Presses Tab (Shift+Tab with `back`) until `target` has the focus, as a user would."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        if target.count() == 1 and has_focus(target):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {target}")


def scroll_by_key(page: Page, key: str) -> None:
    """Presses a key that scrolls the page (Home, End) and waits until its smooth scroll ends.

    Chromium can lose a scrolling key pressed in the last frames of the previous key's smooth
    scroll: the key event comes, the page never moves. A person does not press that fast.
    """
    page.evaluate(
        "window.__scrollEnded = false;"
        " addEventListener('scrollend', () => { window.__scrollEnded = true }, { once: true })"
    )
    page.keyboard.press(key)
    page.wait_for_function("window.__scrollEnded")


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def backup_file(types: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "format": "miniatures-tracker",
            "version": 1,
            "exported_at": "2026-11-26T10:00:00Z",
            "types": types,
        }
    )


def accessibility_problems(page: Page, test_id: str | None = None) -> list[str]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA findings, in the whole page or one element; with
    the check that a control's name holds its visible label (2.5.3), which axe marks as
    experimental and runs only when asked."""
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(path=str(AXE))
    problems: list[str] = page.evaluate(
        """async ([testId, tags]) => {
            const root = testId ? document.querySelector(`[data-testid="${testId}"]`) : document
            const result = await axe.run(root, {
                runOnly: { type: 'tag', values: tags },
                rules: { 'label-content-name-mismatch': { enabled: true } },
            })
            return result.violations.map((v) => `${v.id}: ${v.nodes.map(
                (n) => `${n.target.join(' ')} (${n.failureSummary.split('\\n').slice(1).join(' ')})`
            ).join('; ')}`)
        }""",
        [test_id, WCAG_AA],
    )
    return problems
