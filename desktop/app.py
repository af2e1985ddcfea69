"""The app as a program: database, server, then a window, a browser tab, or nothing."""

import argparse
import logging
import os
import sys
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

from backend.access import startup_problem
from backend.db import make_engine
from backend.main import create_app
from backend.migrate import upgrade_database
from backend.settings import Settings
from desktop.app_database import app_database
from desktop.connect import (
    ServerCheckFailed,
    check_server,
    connection_folder,
    normalise_server_url,
    server_label,
)
from desktop.focus import FocusListener, request_focus
from desktop.instance import InstanceBusy, InstanceLock, RunningInstance
from desktop.logs import configure_logging
from desktop.network import NetworkListener
from desktop.server import AppServer, ServerFailed
from desktop.stopping import StopRequest

if TYPE_CHECKING:
    from desktop.bridge import ChooseFile
    from desktop.window import OnShown

log = logging.getLogger(__name__)

NAME = "Miniatures Progress Tracker"
PROBE_ENV = "MINIATURES_DESKTOP_PROBE"


def parse_args(argv: list[str] | None, server_url: str | None = None) -> argparse.Namespace:
    """The command line; `server_url` (MINIATURES_SERVER_URL) stands in for a missing
    --connect when neither --headless nor --connect is given."""
    parser = argparse.ArgumentParser(
        prog=Path(sys.argv[0]).name, description=f"{NAME}: opens the app in a native window."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--browser", action="store_true", help="use the default web browser")
    mode.add_argument("--headless", action="store_true", help="serve only, print the URL")
    parser.add_argument("--host", help="with --headless: address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, help="with --headless: port (8000)")
    parser.add_argument(
        "--connect",
        metavar="URL",
        help="open an app already serving at URL (default: $MINIATURES_SERVER_URL); "
        "starts no database and no server",
    )
    args = parser.parse_args(argv)
    if args.connect is not None and args.headless:
        parser.error("--connect and --headless do not go together")
    if not args.headless and (args.host or args.port is not None):
        parser.error("--host and --port go with --headless")
    if args.connect is None and not args.headless:
        args.connect = server_url
    if args.port is not None and not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    return args


def say(message: str) -> None:
    print(message, flush=True)


def open_in_browser(url: str) -> None:
    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        say(f"No web browser was found: open {url} yourself.")


def already_running(other: RunningInstance, args: argparse.Namespace, data_dir: Path) -> int:
    say(f"{NAME} is already running at {other.url} (process {other.pid}, data in {data_dir}).")
    if args.headless:
        return 0
    if not args.browser and other.focus and request_focus(*other.focus):
        say("Its window has been brought to the front.")
    else:
        open_in_browser(other.url)
    return 0


def show(
    url: str,
    args: argparse.Namespace,
    data_dir: Path,
    stop: StopRequest,
    focus: FocusListener | None,
) -> None:
    """Until the user is done: the window closes, or Ctrl-C / SIGTERM arrives."""
    if args.headless:
        stop.wait()
        return
    if args.browser:
        open_in_browser(url)
        stop.wait()
        return
    if not open_window(url, data_dir, stop, focus):
        stop.wait()  # the browser tab still needs the server


def open_window(
    url: str,
    data_dir: Path,
    stop: StopRequest,
    focus: FocusListener | None,
    *,
    title_suffix: str = "",
    storage_dir: Path | None = None,
    access_key: str | None = None,
) -> bool:
    """The native window until it closes; False when none could open and the browser got the URL."""
    from desktop.window import gui_problem, run_window

    problem = gui_problem()
    if problem is None:
        try:
            run_window(
                url,
                data_dir,
                stop,
                focus,
                *_probe_hooks(),
                title_suffix=title_suffix,
                storage_dir=storage_dir,
                access_key=access_key,
            )
            return True
        except Exception as error:  # any GUI backend failure: the browser still works
            log.exception("the window could not open")
            problem = f"the window could not open ({error})"
    say(f"No native window: {problem}. Opening the app in your web browser instead.")
    open_in_browser(url)
    return False


def connect(
    target: str, args: argparse.Namespace, data_dir: Path, access_key: str | None = None
) -> int:
    """A window (or the browser) onto an app serving elsewhere; its server is left as it is.
    With the server's `access_key` (MINIATURES_ACCESS_KEY), the window opens its session with
    it; without, the page asks."""
    try:
        url = normalise_server_url(target)
        version = check_server(url)
    except ServerCheckFailed as problem:
        log.info("%s", problem)
        say(str(problem))
        return 2
    log.info("connecting to %s (version %s)", url, version)
    if args.browser:
        open_in_browser(url)
        return 0
    folder = connection_folder(data_dir, url)
    folder.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(folder)  # one window per server, beside any embedded instance
    try:
        other = lock.acquire()
    except InstanceBusy:
        say(f"Another window on {url} is opening; try again in a moment.")
        return 1
    if other is not None:
        say(f"{NAME} already has a window on {url} (process {other.pid}).")
        if other.focus and request_focus(*other.focus):
            say("Its window has been brought to the front.")
        else:
            open_in_browser(url)
        return 0
    try:
        stop = StopRequest()
        stop.install()
        focus = FocusListener()
        try:
            lock.publish(url, (focus.port, focus.token))
            say(f"{NAME} is connected to {url}; closing the window leaves that server running.")
            if not stop.requested:
                open_window(
                    url,
                    data_dir,
                    stop,
                    focus,
                    title_suffix=f" — {server_label(url)}",
                    storage_dir=folder,
                    access_key=access_key,
                )
        finally:
            focus.close()
    finally:
        lock.release()
    log.info("window on %s closed", url)
    return 0


def _probe_hooks() -> tuple["ChooseFile | None", "OnShown | None"]:
    """Test hook: a stand-in for the file dialogs and a script run inside the page."""
    probe = os.environ.get(PROBE_ENV)
    if not probe:
        return None, None
    from desktop.probe import Probe

    hooks = Probe(Path(probe))
    return None if hooks.config.get("real_dialogs") else hooks.choose_file, hooks.run


def serve(settings: Settings, args: argparse.Namespace, lock: InstanceLock) -> int:
    stop = StopRequest()
    stop.install()
    with app_database(settings) as database:
        upgrade_database(database.url)
        engine = make_engine(database.url)
        network = NetworkListener(settings.data_dir)
        app = create_app(
            settings.model_copy(update={"database_url": database.url}),
            engine=engine,
            database_outage=database.outage_reason,
            network=network,
        )
        if args.headless:
            host, port = args.host or "127.0.0.1", 8000 if args.port is None else args.port
        else:
            host, port = "127.0.0.1", 0  # a free port: never clash with another program
        server = AppServer(app, host, port)
        server.start()
        focus = None if args.headless or args.browser else FocusListener()
        try:
            network.serve(app)
            lock.publish(server.url, (focus.port, focus.token) if focus else None)
            say(f"{NAME} is running at {server.url} (stop with Ctrl-C).")
            for url in network.state().urls:
                say(f"Other devices on your network can reach it at {url} once paired.")
            if not stop.requested:
                show(server.url, args, settings.data_dir, stop, focus)
        finally:
            if focus is not None:
                focus.close()
            network.close()
            server.stop()  # requests in flight finish first
            engine.dispose()
    log.info("stopped cleanly")
    return 0


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    args = parse_args(argv, settings.server_url)
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    log_file = configure_logging(data_dir)
    log.info("starting %s with %s (data %s)", NAME, sys.argv, data_dir)
    if args.connect is not None:
        try:
            key = settings.access_key.get_secret_value() if settings.access_key else None
            return connect(args.connect, args, data_dir, key)
        except Exception:
            log.exception("connecting failed")
            say(f"{NAME} could not open; details are in {log_file}.")
            return 1
    problem = startup_problem(settings, args.host if args.headless else None)
    if problem is not None:
        log.info("refused to start: %s", problem)
        say(f"{NAME} will not start: {problem}.")
        return 2
    lock = InstanceLock(data_dir)
    try:
        other = lock.acquire()
    except InstanceBusy:
        say(f"Another launch is starting on {data_dir}; try again in a moment.")
        return 1
    if other is not None:
        return already_running(other, args, data_dir)
    try:
        return serve(settings, args, lock)
    except ServerFailed as error:
        say(f"{NAME} could not start: {error}.")
        return 1
    except Exception:
        log.exception("start-up failed")
        say(f"{NAME} could not start; details are in {log_file}.")
        return 1
    finally:
        lock.release()
