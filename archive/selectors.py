"""Read querysets, built once and on purpose, shared by the API and the admin.

Each list is a fixed number of queries however long the page: one for the rows (with their
publication joined) and one per prefetched relation.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet

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


def article_list() -> QuerySet[Article]:
    # The list shows no body: don't carry it out of the database.
    return Article.objects.select_related("publication").defer("body", "lead")


def article_detail() -> QuerySet[Article]:
    return Article.objects.select_related("publication")


def article_links_attach(articles: list[Article], *, related: bool = False) -> None:
    """Give each article `link_rows`: its authors, topics and countries (and with `related`,
    the articles its cards name) as plain rows, shaped as the API shows them.

    One query per relation for the whole page, reading values only: prefetch_related built a
    model instance for every link and every linked record, some 300 for a page of 20, which
    was half the time of a list request (docs/benchmarks.md)."""
    rows: dict[int, dict[str, list]] = {
        a.pk: {"authors": [], "topics": [], "countries": [], **({"related": []} if related else {})}
        for a in articles
    }
    ids = list(rows)
    for article, slug, name, honorific in (
        Authorship.objects.filter(article_id__in=ids)
        .order_by("article_id", "position")
        .values_list("article_id", "author__slug", "author__name", "author__honorific")
    ):
        rows[article]["authors"].append({"slug": slug, "name": name, "honorific": honorific})
    for article, slug, name in (
        Article.topics.through.objects.filter(article_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values_list("article_id", "topic__slug", "topic__name")
    ):
        rows[article]["topics"].append({"slug": slug, "name": name})
    for article, code, name, tagged, mentions in ArticleCountry.objects.filter(
        article_id__in=ids
    ).values_list("article_id", "country__code", "country__name", "tagged", "mentions"):
        rows[article]["countries"].append(
            {"code": code, "name": name, "tagged": tagged, "mentions": mentions}
        )
    if related:
        for article, slug, title, published_on, is_stub in (
            RelatedArticle.objects.filter(from_article_id__in=ids)
            .order_by("position")
            .values_list(
                "from_article_id", "to_article__slug", "to_article__title",
                "to_article__published_on", "to_article__is_stub",
            )
        ):  # fmt: skip
            rows[article]["related"].append(
                {
                    "slug": slug,
                    "title": title,
                    "published_on": published_on.isoformat() if published_on else None,
                    "is_stub": is_stub,
                }
            )
    for article in articles:
        article.link_rows = rows[article.pk]


def article_search_rows(hits: list, results) -> list[Article]:
    """The articles of a page the search index chose, in its order, each with its relevance
    (`search_rank`), a highlighted passage (`search_snippet`) and its link rows."""
    found = article_detail().defer("lead", "search_vector").filter(pk__in=[h.id for h in hits])
    rows = {article.pk: article for article in found}
    page = []
    for hit in hits:
        article = rows.get(hit.id)
        if article is None:
            continue  # deleted since the index answered
        article.search_rank = hit.score
        article.search_snippet = results.passage(article.title, article.body)
        page.append(article)
    article_links_attach(page)
    return page


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

    A fixed number of queries whatever the filters: the total, one grouped count per facet
    (by key alone: a link table's own index answers it, no join per row), and the names of the
    values counted. Unfiltered, the link tables are counted whole; filtered, through the
    articles' keys as a subquery. At 100,000 articles the unfiltered facets took 1.75 s when
    each facet joined its names row by row and counted DISTINCT; see docs/benchmarks.md."""
    filtered = bool(articles.query.where)
    ids = articles.order_by().values("pk")

    def of_articles(queryset: QuerySet, field: str = "article") -> QuerySet:
        return queryset.filter(**{f"{field}__in": ids}) if filtered else queryset

    def grouped(links: QuerySet, key: str, model, fields: dict[str, str]) -> list[dict]:
        # One row per (article, value) in each link table (unique constraints): count rows.
        counts = dict(links.values_list(key).annotate(count=Count("pk")).order_by())
        counts.pop(None, None)
        named = model.objects.filter(pk__in=counts).only(*fields.values())
        rows = [
            {**{name: getattr(obj, attr) for name, attr in fields.items()}, "count": counts[obj.pk]}
            for obj in named
        ]
        first = next(iter(fields))
        return sorted(rows, key=lambda row: (-row["count"], row[first]))[:limit]

    by_date = of_articles(Article.objects.filter(published_on__isnull=False), "pk")
    years: Counter[int] = Counter()
    for day, count in by_date.values_list("published_on").annotate(n=Count("pk")).order_by():
        years[day.year] += count
    return {
        "count": articles.order_by().count(),
        "country": grouped(
            of_articles(ArticleCountry.objects), "country", Country,
            {"code": "code", "name": "name"},
        ),
        "topic": grouped(
            of_articles(Article.topics.through.objects), "topic", Topic,
            {"slug": "slug", "name": "name"},
        ),
        "author": grouped(
            of_articles(Authorship.objects), "author", Author, {"slug": "slug", "name": "name"}
        ),
        "publication": grouped(
            of_articles(Article.objects, "pk"), "publication", Publication,
            {"slug": "slug", "name": "name"},
        ),
        "year": [
            {"year": year, "count": count}
            for year, count in sorted(years.items(), reverse=True)[:limit]
        ],
    }  # fmt: skip
