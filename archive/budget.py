"""A time budget for every request's database work, and a clear 503 when it runs out.

The database enforces it, not Python: SQLite through a progress handler that interrupts a
statement (or the fetching of its rows) once the request's deadline has passed, PostgreSQL
through `statement_timeout`, set to what is left of the request's budget. The budget is the
request's, not each statement's: a statement begun past the deadline is not sent at all. A
request over budget, or one that finds SQLite's write lock held past its busy timeout (an
import's batch), is answered 503 with Retry-After instead of holding a worker or failing 500,
wherever the database stopped it (running a statement, fetching rows, rendering a template).
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connections
from django.db.backends.signals import connection_created
from django.http import JsonResponse

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)
PROGRESS_STEPS = 20_000  # SQLite virtual-machine steps between two looks at the clock
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailable(Exception):
    """The database could not answer this request in time; the client should retry."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def _over_deadline() -> int:
    deadline = _deadline.get()
    return int(deadline is not None and time.monotonic() > deadline)


def sqlite_progress_install(sender, connection, **kwargs) -> None:
    """Every new SQLite connection looks at the request's deadline as it works."""
    if connection.vendor == "sqlite":
        connection.connection.set_progress_handler(_over_deadline, PROGRESS_STEPS)


connection_created.connect(sqlite_progress_install)


def budget_ms() -> int:
    return int(getattr(settings, "REQUEST_DB_BUDGET_MS", 0) or 0)


TRANSACTION_CONTROL = ("ROLLBACK", "RELEASE", "COMMIT", "SAVEPOINT")
TIMEOUT_SLACK_MS = 100  # PostgreSQL's timeout is set again once the budget left is this lower


def _remaining_ms() -> int | None:
    deadline = _deadline.get()
    return None if deadline is None else int((deadline - time.monotonic()) * 1000)


def _execute_within_budget(execute, sql, params, many, context):
    connection = context["connection"]
    if isinstance(sql, str) and sql.lstrip()[:9].upper().startswith(TRANSACTION_CONTROL):
        return execute(sql, params, many, context)  # ending a transaction is never refused
    remaining = _remaining_ms()
    if remaining is not None and remaining <= 0:
        raise DatabaseUnavailable(over_budget())
    timeout = min(budget_ms(), remaining if remaining is not None else budget_ms())
    current = getattr(connection, "_budget_ms", None)
    if connection.vendor == "postgresql" and (
        connection.in_atomic_block
        or current is None
        or not 0 <= current - timeout < TIMEOUT_SLACK_MS
    ):
        # On the driver's own connection, so that no query of the request's is added (query
        # counts stay pinned). Outside a transaction the setting lasts: set again only when
        # what is left of the budget has fallen (or a new request has a whole budget again).
        # Inside one, a rollback would undo it, so it is set for that transaction alone.
        from psycopg.pq import TransactionStatus

        raw = connection.connection
        if connection.in_atomic_block:
            if raw.info.transaction_status != TransactionStatus.INERROR:
                raw.execute(f"SET LOCAL statement_timeout = {timeout:d}")
        else:
            raw.execute(f"SET statement_timeout = {timeout:d}")
            connection._budget_ms = timeout
    # SQLite's progress handler reads the deadline: no statement past a request's budget,
    # even within a stream's longer deadline (its rows, fetched after, have the stream's).
    token = _deadline.set(min(_deadline.get(), time.monotonic() + timeout / 1000))
    try:
        return execute(sql, params, many, context)
    except OperationalError as error:
        reason = unavailable_reason(error)
        if reason is None:
            raise
        raise DatabaseUnavailable(reason) from error
    finally:
        _deadline.reset(token)


def unavailable_reason(error: OperationalError) -> str | None:
    """Why the database did not answer in time, in the client's words; None for other errors."""
    cause = error.__cause__
    name = type(cause).__name__ if cause is not None else ""
    message = str(error).lower()
    if name == "QueryCanceled" or "interrupted" in message or "statement timeout" in message:
        return over_budget()
    if "database is locked" in message:
        return "The archive is busy writing (an import); retry shortly."
    return None


def over_budget() -> str:
    return (
        f"The request needed more than its {budget_ms() / 1000:g} s of database time; "
        "narrow it (fewer or rarer search words, more filters) or retry later."
    )


def unavailable_response(detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@contextmanager
def within_budget() -> Iterator[None]:
    """Database work inside is stopped by the database once the budget is spent."""
    budget = budget_ms()
    if not budget:
        yield
        return
    with within_budget_until(time.monotonic() + budget / 1000):
        yield


@contextmanager
def within_budget_until(deadline: float) -> Iterator[None]:
    """Database work inside is stopped by the database at `deadline` (time.monotonic()), no
    statement running longer than a request's budget: a streamed body's work."""
    token = _deadline.set(deadline)
    try:
        with connections["default"].execute_wrapper(_execute_within_budget):
            yield
    finally:
        _deadline.reset(token)


class RequestBudgetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with within_budget():
            return self.get_response(request)

    def process_exception(self, request, exception):
        """Also what the database stopped outside a statement's execution: SQLite interrupts
        the fetching of rows too, which no execute wrapper sees."""
        if isinstance(exception, DatabaseUnavailable):
            return unavailable_response(exception.detail)
        if isinstance(exception, OperationalError) and (reason := unavailable_reason(exception)):
            return unavailable_response(reason)
        return None
