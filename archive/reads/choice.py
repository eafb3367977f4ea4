"""reader_for: the one place where a list query is given to the search index or to the
database."""

from __future__ import annotations

from django.conf import settings

from . import index
from .query import ArticleQuery
from .readers import ArticleReader, DatabaseReader, IndexReader


def reader_for(query: ArticleQuery) -> ArticleReader:
    """The index, when it holds every filter asked and the order, and is caught up with the
    database; else the database. `settings.ARTICLE_READER = "database"` sends every query to
    the database (an operator whose index is broken; the tests that compare the two)."""
    if settings.ARTICLE_READER != "database" and index.answers(query.values):
        results = index.engine_results(query.values)  # None: not caught up, or refused
        if results is not None:
            return IndexReader(query, results)
    return DatabaseReader(query)
