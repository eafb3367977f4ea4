"""SQLite FTS5: the `archive_article_fts` table, ranked with bm25, snippets with snippet()."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .query import MARK_END, MARK_START, SNIPPET_MAX_CHARS, SearchQuery

# bm25 column weights: title, authors, body. A title or author match outranks the body.
WEIGHTS = "10.0, 10.0, 1.0"


def match_expression(query: SearchQuery) -> str:
    """An FTS5 MATCH expression. Every word is a quoted string: no user text is FTS syntax."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'

    expression = " AND ".join(phrase(p) for p in query.include)
    if query.exclude:
        expression = f"({expression}) NOT ({' OR '.join(phrase(p) for p in query.exclude)})"
    return expression


def article_search(articles: QuerySet, query: SearchQuery) -> QuerySet:
    """Joined to the index, so that bm25() runs once per match in the same scan; it used to be
    a subquery per article (3.5 s for a common word at 100,000 articles, now tens of ms).
    `extra` is the ORM's way to join a table that is not a model, and only this needs one."""
    expression = match_expression(query)
    # The join condition as a filter, so that the ORM names the article table right even
    # inside a subquery (the facets'); the index table keeps its name everywhere.
    return (
        articles.filter(pk=RawSQL("archive_article_fts.rowid", ()))
        .extra(
            tables=["archive_article_fts"],
            where=["archive_article_fts MATCH %s"],
            params=[expression],
            select={
                "search_rank": f"-bm25(archive_article_fts, {WEIGHTS})",
                # Column -1: the passage comes from whichever column matches best; a text
                # longer than SNIPPET_MAX_CHARS is highlighted in its title (column 0).
                "search_snippet": (
                    "CASE WHEN length(archive_article.body) <= %s "
                    "THEN snippet(archive_article_fts, -1, %s, %s, '…', 32) "
                    "ELSE highlight(archive_article_fts, 0, %s, %s) END"
                ),
            },
            select_params=[SNIPPET_MAX_CHARS, MARK_START, MARK_END, MARK_START, MARK_END],
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
