"""Full-text search over articles: one interface, a backend per database engine.

The index is kept by database triggers (see migration 0003), so every write path — API, admin,
even raw SQL — keeps it current; an import indexes each batch's articles once at its end
(batch_indexed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet

from .batch import SearchBatch
from .query import SearchQuery, search_query_parse

__all__ = [
    "SearchQuery",
    "article_search",
    "articles_matching",
    "SearchBatch",
    "batch_indexed",
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
def batch_indexed() -> Iterator[SearchBatch]:
    """Around a batch's writes, inside its transaction: the writer names the articles whose
    text it wrote (`texts`) and those it changed at all (`changed`), and each is indexed and
    named to the outbox once, at the end, rather than by a trigger on every row (SQLite;
    migrations 0007 and 0030). PostgreSQL's triggers already run once per statement; the
    writer writes its links before the rows they link, and the authorships' triggers stand
    aside (migration 0034)."""
    batch = SearchBatch()
    if connection.vendor == "postgresql":
        from .postgres import batch_indexed as indexed
    else:
        from .sqlite import batch_indexed as indexed

    with indexed(batch):
        yield batch
