"""The database's own speed: the move transaction run straight against PostgreSQL.

What the API's move must do at least (lock both count rows, two UPDATEs, one INSERT, commit),
without HTTP, Python web code or an ORM in between.
"""

import time

import psycopg

from tests.benchmarks.measure import concurrent

LOCK = (
    "SELECT stage, count FROM stage_counts WHERE type_id = %s AND stage IN (%s, %s) "
    "ORDER BY stage FOR UPDATE"
)
TAKE = "UPDATE stage_counts SET count = count - %s WHERE type_id = %s AND stage = %s"
PUT = "UPDATE stage_counts SET count = count + %s WHERE type_id = %s AND stage = %s"
LOG = "INSERT INTO history_events (type_id, from_stage, to_stage, qty) VALUES (%s, %s, %s, %s)"


def move(conn: psycopg.Connection, type_id: int, from_stage: str, to_stage: str) -> None:
    with conn.transaction():
        conn.execute(LOCK, (type_id, from_stage, to_stage)).fetchall()
        conn.execute(TAKE, (1, type_id, from_stage))
        conn.execute(PUT, (1, type_id, to_stage))
        conn.execute(LOG, (type_id, from_stage, to_stage, 1))


def timed_moves(conn: psycopg.Connection, picks: list[int]) -> list[float]:
    samples: list[float] = []
    for type_id in picks:
        began = time.perf_counter()
        move(conn, type_id, "IN_BOX", "PRIMING")
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def one_client(libpq_url: str, type_ids: list[int], runs: int) -> list[float]:
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        timed_moves(conn, type_ids[:5])
        return timed_moves(conn, [type_ids[n % len(type_ids)] for n in range(runs)])


def many_clients(
    libpq_url: str, type_ids: list[int], clients: int, runs_each: int
) -> tuple[list[float], float]:
    def worker(number: int) -> list[float]:
        with psycopg.connect(libpq_url, autocommit=True) as conn:
            picks = [type_ids[(number * 7919 + n * 31) % len(type_ids)] for n in range(runs_each)]
            return timed_moves(conn, picks)

    return concurrent(worker, clients)
