"""The search index's outbox: every write path that changes what search sees leaves a change
row naming each article touched, in the same transaction (so a rollback leaves none)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from archive import services
from archive.models import Article, Author, Country, SearchChange, Topic
from tests.conftest import SEED_000, SEEDS

pytestmark = pytest.mark.django_db


def changed_since(mark: int) -> set[int]:
    return set(SearchChange.objects.filter(id__gt=mark).values_list("article_id", flat=True))


def mark() -> int:
    return SearchChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_an_import_names_every_article_it_writes(db):
    before = mark()
    call_command("import_articles", str(SEEDS), verbosity=0)
    assert changed_since(before) == set(Article.objects.values_list("pk", flat=True))


def test_api_writes_name_their_articles(imported_seeds, editor):
    article = Article.objects.get(source_name=SEED_000.stem)
    before = mark()
    editor.patch(f"/api/v1/articles/{article.slug}/", {"title": "Retitled"}, format="json")
    assert changed_since(before) == {article.pk}

    before = mark()
    created = editor.post("/api/v1/articles/", {"title": "New piece"}, format="json").json()
    new = Article.objects.get(slug=created["slug"])
    assert changed_since(before) == {new.pk}

    before = mark()
    editor.delete(f"/api/v1/articles/{new.slug}/")
    assert changed_since(before) == {new.pk}


def test_an_author_renamed_names_each_of_their_articles(imported_seeds, editor):
    author = Author.objects.filter(articles__isnull=False).first()
    theirs = set(author.articles.values_list("pk", flat=True))
    before = mark()
    editor.patch(f"/api/v1/authors/{author.slug}/", {"name": "Someone Else"}, format="json")
    assert changed_since(before) == theirs
    before = mark()
    editor.patch(f"/api/v1/authors/{author.slug}/", {"bio": "A new bio."}, format="json")
    # Nothing search sees; PostgreSQL's tsvector trigger (0003) rewrites the articles' rows on
    # any change of an author, and the outbox, a step behind it, names them again: harmless.
    assert changed_since(before) <= theirs


def test_links_and_merges_name_their_articles(imported_seeds):
    article = Article.objects.get(source_name=SEED_000.stem)
    topic = Topic.objects.create(name="Energy", slug="energy")
    before = mark()
    services.article_update(
        article=article, topics=[topic], tagged_countries=[Country.objects.get(code="KZ")]
    )
    assert changed_since(before) == {article.pk}

    other = Topic.objects.create(name="Energy Security", slug="energy-security")
    services.article_update(article=article, topics=[other])
    before = mark()
    services.topics_merge(into=topic, others=[other])
    assert changed_since(before) == {article.pk}


def test_raw_sql_is_caught_and_a_rollback_leaves_nothing(imported_seeds):
    article = Article.objects.get(source_name=SEED_000.stem)
    before = mark()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE archive_article SET title = %s WHERE id = %s", ["Raw", article.pk])
    assert changed_since(before) == {article.pk}

    before = mark()
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Undone")
        raise RuntimeError("rolled back")
    assert changed_since(before) == set()
