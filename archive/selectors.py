"""Read querysets, built once and on purpose, shared by the API and the admin.

Each list is a fixed number of queries however long the page: one for the rows (with their
publication joined) and one per prefetched relation.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from archive.models import (
    Article,
    ArticleCountry,
    Author,
    Authorship,
    Country,
    Publication,
    RelatedArticle,
    Topic,
)


def _article_with_relations() -> QuerySet[Article]:
    return Article.objects.select_related("publication").prefetch_related(
        Prefetch(
            "authorships",
            queryset=Authorship.objects.select_related("author").order_by("position"),
        ),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        Prefetch("country_links", queryset=ArticleCountry.objects.select_related("country")),
    )


def article_list() -> QuerySet[Article]:
    # The list shows no body: don't carry it out of the database.
    return _article_with_relations().defer("body", "lead")


def article_detail() -> QuerySet[Article]:
    return _article_with_relations().prefetch_related(
        Prefetch(
            "related_links",
            queryset=RelatedArticle.objects.select_related("to_article").order_by("position"),
        )
    )


def author_list() -> QuerySet[Author]:
    # Aggregating queries drop Meta.ordering, so each list states its order.
    return Author.objects.annotate(article_count=Count("articles", distinct=True)).order_by("name")


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.annotate(article_count=Count("articles", distinct=True)).order_by("name")


def publication_list() -> QuerySet[Publication]:
    return Publication.objects.annotate(article_count=Count("articles", distinct=True)).order_by(
        "name"
    )


def country_list() -> QuerySet[Country]:
    return Country.objects.annotate(article_count=Count("articles", distinct=True)).order_by("name")
