"""Full-text search over articles: one interface, a backend per database engine.

The index is kept by database triggers (see migration 0003), so every write path — import,
API, admin, even raw SQL — keeps it current.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet

from .query import SearchQuery, search_query_parse

__all__ = [
    "SearchQuery",
    "article_search",
    "articles_matching",
    "authors_indexed_once",
    "search_query_parse",
]


def article_search(articles: QuerySet, query: SearchQuery) -> QuerySet:
    """The matching articles, annotated with `search_rank` and `search_highlight`, best first."""
    if connection.vendor == "postgresql":
        from .postgres import article_search as search
    else:
        from .sqlite import article_search as search
    return search(articles, query)


def articles_matching(articles: QuerySet, query: SearchQuery) -> QuerySet:
    """The articles matching the words, through the database's full-text index (title,
    authors, body), in the queryset's own order: no rank, no passage (the admin's search)."""
    if connection.vendor == "postgresql":
        from .postgres import articles_matching as matching
    else:
        from .sqlite import articles_matching as matching
    return matching(articles, query)


@contextmanager
def authors_indexed_once(article_ids: list[int]) -> Iterator[None]:
    """Around a batch's authorship writes: index each article's authors once at the end rather
    than on every row (SQLite; migration 0007). Call inside the batch's transaction."""
    if connection.vendor != "sqlite":
        yield  # PostgreSQL's triggers already run once per statement
        return
    from .sqlite import authors_deferred

    with authors_deferred(article_ids):
        yield
