"""SQLite FTS5: the `archive_article_fts` table, ranked with bm25, snippets with snippet()."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import FloatField, QuerySet, TextField
from django.db.models.expressions import RawSQL

from .query import MARK_END, MARK_START, SearchQuery

# bm25 column weights: title, authors, body. A title or author match outranks the body.
WEIGHTS = "10.0, 10.0, 1.0"
MATCHES = "SELECT rowid FROM archive_article_fts WHERE archive_article_fts MATCH %s"
# bm25() and snippet() only work inside the query that MATCHes, so each is a subquery on the
# article's own row of the index.
FOR_ROW = (
    "SELECT {} FROM archive_article_fts WHERE archive_article_fts MATCH %s "
    "AND archive_article_fts.rowid = archive_article.id"
)


def match_expression(query: SearchQuery) -> str:
    """An FTS5 MATCH expression. Every word is a quoted string: no user text is FTS syntax."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'

    expression = " AND ".join(phrase(p) for p in query.include)
    if query.exclude:
        expression = f"({expression}) NOT ({' OR '.join(phrase(p) for p in query.exclude)})"
    return expression


def article_search(articles: QuerySet, query: SearchQuery) -> QuerySet:
    expression = match_expression(query)
    rank = FOR_ROW.format(f"-bm25(archive_article_fts, {WEIGHTS})")
    # Column -1: the passage comes from whichever column matches best (a stub has only a title).
    snippet = FOR_ROW.format("snippet(archive_article_fts, -1, %s, %s, '…', 32)")
    return (
        articles.filter(pk__in=RawSQL(MATCHES, [expression]))
        .annotate(
            search_rank=RawSQL(rank, [expression], output_field=FloatField()),
            search_snippet=RawSQL(
                snippet, [MARK_START, MARK_END, expression], output_field=TextField()
            ),
        )
        .order_by("-search_rank", "pk")
    )


AUTHORS_REINDEX = """
    UPDATE archive_article_fts SET authors = (
        SELECT coalesce(group_concat(a.name, ' '), '') FROM archive_authorship s
        JOIN archive_author a ON a.id = s.author_id WHERE s.article_id = archive_article_fts.rowid
    )
    WHERE rowid IN (SELECT value FROM json_each(%s))
"""


@contextmanager
def authors_deferred(article_ids: list[int]) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO archive_search_deferred (id) VALUES (1)")
        yield
        cursor.execute(AUTHORS_REINDEX, [json.dumps(article_ids)])
        cursor.execute("DELETE FROM archive_search_deferred")
