"""The native window (pywebview), and why it cannot open when it cannot."""

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.bridge import ChooseFile, DesktopBridge
from desktop.dialogs import SETTINGS_NAME, DialogFolder, NativeDialogs
from desktop.focus import FocusListener
from desktop.stopping import StopRequest

log = logging.getLogger(__name__)

TITLE = "Miniatures Progress Tracker"
SIZE = (1100, 720)  # fits a 1366x768 laptop screen with its task bar
MIN_SIZE = (720, 520)
ICON = Path(__file__).with_name("icon.png")
# Libraries Qt's X11 plugin loads at start-up (a missing one aborts the process, uncatchably).
QT_XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
}
# Called on a pywebview thread once the GUI loop runs: (window, bridge).
OnShown = Callable[[Any, DesktopBridge], None]


def _missing_system_libraries() -> list[str]:
    try:
        known = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []  # cannot tell: let Qt try
    return [package for library, package in QT_XCB_LIBRARIES.items() if library not in known]


def gui_problem() -> str | None:
    """Why no native window can open here, in words for the user; None when it can."""
    if sys.platform.startswith("linux"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return "no graphical display is available"
        try:
            import PyQt6.QtWebEngineWidgets  # noqa: F401
        except ImportError as error:
            return f"Qt's web view cannot load ({error}); reinstall: pip install -e '.[desktop]'"
        if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM", "xcb") == "xcb":
            # The frozen bundle carries Qt's xcb libraries itself.
            missing = [] if getattr(sys, "frozen", False) else _missing_system_libraries()
            if missing:
                return "system libraries for Qt are missing; install: " + " ".join(missing)
    try:
        import webview  # noqa: F401
    except ImportError:
        return "pywebview is not installed; reinstall: pip install -e '.[desktop]'"
    return None


# Kernel settings under which Chromium's namespace sandbox cannot start: Ubuntu 24.04's
# AppArmor rule for programs without a profile of their own, and older Debian's switch.
SANDBOX_BLOCKERS = {
    "apparmor_restrict_unprivileged_userns": "1",
    "unprivileged_userns_clone": "0",
}


def sandbox_unavailable(sysctl: Path = Path("/proc/sys/kernel")) -> str | None:
    """Which kernel setting keeps Chromium's sandbox from starting, or None."""
    for name, blocking in SANDBOX_BLOCKERS.items():
        try:
            if (sysctl / name).read_text().strip() == blocking:
                return f"kernel.{name} = {blocking}"
        except OSError:
            continue
    return None


def _qt_messages_to_log() -> None:
    """Qt and Chromium chatter (GPU, sandbox, D-Bus) goes to the log file, not the terminal."""
    from PyQt6 import QtCore

    qt_log = logging.getLogger("qt")

    def handle(kind: QtCore.QtMsgType, _context: object, message: str | None) -> None:
        serious = kind in (QtCore.QtMsgType.QtCriticalMsg, QtCore.QtMsgType.QtFatalMsg)
        qt_log.log(logging.ERROR if serious else logging.INFO, "%s", message)

    QtCore.qInstallMessageHandler(handle)
    _chromium_flag_unless_given("--log-level=3")


# Qt WebEngine's V8 is built with a single generation and no write barriers (`--js-flags=--help`
# shows --single-generation and --disable-write-barriers on): it has no young generation, where
# Chromium's V8 sweeps short-lived garbage away every few MB, and no incremental marking. Its only
# collection is a full one when the heap reaches its limit, which starts at 512 MB; every render
# of the page adds to the heap until then, and the memory stays with the renderer afterwards (a
# long session of quick moves: +740 MB). Started at 16 MB, the limit is reached within seconds of
# work; from the first collection on, V8 sizes it from what survives, so here a collection comes
# about every 10 MB of garbage (20 quick moves), a pause of 10 to 50 ms. No cap: a page that
# needs more memory gets it. A --js-flags given in QTWEBENGINE_CHROMIUM_FLAGS replaces this one.
# Measured by tests/benchmarks/window_memory.py.
V8_FLAGS = "--js-flags=--initial-old-space-size=16"


def _chromium_flag_unless_given(flag: str) -> None:
    """Adds `flag` to Qt WebEngine's Chromium flags unless the environment gives its name."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if flag.split("=", 1)[0] not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {flag}".strip()


def bring_to_front(window: Any) -> None:
    window.restore()
    window.show()
    # Window managers ignore a plain "raise" from a background app; staying on top briefly works.
    window.on_top = True
    window.on_top = False


def run_window(
    url: str,
    data_dir: Path,
    stop: StopRequest,
    focus: FocusListener | None = None,
    choose_file: ChooseFile | None = None,
    on_shown: OnShown | None = None,
    *,
    title_suffix: str = "",
    storage_dir: Path | None = None,
    access_key: str | None = None,
) -> None:
    """Shows the app until the window is closed or a stop is requested.

    The title is the app's name, in the UI's language once the page says it, then
    `title_suffix` (e.g. " — 127.0.0.1:8000"). `storage_dir` holds the page's saved
    preferences (default: under `data_dir`). `access_key`: the server's key (a `--connect`
    window), offered to the page by the bridge.

    Raises webview's error when no GUI backend starts after all.
    """
    import webview

    if sys.platform.startswith("linux"):
        _qt_messages_to_log()
        _chromium_flag_unless_given(V8_FLAGS)
        # Chromium's sandbox refuses to run as root, and cannot start where user namespaces
        # are kept from unconfined programs: without this the page stays blank. The window
        # shows only the app's own pages.
        why = "running as root" if os.geteuid() == 0 else sandbox_unavailable()
        if why and "QTWEBENGINE_DISABLE_SANDBOX" not in os.environ:
            log.info("Qt WebEngine's sandbox is off: %s", why)
            os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    dialogs = NativeDialogs(DialogFolder(data_dir / SETTINGS_NAME))

    def set_title(name: str) -> None:  # the page names the app in its language once it runs
        if window is not None:
            window.set_title(name + title_suffix)

    bridge = DesktopBridge(
        url,
        choose_file or dialogs.choose,
        set_title,
        key=access_key,
        set_dialog_texts=dialogs.set_texts,
    )
    window = webview.create_window(
        TITLE + title_suffix, url, js_api=bridge, width=SIZE[0], height=SIZE[1], min_size=MIN_SIZE
    )
    if window is None:
        raise RuntimeError("pywebview did not create the window")
    dialogs.window = window
    stop.on_stop(window.destroy)
    if focus is not None:
        focus.on_focus(lambda: bring_to_front(window))
    webview.start(
        on_shown,
        (window, bridge) if on_shown else None,
        gui="qt" if sys.platform.startswith("linux") else None,
        icon=str(ICON),
        private_mode=False,  # keep the UI's saved preferences (language) between runs
        storage_path=str((storage_dir or data_dir) / "webview"),
    )
