"""What a failed statement means for the answer: the one place a 503 is made, and which
failures a transaction runs again after."""

import psycopg
from sqlalchemy import exc as sa_exc

from backend import errors

# SQLSTATEs (PostgreSQL, appendix A): the connection is gone, or the server is going away.
CONNECTION_LOST = frozenset({"57P01", "57P02", "57P03"})  # admin, crash, cannot connect now
CONNECTION_CLASS = "08"
# Transactions that lost a race with another: run again, they may well succeed.
RETRYABLE = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
ATTEMPTS = 3
# The server refused for lack of disk space: down until the user frees some (the UI says so).
DISK_FULL = "53100"


def sqlstate(error: BaseException) -> str | None:
    """The server's error code, whether SQLAlchemy wrapped the driver's error or not."""
    state: str | None = getattr(getattr(error, "orig", error), "sqlstate", None)
    return state


def is_retryable(error: BaseException) -> bool:
    return sqlstate(error) in RETRYABLE


def _unreachable(error: BaseException) -> bool:
    """The connection was refused or lost, or none could be had at all."""
    if isinstance(error, sa_exc.TimeoutError):  # no connection free in the pool
        return True
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    state = sqlstate(error)
    if state is not None:
        return state.startswith(CONNECTION_CLASS) or state in CONNECTION_LOST
    if isinstance(error, sa_exc.DBAPIError) and error.statement is not None:
        # Raised by the driver while running a statement on a connection that SQLAlchemy
        # found neither closed nor broken (above): the statement failed, the connection
        # works (e.g. more bound parameters than the protocol carries).
        return False
    # Raised while connecting, or by the driver's own statements (COPY): no working connection.
    driver_error = getattr(error, "orig", error)
    return isinstance(driver_error, psycopg.OperationalError | psycopg.InterfaceError)


def database_failure(error: BaseException, outage_reason: str | None = None) -> errors.AppError:
    """The answer for a statement that failed: the one place a 503 is made. `outage_reason` is
    why the database is down when whoever runs it knows (e.g. "disk_full")."""
    if sqlstate(error) == DISK_FULL:
        return errors.DatabaseUnavailable(reason="disk_full")
    if _unreachable(error):
        if outage_reason:
            return errors.DatabaseUnavailable(reason=outage_reason)
        return errors.DatabaseUnavailable()
    return errors.InternalError()
