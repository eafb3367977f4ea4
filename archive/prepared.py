"""Cursors for fixed statements run again and again: the few every request runs (a page's rows,
the index's state) and an import batch's row-by-row UPDATE. On PostgreSQL they are prepared
once a connection; planning them was a third of a request's statement time (0.15-0.2 ms of
0.4-0.5 each)."""

from __future__ import annotations

from django.db import connection


def prepared_cursor():
    """A cursor whose statements PostgreSQL plans once a connection: with the parameters bound
    by the server, psycopg prepares a statement from its sixth use on (the connection's
    prepare_threshold, config/settings). Django's cursors bind on the client, which never
    prepares. SQLite's own module keeps its statements compiled already. Made as Django makes
    its cursors, so that query logging and the request's budget apply."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))
