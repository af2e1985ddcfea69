"""A page driven over the DevTools protocol: the window's (Qt WebEngine shows it when started
with QTWEBENGINE_REMOTE_DEBUGGING=127.0.0.1:PORT) or Chromium's (--remote-debugging-port).

Playwright's connect_over_cdp is refused by Qt WebEngine (it has no browser contexts to
manage), so this speaks the protocol itself, on the page's websocket.
"""

import contextlib
import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

from websockets.sync.client import ClientConnection, connect

MB = 1024 * 1024

# Quick moves as a user makes them: the "+1 → Building" button of one of the first five rows,
# in turn, clicked, then the wait until the row shows the new count and takes clicks again, and
# a pause. Answers how long each move took, in ms, from the click to the new count.
QUICK_MOVES = """
async (moves, gapMs) => {
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  const took = []
  for (let i = 0; i < moves; i++) {
    const rows = [...document.querySelectorAll('[data-testid=type-row]')].slice(0, 5)
    const row = rows[i % rows.length]
    const button = row.querySelector('[data-testid=quick-IN_BOX]')
    const count = () => row.querySelector('[data-testid=count-BUILDING]').textContent
    const before = count()
    const started = performance.now()
    button.click()
    while (count() === before || button.getAttribute('aria-disabled') === 'true') await pause(2)
    took.push(performance.now() - started)
    await pause(gapMs)
  }
  return took
}
"""
QUICK_MOVE_SHOWN = "document.querySelector('[data-testid=quick-IN_BOX]')"


def page_socket(port: int, timeout: float = 90.0) -> str:
    """The websocket address of the page DevTools lists on `port`, once there is one."""
    deadline = time.monotonic() + timeout
    while True:
        listing = f"http://127.0.0.1:{port}/json"
        with (
            contextlib.suppress(OSError, ValueError),
            urllib.request.urlopen(listing, timeout=5) as answer,
        ):
            for target in json.load(answer):
                if target.get("type") == "page" and "webSocketDebuggerUrl" in target:
                    return str(target["webSocketDebuggerUrl"])
        if time.monotonic() > deadline:
            raise TimeoutError(f"no page on the DevTools port {port}")
        time.sleep(0.2)


@contextlib.contextmanager
def devtools(port: int, timeout: float = 90.0) -> Iterator["DevTools"]:
    # No Origin header is sent: the engine refuses origins it was not told to allow.
    with connect(page_socket(port, timeout), max_size=None, open_timeout=30) as socket:
        yield DevTools(socket)


class DevTools:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.last_id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:  # events (none are enabled) are passed over
            message = json.loads(self.socket.recv(timeout=900))
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message["result"]
                return result

    def evaluate(self, expression: str) -> Any:
        """The value of `expression` in the page (a promise's, once it settles)."""
        answer = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in answer:
            raise RuntimeError(f"in the page: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def run(self, function: str, *args: Any) -> Any:
        """Calls the page's (async) `function` source with JSON arguments."""
        return self.evaluate(f"({function})(...{json.dumps(list(args))})")

    def wait_for(self, expression: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"!!({expression})"):
            if time.monotonic() > deadline:
                raise TimeoutError(expression)
            time.sleep(0.2)

    def heaps(self) -> tuple[float, float]:
        """The page's JS heap (V8's) and DOM heap (Blink's) in MB, garbage included: as they
        stand, without collecting first."""
        usage = self.call("Runtime.getHeapUsage")
        return usage["usedSize"] / MB, usage.get("embedderHeapUsedSize", 0) / MB
