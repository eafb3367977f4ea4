"""The article serializers build their output directly for speed; DRF's declared fields (which
also give the schema) must produce exactly the same thing."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from archive import selectors
from archive.api.serializers import ArticleDetailSerializer, ArticleListSerializer
from archive.search import article_search, search_query_parse
from tests.api.test_articles import SEED_002_SLUG

pytestmark = pytest.mark.django_db


def declared(serializer_class, article, context) -> dict:
    """What DRF's field-by-field to_representation makes of the declared fields."""
    serializer = serializer_class(context=context)
    return dict(serializers.ModelSerializer.to_representation(serializer, article))


@pytest.mark.parametrize(
    ("serializer_class", "queryset"),
    [
        (ArticleListSerializer, selectors.article_list),
        (ArticleDetailSerializer, selectors.article_detail),
    ],
)
def test_direct_output_equals_the_declared_fields(imported_seeds, serializer_class, queryset):
    context = {"request": APIRequestFactory().get("/api/v1/articles/")}
    articles = list(queryset())
    assert len(articles) == 9  # two whole articles and seven stubs, dated and undated
    for article in articles:
        direct = serializer_class(article, context=context).data
        assert direct == declared(serializer_class, article, context), article.slug
        assert list(direct) == serializer_class.Meta.fields


def test_search_highlight_is_the_same_both_ways(imported_seeds):
    context = {"request": APIRequestFactory().get("/api/v1/articles/")}
    found = article_search(selectors.article_list(), search_query_parse("Iran"))
    assert found
    for article in found:
        direct = ArticleListSerializer(article, context=context).data
        assert "<mark>" in direct["highlight"]
        assert direct == declared(ArticleListSerializer, article, context)


def test_an_article_without_attached_links_reads_them_once(
    imported_seeds, django_assert_num_queries
):
    """An answer to a write serializes an article the view did not attach links to: its
    authors, topics, countries, cards and near duplicates are read in one query each, not
    twice."""
    article = selectors.article_detail().get(slug=SEED_002_SLUG)
    context = {"request": APIRequestFactory().get("/api/v1/articles/")}
    with django_assert_num_queries(5):
        data = ArticleDetailSerializer(article, context=context).data
    assert data["authors"] and data["related"]
