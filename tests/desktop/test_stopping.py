"""A stop request from a signal: it always stops, wherever the main thread happens to be."""

import subprocess
import sys
import textwrap

from tests.desktop.conftest import ROOT

# A Python signal handler runs on the main thread between two bytecodes, wherever it is: also
# inside Event.wait, which holds the event's condition lock, or inside request(), which holds
# the stop request's lock. Raising the signal while holding both puts the handler exactly there.
SIGNAL_INSIDE_THE_WAIT = textwrap.dedent(
    """
    import signal
    import threading

    from desktop.stopping import StopRequest

    stop = StopRequest()
    stop.install()
    stopped = threading.Event()
    stop.on_stop(stopped.set)
    with stop._event._cond, stop._lock:
        signal.raise_signal(signal.SIGTERM)
        signal.raise_signal(signal.SIGTERM)  # a second signal while the first is handled
    stop.wait()
    print("stopped" if stopped.wait(10) else "the stop callback never ran")
    """
)


def test_a_signal_inside_the_wait_still_stops() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SIGNAL_INSIDE_THE_WAIT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # before the fix the handler deadlocked here, forever
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stopped"
