"""The daily copy's schedule, on a real server's start and stop, with a clock the test turns.

The clock's `wait` parks the schedule until the test moves time on, so "24 hours later" is a
call, not a day; the copies are real files written from a real database.
"""

import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from backend.main import create_app
from backend.settings import Settings
from tests.backend.backup_helpers import create_type, move
from tests.conftest import BASE_URL

WAIT = 60  # seconds: generous, for a loaded machine; only ever a bound, never a pause


class TurnedClock:
    """Time stands still until the test turns it; the schedule reports each wait it starts."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
        self.waits: queue.Queue[float] = queue.Queue()
        self._turns = threading.Semaphore(0)

    def now(self) -> datetime:
        return self.moment

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        self.waits.put(seconds)
        while not self._turns.acquire(timeout=0.05):
            if stop.is_set():
                return True
        self.moment += timedelta(seconds=seconds)
        return stop.is_set()

    def idle(self) -> float:
        """Waits until the schedule is waiting again; how long it asked to wait."""
        return self.waits.get(timeout=WAIT)

    def turn(self, hours: float, first_wait: float) -> float:
        """Lets the schedule sleep through `hours` of waits; the wait it then asks for."""
        left, asked = hours * 3600, first_wait
        while left > 0:
            assert asked <= left, "the schedule asked for a wait past the due time"
            left -= asked
            self._turns.release()
            asked = self.idle()
        return asked


@pytest.fixture
def app_settings(settings: Settings, tmp_path: Path, reset_db: None) -> Settings:
    return settings.model_copy(update={"data_dir": tmp_path})


def dailies(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("daily-*.json"))


@pytest.fixture
def running(engine: Engine, app_settings: Settings) -> Iterator[tuple[TestClient, TurnedClock]]:
    clock = TurnedClock()
    app = create_app(app_settings, engine=engine, clock=clock)
    with TestClient(app, base_url=BASE_URL) as client:
        yield client, clock


def start(engine: Engine, settings: Settings) -> tuple[TestClient, TurnedClock]:
    clock = TurnedClock()
    client = TestClient(create_app(settings, engine=engine, clock=clock), base_url=BASE_URL)
    client.__enter__()
    clock.idle()  # the check at start is done
    return client, clock


def test_a_daily_copy_after_a_restart_with_changes_and_not_without(
    engine: Engine, app_settings: Settings
) -> None:
    folder = app_settings.backups_dir
    client, _ = start(engine, app_settings)
    orks = create_type(client, "Orks", IN_BOX=3)
    client.__exit__(None, None, None)
    assert dailies(folder) == []  # the empty database at the first start needed no copy

    client, _ = start(engine, app_settings)
    first = dailies(folder)
    assert len(first) == 1
    client.__exit__(None, None, None)

    client, _ = start(engine, app_settings)
    assert dailies(folder) == first  # nothing changed since
    assert move(client, orks, "IN_BOX", "DONE", 1) == 200
    client.__exit__(None, None, None)

    client, _ = start(engine, app_settings)
    assert len(dailies(folder)) == 2
    listed = client.get("/api/v1/backups").json()["backups"]
    assert listed[0]["kind"] == "daily" and listed[0]["miniatures"] == 3
    client.__exit__(None, None, None)


def test_every_24_hours_while_running_if_anything_changed(
    running: tuple[TestClient, TurnedClock], app_settings: Settings
) -> None:
    client, clock = running
    folder = app_settings.backups_dir
    asked = clock.idle()
    assert dailies(folder) == []
    orks = create_type(client, "Orks", IN_BOX=3)

    asked = clock.turn(23, asked)
    assert dailies(folder) == []  # not due yet
    asked = clock.turn(1, asked)
    assert len(dailies(folder)) == 1  # 24 hours after the start

    asked = clock.turn(24, asked)
    assert len(dailies(folder)) == 1  # nothing changed in that day

    assert move(client, orks, "IN_BOX", "BUILDING", 2) == 200
    asked = clock.turn(12, asked)
    assert len(dailies(folder)) == 1
    clock.turn(12, asked)
    assert len(dailies(folder)) == 2


def test_a_computer_that_slept_past_the_due_time_copies_when_it_wakes(
    running: tuple[TestClient, TurnedClock], app_settings: Settings
) -> None:
    client, clock = running
    asked = clock.idle()
    create_type(client, "Orks", IN_BOX=3)
    # While asleep no wait ends; on waking the wall clock has moved on by days.
    clock.moment += timedelta(days=3)
    clock.turn(asked / 3600, asked)
    assert len(dailies(app_settings.backups_dir)) == 1


def test_the_schedule_stops_with_the_server(engine: Engine, app_settings: Settings) -> None:
    client, _ = start(engine, app_settings)
    threads = [thread for thread in threading.enumerate() if thread.name == "daily-copies"]
    assert len(threads) == 1
    client.__exit__(None, None, None)
    threads[0].join(WAIT)
    assert not threads[0].is_alive()
