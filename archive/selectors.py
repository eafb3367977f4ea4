"""Read querysets, built once and on purpose, shared by the API and the admin.

Each list is a fixed number of queries however long the page: one for the rows (with their
publication joined) and one per prefetched relation.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractYear

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


FACET_LIMIT = 100


def article_facets(articles: QuerySet[Article], *, limit: int = FACET_LIMIT) -> dict:
    """Counts of the given articles by country, topic, author, publication and year.

    Six queries whatever the filters: the total, then one grouped count per facet, each over
    the filtered articles as a subquery."""
    ids = articles.order_by().values("pk")

    def grouped(queryset, fields: dict[str, str], count: str = "article") -> list[dict]:
        rows = (
            queryset.values(*fields.values())
            .annotate(count=Count(count, distinct=True))
            .order_by("-count", *fields.values())[:limit]
        )
        return [
            {**{name: row[path] for name, path in fields.items()}, "count": row["count"]}
            for row in rows
        ]

    return {
        "count": Article.objects.filter(pk__in=ids).count(),
        "country": grouped(
            ArticleCountry.objects.filter(article__in=ids),
            {"code": "country__code", "name": "country__name"},
        ),
        "topic": grouped(
            Article.topics.through.objects.filter(article__in=ids),
            {"slug": "topic__slug", "name": "topic__name"},
        ),
        "author": grouped(
            Authorship.objects.filter(article__in=ids),
            {"slug": "author__slug", "name": "author__name"},
        ),
        "publication": grouped(
            Article.objects.filter(pk__in=ids, publication__isnull=False),
            {"slug": "publication__slug", "name": "publication__name"},
            count="pk",
        ),
        "year": [
            {"year": row["year"], "count": row["count"]}
            for row in Article.objects.filter(pk__in=ids, published_on__isnull=False)
            .annotate(year=ExtractYear("published_on"))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")[:limit]
        ],
    }
