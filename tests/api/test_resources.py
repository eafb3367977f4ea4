"""Authors, topics, publications and countries endpoints, with article counts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def by_key(response, key):
    assert response.status_code == 200, response.content
    return {item[key]: item for item in response.json()["results"]}


def test_authors(api, imported_seeds):
    authors = by_key(api.get("/api/v1/authors/"), "slug")
    assert set(authors) == {"giorgio-cafiero", "kenneth-katzman"}
    katzman = authors["kenneth-katzman"]
    assert (katzman["honorific"], katzman["article_count"]) == ("Dr.", 1)
    assert katzman["bio"].startswith("Dr. Kenneth Katzman is a Senior Fellow")
    detail = api.get("/api/v1/authors/kenneth-katzman/").json()
    assert detail["name"] == "Kenneth Katzman"


def test_topics(api, imported_seeds):
    topics = by_key(api.get("/api/v1/topics/"), "slug")
    assert topics["us-gulf-policy"]["article_count"] == 1
    assert topics["us-gulf-policy"]["name"] == "U.S. – Gulf Policy"


def test_publications(api, imported_seeds):
    publications = by_key(api.get("/api/v1/publications/"), "slug")
    gif = publications["gulf-international-forum"]
    assert (gif["acronym"], gif["article_count"]) == ("GIF", 9)


def test_countries_list_every_iso_country_with_counts(api, imported_seeds):
    body = api.get("/api/v1/countries/", {"page_size": 100}).json()
    assert body["count"] == 249
    iran = api.get("/api/v1/countries/ir/").json()
    assert (iran["code"], iran["alpha3"], iran["name"]) == ("IR", "IRN", "Iran")
    # Both articles and the six stubs whose cards carry the "Iran" label.
    assert iran["article_count"] == 8
    assert api.get("/api/v1/countries/KZ/").json()["article_count"] == 1
    assert api.get("/api/v1/countries/zz/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/authors/", "/api/v1/topics/", "/api/v1/publications/", "/api/v1/countries/"]
)
def test_list_query_count_is_fixed(api, imported_seeds, django_assert_num_queries, path):
    with django_assert_num_queries(2):  # count and rows (article_count is annotated)
        api.get(path, {"page_size": 100})


@pytest.mark.parametrize("path", ["/api/v1/authors/", "/api/v1/topics/", "/api/v1/publications/"])
def test_anonymous_cannot_create(api, db, path):
    assert api.post(path, {"name": "x", "slug": "x"}, format="json").status_code == 401


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_database_failure_without_its_details(client, db, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("password authentication failed for user secret-user")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
