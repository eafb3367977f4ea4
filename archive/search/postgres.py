"""PostgreSQL: the stored, GIN-indexed `search_vector`, SearchRank and SearchHeadline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.db import connection
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Left, NullIf

from .batch import SearchBatch
from .query import FIELD_WEIGHTS, MARK_END, MARK_START, SNIPPET_MAX_CHARS, SearchQuery

CONFIG = "english"
# ts_rank's weights of the labels D, C, B, A, each at most 1: the stored vector labels title
# and authors A and the body C (migration 0003); B and D label nothing.
LABELS = {"A": ("title", "authors"), "C": ("body",)}
_TOP = max(FIELD_WEIGHTS.values())
RANK_WEIGHTS = [
    FIELD_WEIGHTS[LABELS[label][0]] / _TOP if label in LABELS else 0.0 for label in "DCBA"
]


def websearch_text(query: SearchQuery) -> str:
    """The parsed query in websearch_to_tsquery's syntax; words are \\w+ only, so it is safe."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"' if len(words) > 1 else words[0]

    parts = [phrase(p) for p in query.include] + ["-" + phrase(p) for p in query.exclude]
    return " ".join(parts)


def _tsquery(query: SearchQuery) -> PgSearchQuery:
    return PgSearchQuery(websearch_text(query), search_type="websearch", config=CONFIG)


def articles_matching(articles: QuerySet, query: SearchQuery) -> QuerySet:
    return articles.filter(search_vector=_tsquery(query))


def article_search(articles: QuerySet, query: SearchQuery) -> QuerySet:
    tsquery = _tsquery(query)
    return (
        articles.filter(search_vector=tsquery)
        .annotate(
            # In double precision: ts_rank's `real` reaches Python as its shortest decimal,
            # which a cursor then compares with the real value and finds unequal (a walk by
            # cursor repeated its page for ever); a double goes there and back exactly.
            search_rank=Cast(
                SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS), FloatField()
            ),
            search_snippet=SearchHeadline(
                # A stub has no body: its title is the passage to show. A long text is
                # highlighted in its opening (query.SNIPPET_MAX_CHARS).
                Left(Coalesce(NullIf(F("body"), Value("")), F("title")), SNIPPET_MAX_CHARS),
                tsquery,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=32,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "pk")
    )


@contextmanager
def batch_indexed(batch: SearchBatch) -> Iterator[SearchBatch]:
    """Hold back the authorships' triggers (migration 0034) for the writes inside, inside the
    batch's transaction: each article whose links the batch writes then has its row written,
    and the row's own trigger makes its vector with the authors already linked."""
    held = "SELECT set_config('archive.search_authors_held', %s, true)"
    with connection.cursor() as cursor:
        cursor.execute(held, ["on"])
        yield batch
        # Raised instead, the transaction or its savepoint rolls back, and the setting with it.
        cursor.execute(held, ["off"])
