"""New rows written with keys taken first (archive.importer.writing.rows_create): saved
instances, keys never used before, the fields a save would set; and rows updated a statement
each (rows_update)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from archive.importer.writing import _as_is, _db_value, keys_take, rows_create, rows_update
from archive.models import (
    Article,
    ArticleCountry,
    ArticleSource,
    Authorship,
    RelatedArticle,
    Topic,
)
from tests.conftest import HORN, NILE
from tests.importer.test_import_command import run

pytestmark = pytest.mark.django_db


def test_new_rows_are_saved_instances_with_their_fields():
    topics = [Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(3)]
    rows_create(topics)
    assert all(not t._state.adding and t.pk for t in topics)
    assert [t.pk for t in topics] == sorted(t.pk for t in topics)
    stored = dict(Topic.objects.values_list("pk", "slug"))
    assert {t.pk: t.slug for t in topics} == stored

    article = Article(title="A title", title_key="a title", slug="a-title")
    rows_create([article])
    row = Article.objects.get(pk=article.pk)
    assert row.slug == "a-title"
    assert row.created_at is not None and row.updated_at is not None  # auto_now(_add), as save
    assert row.sections == [] and row.is_stub is False  # the fields' defaults


def test_a_key_is_never_taken_twice_even_after_the_newest_row_is_deleted():
    rows_create([Topic(name="First", slug="first"), Topic(name="Second", slug="second")])
    newest = Topic.objects.order_by("-pk").first().pk
    Topic.objects.filter(pk=newest).delete()
    with transaction.atomic():
        (key,) = keys_take(Topic, 1)
    assert key > newest  # a deleted article's key is not given to another (AUTOINCREMENT)


def test_an_import_after_deleting_every_article_gives_new_keys():
    run(NILE)
    highest = Article.objects.order_by("-pk").first().pk
    Article.objects.all().delete()
    run(HORN)
    assert Article.objects.order_by("pk").first().pk > highest


# Values of the kinds an import gives fields, and of kinds it does not.
VALUES = ["", "text", 0, 7, True, False, None, 1.5, [], ["A"], {"a": 1}]


@pytest.mark.parametrize(
    "model", [Article, Topic, ArticleCountry, Authorship, RelatedArticle, ArticleSource]
)
def test_a_value_kept_as_is_is_what_django_would_write(model):
    """writing._db_value hands some values to the database unchanged without asking the field:
    for every field of the models the importer writes, the same value as Django's own."""
    for field in model._meta.concrete_fields:
        for value in VALUES:
            if type(value) not in _as_is(field):
                continue
            assert _db_value(field, value) == field.get_db_prep_save(value, connection), (
                field,
                value,
            )
            assert type(_db_value(field, value)) is type(field.get_db_prep_save(value, connection))


def test_values_not_kept_as_is_go_through_the_field():
    sections = Article._meta.get_field("sections")
    assert _as_is(sections) == ()  # JSON: a str is encoded, not written as it is
    assert _db_value(sections, "x") != "x"
    assert type(_db_value(sections, "x")) is type(sections.get_db_prep_save("x", connection))
    published = Article._meta.get_field("published_on")
    assert _as_is(published) == ()


def renamed_topics() -> list[Topic]:
    topics = [Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(8)]
    rows_create(topics)
    for topic in topics:
        topic.name = topic.name.upper()
    rows_update(topics, ["name"])
    return topics


def test_rows_update_writes_each_rows_fields():
    topics = renamed_topics()
    assert dict(Topic.objects.values_list("pk", "name")) == {t.pk: t.name for t in topics}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_postgresql_plans_the_update_once_not_once_a_row():
    """An import updates thousands of rows a batch (filled stubs, authors' bios): with the
    values bound on the client, as Django's cursors bind them, each row's statement was parsed
    and planned anew. Bound by the server, psycopg prepares it from its sixth row on."""
    renamed_topics()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['UPDATE "archive_topic" SET "name" = $1%'],
        )
        assert cursor.fetchone() == (1,)
