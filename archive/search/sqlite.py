"""SQLite FTS5: the `archive_article_fts` table, ranked with bm25, snippets with snippet()."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Case, F, FloatField, Func, QuerySet, TextField, Value, When
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from .batch import SearchBatch
from .query import FIELD_WEIGHTS, MARK_END, MARK_START, SNIPPET_MAX_CHARS, SearchQuery

# bm25's column weights, in the FTS table's order of columns.
WEIGHTS = tuple(FIELD_WEIGHTS[column] for column in ("title", "authors", "body"))


def match_expression(query: SearchQuery) -> str:
    """An FTS5 MATCH expression. Every word is a quoted string: no user text is FTS syntax."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'

    expression = " AND ".join(phrase(p) for p in query.include)
    if query.exclude:
        expression = f"({expression}) NOT ({' OR '.join(phrase(p) for p in query.exclude)})"
    return expression


def articles_matching(articles: QuerySet, query: SearchQuery) -> QuerySet:
    return articles.filter(text_entry__entry__match=match_expression(query))


def article_search(articles: QuerySet, query: SearchQuery) -> QuerySet:
    """Joined to the index (models.ArticleText), so that bm25() runs once per match in the same
    scan; it used to be a subquery per article (3.5 s for a common word at 100,000 articles,
    now tens of ms)."""
    entry = F("text_entry__entry")

    def fts(function: str, *arguments) -> Func:
        return Func(entry, *map(Value, arguments), function=function, output_field=TextField())

    return (
        articles_matching(articles, query)
        .annotate(
            search_rank=-Func(
                entry, *map(Value, WEIGHTS), function="bm25", output_field=FloatField()
            ),
            # Column -1: the passage comes from whichever column matches best; a text longer
            # than SNIPPET_MAX_CHARS is highlighted in its title (column 0) instead.
            search_snippet=Case(
                When(
                    LessThanOrEqual(Length("body"), SNIPPET_MAX_CHARS),
                    then=fts("snippet", -1, MARK_START, MARK_END, "…", 32),
                ),
                default=fts("highlight", 0, MARK_START, MARK_END),
            ),
        )  # fmt: skip
        .order_by("-search_rank", "pk")
    )


AUTHORS_OF = """(SELECT coalesce(group_concat(a.name, ' '), '') FROM archive_authorship s
    JOIN archive_author a ON a.id = s.author_id WHERE s.article_id = archive_article.id)"""
TEXT_REINDEX = [
    "DELETE FROM archive_article_fts WHERE rowid IN (SELECT value FROM json_each(%s))",
    f"""INSERT INTO archive_article_fts (rowid, title, authors, body)
        SELECT id, title, {AUTHORS_OF}, body FROM archive_article
        WHERE id IN (SELECT value FROM json_each(%s))""",
]
CHANGED = "INSERT INTO archive_search_change (article_id) SELECT value FROM json_each(%s)"


@contextmanager
def batch_indexed(batch: SearchBatch) -> Iterator[SearchBatch]:
    """Hold back the text and outbox triggers (migrations 0007, 0030) for the writes inside;
    then index the text of each article `batch.texts` names, and name each of
    `batch.changed` to the outbox, a statement each. Inside the batch's transaction."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO archive_search_deferred (id) VALUES (1)")
        yield batch
        texts = json.dumps(sorted(batch.texts))
        for statement in TEXT_REINDEX:
            cursor.execute(statement, [texts])
        cursor.execute(CHANGED, [json.dumps(sorted(batch.changed))])
        cursor.execute("DELETE FROM archive_search_deferred")
