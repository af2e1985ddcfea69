"""Clients that move miniatures and keep a ledger of what the server acknowledged, and the
invariants a user relies on after any crash: acknowledged moves are kept, every count equals
its history's net flow, and none is negative."""

import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from backend.stages import STAGES

API = "/api/v1"
FORWARD_PAIRS = [(a, b) for i, a in enumerate(STAGES) for b in STAGES[i + 1 :]]

MoveKey = tuple[int, str, str]  # (type id, from stage, to stage)


@dataclass
class Ledger:
    """What the clients know: moves acknowledged (200) and moves whose outcome is unknown."""

    acknowledged: Counter[MoveKey] = field(default_factory=Counter)
    unknown: Counter[MoveKey] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, key: MoveKey, qty: int, status: int | None) -> None:
        with self.lock:
            if status is None:
                self.unknown[key] += qty
                return
            self.statuses[status] += 1
            if status == 200:
                self.acknowledged[key] += qty
            elif status == 503:
                # The database went away mid-request: the commit may or may not have landed.
                self.unknown[key] += qty

    @property
    def acknowledged_moves(self) -> int:
        with self.lock:
            return self.statuses[200]


def create_types(client: httpx.Client, names: list[str], in_box: int) -> list[int]:
    ids = []
    for name in names:
        response = client.post(f"{API}/types", json={"name": name, "counts": {"IN_BOX": in_box}})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def mover(
    base_url: str,
    type_ids: list[int],
    ledger: Ledger,
    stop: threading.Event,
    seed: int,
    *,
    stop_on_transport_error: bool = True,
) -> None:
    """Moves random forward quantities until told to stop or the server is gone."""
    rng = random.Random(seed)
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        while not stop.is_set():
            type_id = rng.choice(type_ids)
            # Mostly out of the box, so most moves have miniatures to move.
            from_stage, to_stage = (
                ("IN_BOX", rng.choice(STAGES[1:]))
                if rng.random() < 0.6
                else rng.choice(FORWARD_PAIRS)
            )
            qty = rng.randint(1, 3)
            key = (type_id, str(from_stage), str(to_stage))
            try:
                response = client.post(
                    f"{API}/types/{type_id}/move",
                    json={"from_stage": from_stage, "to_stage": to_stage, "qty": qty},
                )
            except httpx.TransportError:
                ledger.record(key, qty, None)
                if stop_on_transport_error:
                    return
                continue
            ledger.record(key, qty, response.status_code)


@contextmanager
def movers(
    base_url: str, type_ids: list[int], ledger: Ledger, clients: int, **options: bool
) -> Iterator[threading.Event]:
    """Clients moving miniatures for the duration of the block; stopped and joined after it,
    also when the test fails inside."""
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=mover, args=(base_url, type_ids, ledger, stop, seed), kwargs=options, daemon=True
        )
        for seed in range(clients)
    ]
    for thread in threads:
        thread.start()
    try:
        yield stop
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)


def check_invariants(client: httpx.Client, ledger: Ledger | None = None) -> list[dict[str, object]]:
    """Asserts the invariants through the API; returns the types as the server lists them."""
    response = client.get(f"{API}/types")
    assert response.status_code == 200, response.text
    types = response.json()
    moved: Counter[MoveKey] = Counter()
    for kind in types:
        history = client.get(f"{API}/types/{kind['id']}/history")
        assert history.status_code == 200, history.text
        net: Counter[str] = Counter()
        for group in history.json()["groups"]:
            net[group["to_stage"]] += group["qty"]
            if group["from_stage"] is not None:
                net[group["from_stage"]] -= group["qty"]
                moved[(kind["id"], group["from_stage"], group["to_stage"])] += group["qty"]
        counts = kind["counts"]
        assert all(counts[stage] >= 0 for stage in STAGES), kind
        assert {stage: counts[stage] for stage in STAGES} == {
            stage: net[stage] for stage in STAGES
        }, kind["name"]
        assert kind["total"] == sum(counts[stage] for stage in STAGES)
    if ledger is not None:
        for key in set(ledger.acknowledged) | set(moved):
            # Every acknowledged move is kept; beyond them only moves whose answer was lost.
            extra = moved[key] - ledger.acknowledged[key]
            assert 0 <= extra <= ledger.unknown[key], (key, moved[key], ledger.acknowledged[key])
    return types
