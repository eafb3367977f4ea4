"""Request bodies a hostile or careless client sends: each is a JSON 4xx naming the problem,
answered quickly, and writes nothing."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from archive.api.errors import conflict_words
from archive.limits import JSON_MAX_DEPTH, RELATED_MAX_ITEMS, TEXT_MAX_CHARS
from archive.models import Article, ArticleCountry, Author, Authorship, Country, Topic

pytestmark = pytest.mark.django_db
ARTICLES = "/api/v1/articles/"


def post_raw(client, path, raw: str):
    return client.post(path, data=raw, content_type="application/json")


@pytest.mark.parametrize("depth", [JSON_MAX_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_a_400(editor, depth):
    raw = '{"name": ' + "[" * depth + "]" * depth + "}"
    response = post_raw(editor, "/api/v1/topics/", raw)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels."
    }
    assert not Topic.objects.exists()


def test_nesting_within_the_limit_is_read_as_usual(editor):
    response = post_raw(editor, "/api/v1/topics/", '{"name": "Energy", "slug": "energy"}')
    assert response.status_code == 201


def test_a_body_over_the_size_limit_is_a_json_413(editor):
    raw = json.dumps({"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = post_raw(editor, "/api/v1/topics/", raw)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than" in response.json()["detail"]
    assert not Topic.objects.exists()


def test_article_text_over_the_limit_is_a_400_naming_the_field(editor):
    body = {"title": "Long", "body": "word " * (TEXT_MAX_CHARS // 5) + "more"}
    response = editor.post(ARTICLES, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    assert not Article.objects.exists()


def test_the_schema_states_the_limits(api):
    import yaml

    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    request = schema["components"]["schemas"]["ArticleWriteRequest"]["properties"]
    assert request["body"]["maxLength"] == TEXT_MAX_CHARS
    for name in ("authors", "topics", "tagged_countries"):
        assert request[name]["maxItems"] == RELATED_MAX_ITEMS, name


def test_twenty_thousand_related_names_are_refused_without_looking_them_up(editor):
    names = [f"author-{n}" for n in range(20_000)]
    with CaptureQueriesContext(connection) as queries:
        response = editor.post(ARTICLES, {"title": "Many", "authors": names}, format="json")
    assert response.status_code == 400
    assert response.json() == {"authors": [f"At most {RELATED_MAX_ITEMS} items, got 20000."]}
    assert not [q for q in queries if "archive_author" in q["sql"]]


def test_related_names_are_resolved_in_one_query_and_unknown_ones_named(editor):
    Author.objects.bulk_create(
        Author(name=f"Author {n}", slug=f"author-{n}") for n in range(RELATED_MAX_ITEMS)
    )
    names = [f"author-{n}" for n in range(RELATED_MAX_ITEMS)]
    with CaptureQueriesContext(connection) as queries:
        response = editor.post(ARTICLES, {"title": "Many", "authors": names}, format="json")
    assert response.status_code == 201, response.json()
    lookups = [
        q
        for q in queries
        if q["sql"].startswith("SELECT")
        and '"archive_author"' in q["sql"]
        and "IN (" in q["sql"]
        and "archive_authorship" not in q["sql"]
    ]
    assert len(lookups) == 1
    assert [a["slug"] for a in response.json()["authors"]] == names
    response = editor.post(
        ARTICLES, {"title": "x", "authors": ["author-1", "nobody"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"authors": ["No record with slug 'nobody'."]}


def make_conflict(kind: str) -> IntegrityError:
    """A real constraint failure of the database under test."""
    article = Article.objects.create(title="A", slug="a")
    author = Author.objects.create(name="N", slug="n")
    iran = Country.objects.get(code="IR")
    try:
        with transaction.atomic():
            if kind == "author":
                Authorship.objects.create(article=article, author=author)
                Authorship.objects.create(article=article, author=author, position=1)
            elif kind == "country":
                ArticleCountry.objects.create(article=article, country=iran)
                ArticleCountry.objects.create(article=article, country=iran)
            elif kind == "slug":
                Author.objects.create(name="M", slug="n")
    except IntegrityError as error:
        return error
    raise AssertionError("no conflict")


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("author", "An author is listed twice."),
        ("country", "A country is listed twice."),
        ("slug", "The slug is taken by another record."),
    ],
)
def test_conflicts_are_said_in_the_apis_words(kind, words):
    error = make_conflict(kind)
    assert "archive_" in str(error) or "unique" in str(error)  # the database's own words…
    assert conflict_words(error) == words  # … are not what the client reads
