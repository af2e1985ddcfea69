"""Timing helpers: bounded request loops, percentiles, and the server's peak memory."""

import statistics
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

import psutil

T = TypeVar("T")


def percentile(samples: list[float], p: int) -> float:
    """The p-th percentile (inclusive method), in the samples' unit."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def timed(call: Callable[[], object], runs: int, warmup: int = 5) -> list[float]:
    """Milliseconds of each of `runs` calls, after a few untimed ones."""
    for _ in range(warmup):
        call()
    samples: list[float] = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def timed_each(call: Callable[[T], object], items: Iterable[T]) -> list[float]:
    """Milliseconds of `call(item)` for each item."""
    samples: list[float] = []
    for item in items:
        began = time.perf_counter()
        call(item)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def concurrent(worker: Callable[[int], list[float]], clients: int) -> tuple[list[float], float]:
    """Runs `worker(client_number)` in `clients` threads started together.

    Returns every latency sample and the wall-clock seconds from start to the last finish.
    """
    results: list[list[float]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def run(number: int) -> None:
        barrier.wait()
        results[number] = worker(number)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return [sample for result in results for sample in result], elapsed


class PeakMemory:
    """Samples the resident memory of whichever process `pid()` names, every 20 ms."""

    def __init__(self, pid: Callable[[], int | None]) -> None:
        self.pid = pid
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            pid = self.pid()
            if pid is None:
                continue
            try:
                rss = psutil.Process(pid).memory_info().rss
            except psutil.Error:
                continue
            self.peak_bytes = max(self.peak_bytes, rss)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
