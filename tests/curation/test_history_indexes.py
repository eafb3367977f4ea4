"""The articles' history is indexed for the lookups made of it, and only for those: each index
is one more tree that every version an import writes goes into (migration 0033)."""

from __future__ import annotations

import pytest
from django.db import connection

from archive.models import Article

pytestmark = pytest.mark.django_db


def _indexed_columns() -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(
            cursor, Article.history.model._meta.db_table
        )
    # PostgreSQL's second (`_like`) index on a text column has the same columns as its first.
    return {
        tuple(about["columns"])
        for about in found.values()
        if about["index"] and not about["primary_key"]
    }


def test_versions_are_indexed_by_article_date_and_user_only():
    assert _indexed_columns() == {
        ("id",),  # an article's versions (its history page, a revert)
        ("history_date",),  # the history by date
        ("history_date", "id"),  # OAI-PMH's deletions (migration 0016)
        ("history_user_id",),  # a user's deletion sets theirs to NULL
    }
