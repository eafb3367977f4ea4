"""Every list endpoint runs the same number of queries for 1 item as for 100."""

from __future__ import annotations

import pytest
from django.db import connection

from archive.models import Article, ArticleCountry, Author, Authorship, Country, Publication, Topic
from archive.search.engine import SearchIndex

pytestmark = pytest.mark.django_db


def make_articles(n: int) -> None:
    publication = Publication.objects.create(name="Forum", slug="forum", acronym="F")
    countries = list(Country.objects.order_by("code")[:3])
    for i in range(n):
        article = Article.objects.create(
            title=f"Piece {i}", title_key=f"piece {i}", slug=f"piece-{i}",
            publication=publication, body="Iran and Russia.", lead="Iran and Russia.",
        )  # fmt: skip
        author = Author.objects.create(name=f"Author {i}", slug=f"author-{i}")
        Authorship.objects.create(article=article, author=author, position=0)
        topic = Topic.objects.create(name=f"Topic {i}", slug=f"topic-{i}")
        article.topics.add(topic)
        ArticleCountry.objects.bulk_create(
            ArticleCountry(article=article, country=c, mentions=1) for c in countries
        )


# path, queries: count + rows (articles the index answers: its state, the rows, one per
# relation; by title or by two keys, the database: count, the page, one per relation, and for
# a search the page's texts, to place its hits)
ENDPOINTS = [
    ("/api/v1/articles/", 5),
    ("/api/v1/articles/?ordering=-word_count", 5),
    ("/api/v1/articles/?q=Iran", 5),
    ("/api/v1/articles/?q=Iran&ordering=-word_count", 5),
    ("/api/v1/articles/?q=Iran&ordering=title", 6),
    ("/api/v1/articles/?q=Iran&ordering=-word_count,title", 6),
    ("/api/v1/articles/?country=AF&ordering=-mentions", 5),
    ("/api/v1/articles/?country=AF&min_mentions=1", 5),
    ("/api/v1/authors/", 2),
    ("/api/v1/topics/", 2),
    ("/api/v1/publications/", 2),
    ("/api/v1/countries/", 2),
]


@pytest.mark.parametrize(("path", "queries"), ENDPOINTS)
@pytest.mark.parametrize(
    ("items", "by_cursor"), [(1, False), (100, False), (60, True), (150, True)]
)
def test_list_query_count_is_independent_of_size(
    api, django_assert_num_queries, path, queries, items, by_cursor
):
    """A page by number, or the second page by the first's cursor (a search's cursor page
    from the database rescores its last item: the same count, the page query being one)."""
    make_articles(items)
    SearchIndex().sync()  # as an import leaves it
    query = f"{path}{'&' if '?' in path else '?'}page_size={50 if by_cursor else 100}"
    if by_cursor:
        cursor = api.get(query).json()["next_cursor"]
        if "publications" in path:  # one publication: no second page
            assert cursor is None
            return
        query += f"&cursor={cursor}"
    with django_assert_num_queries(queries):
        response = api.get(query)
    assert response.status_code == 200
    if "countries" not in path and "publications" not in path:
        assert len(response.json()["results"]) == (min(50, items - 50) if by_cursor else items)


@pytest.mark.parametrize("items", [1, 100])
def test_facets_query_count_is_independent_of_size(api, django_assert_num_queries, items):
    make_articles(items)
    SearchIndex().sync()
    with django_assert_num_queries(5):  # the index's state, then the names for 4 facets
        assert api.get("/api/v1/articles/facets/").json()["count"] == items


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's module keeps statements compiled"
)
def test_a_pages_statements_are_planned_once_a_connection_on_postgresql(api):
    """archive.prepared: the index's state and the page's rows, the same statements on every
    request, become prepared statements after a few pages, on the connection the requests
    share (planning was a third of their time)."""
    make_articles(30)
    SearchIndex().sync()
    for number in range(1, 9):
        assert api.get(f"/api/v1/articles/?page_size=3&page={number}").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [" ".join(statement.split()) for (statement,) in cursor.fetchall()]
    assert any(s.startswith("SELECT a.id, a.slug") for s in prepared), prepared
    assert any("archive_authorship" in s for s in prepared), prepared
    assert any("archive_search_change" in s for s in prepared), prepared
