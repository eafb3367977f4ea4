"""Read querysets, built once and on purpose, shared by the API and the admin.

Each list is a fixed number of queries however long the page: one for the rows (with their
publication joined) and one per prefetched relation.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import Count, QuerySet

from archive.models import (
    Article,
    ArticleCountry,
    Author,
    Authorship,
    Country,
    Publication,
    Topic,
)
from archive.models.dimensions import RECORDS
from archive.page_rows import ArticleRow, article_links, article_rows
from archive.rules import body_paragraphs
from archive.search.hits import paragraphs_hit
from archive.search.query import SearchQuery
from archive.tables import at_the_cut

# The doors that publish to readers and harvesters (the Atom feed, OAI-PMH, the sitemap)
# carry only articles with text of their own; a stub, known from a card alone, is in the API's
# lists and exports (is_stub true), never a feed entry, a record or a page to index.
PUBLISHED = {"is_stub": False}


def date_span() -> dict:
    """The archive's first and last dates (stubs' card dates too), as {"first", "last"}: the
    date index's two ends, in one statement of two subqueries. MIN and MAX in one SELECT read
    the whole index on SQLite (6.5 ms at 100,000 articles, growing with the archive)."""
    field = Article._meta.get_field("published_on")
    quote = connection.ops.quote_name
    table, column = quote(Article._meta.db_table), quote(field.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MIN({column}) FROM {table}), (SELECT MAX({column}) FROM {table})"
        )
        first, last = cursor.fetchone()
    return {"first": field.to_python(first), "last": field.to_python(last)}


def published() -> QuerySet[Article]:
    """The articles the publishing doors carry (PUBLISHED)."""
    return Article.objects.filter(**PUBLISHED)


def article_list() -> QuerySet[Article]:
    # The list shows no body: don't carry it out of the database.
    return Article.objects.select_related("publication").defer("body", "lead", "search_vector")


def article_detail() -> QuerySet[Article]:
    return Article.objects.select_related("publication")


def article_links_attach(articles: list[Article], *, related: bool = False) -> None:
    """Give each article `link_rows`: its authors, topics and countries (and with `related`,
    the articles its cards name and those nearly the same as it) as plain rows, shaped as the
    API shows them.

    One query per relation for the whole page, reading values only (archive.page_rows):
    prefetch_related built a model instance for every link and every linked record, some 300
    for a page of 20, which was half the time of a list request (docs/benchmarks.md)."""
    rows = article_links([a.pk for a in articles], related=related)
    for article in articles:
        article.link_rows = rows[article.pk]


def article_page_rows(hits: list, results) -> list[ArticleRow]:
    """The articles of a page the search index chose (archive.reads.index), in its order,
    with their link rows; in a search, each with a highlighted passage (`search_snippet`).
    Articles deleted since the index answered are left out."""
    page = article_rows([hit.id for hit in hits], body=bool(results.text))
    if results.text:
        for article in page:
            article.search_snippet = results.passage(article.title, article.body)
        search_hits_attach(page, results.text)
    return page


def search_hits_attach(articles: list, query: SearchQuery) -> None:
    """Give each article of a search's page `search_hits`: the paragraphs that hold what was
    searched for (archive.search.hits), numbered as rules.body_paragraphs numbers them. Rows
    read without their text have it read in one query for the page."""
    missing = [
        a.pk for a in articles if isinstance(a, Article) and "body" in a.get_deferred_fields()
    ]
    texts = dict(
        (pk, (body, sections))
        for pk, body, sections in Article.objects.filter(pk__in=missing).values_list(
            "pk", "body", "sections"
        )
    ) if missing else {}  # fmt: skip
    for article in articles:
        body, sections = texts.get(article.pk) or (article.body, article.sections)
        article.search_hits = paragraphs_hit(query, body_paragraphs(body, sections))


def author_list() -> QuerySet[Author]:
    # Aggregating queries drop Meta.ordering, so each list states its order, ties by id (a
    # page, or a cursor's walk, is the same on every request).
    return Author.objects.annotate(article_count=Count("articles", distinct=True)).order_by(
        "name", "pk"
    )


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.annotate(article_count=Count("articles", distinct=True)).order_by(
        "name", "pk"
    )


def publication_list() -> QuerySet[Publication]:
    return Publication.objects.annotate(article_count=Count("articles", distinct=True)).order_by(
        "name", "pk"
    )


def country_list() -> QuerySet[Country]:
    return Country.objects.annotate(article_count=Count("articles", distinct=True)).order_by(
        "name", "pk"
    )


FACET_LIMIT = 100


FACETS = {name: (d.model, d.shown) for name, d in RECORDS.items()}  # facet: what is shown


def article_facets(
    articles: QuerySet[Article], *, filtered: bool = True, limit: int = FACET_LIMIT
) -> dict:
    """The facets of the given articles, named, `limit` values each (facet_counts)."""
    return facets_named(*facet_counts(articles, filtered=filtered), limit=limit)


def facet_counts(
    articles: QuerySet[Article], *, filtered: bool = True
) -> tuple[int, dict[str, dict[int, int]]]:
    """Counts of the given articles by country, topic, author, publication and year, counted
    by the database (the search index counts them when it can: archive.reads.index).

    A fixed number of queries whatever the filters: the total, one grouped count per facet
    (by key alone: a link table's own index answers it, no join per row), and the names of the
    values counted. Unfiltered (`filtered=False`: the caller says `articles` are all of them),
    the link tables are counted whole; filtered, through the articles' keys as a subquery. At
    100,000 articles the unfiltered facets took 1.75 s when each facet joined its names row by
    row and counted DISTINCT; see docs/benchmarks.md."""
    ids = articles.order_by().values("pk")

    def of_articles(queryset: QuerySet, field: str = "article") -> QuerySet:
        return queryset.filter(**{f"{field}__in": ids}) if filtered else queryset

    def grouped(links: QuerySet, key: str) -> dict[int, int]:
        # One row per (article, value) in each link table (unique constraints): count rows.
        counts = dict(links.values_list(key).annotate(count=Count("pk")).order_by())
        counts.pop(None, None)
        return counts

    by_date = of_articles(Article.objects.filter(published_on__isnull=False), "pk")
    years: Counter[int] = Counter()
    for day, count in by_date.values_list("published_on").annotate(n=Count("pk")).order_by():
        years[day.year] += count
    counts = {
        "country": grouped(of_articles(ArticleCountry.objects), "country"),
        "topic": grouped(of_articles(Article.topics.through.objects), "topic"),
        "author": grouped(of_articles(Authorship.objects), "author"),
        "publication": grouped(of_articles(Article.objects, "pk"), "publication"),
        "year": dict(years),
    }
    return articles.order_by().count(), counts


def facets_named(total: int, counts: dict[str, dict[int, int]], *, limit: int = FACET_LIMIT):
    """The facets as the API shows them, from each facet's counts by record id (and by year):
    the most frequent first, ties by name, `limit` of each. One query per facet, for the names
    of the values shown and of those tied with the last shown."""
    answer: dict = {"count": total}
    for facet, (model, fields) in FACETS.items():
        by_id = counts[facet]
        shown = at_the_cut(by_id, limit)
        rows = [
            {**dict(zip(fields, values, strict=True)), "count": by_id[pk]}
            for pk, *values in in_chunks(model, shown, fields)
        ]
        answer[facet] = sorted(rows, key=lambda row: (-row["count"], row[fields[0]]))[:limit]
    answer["year"] = [
        {"year": year, "count": count}
        for year, count in sorted(counts["year"].items(), reverse=True)[:limit]
    ]
    return answer


def in_chunks(model, keys: list[int], fields, size: int = 5000):
    """The key and `fields` of the records with these keys, a query per `size` keys (within
    every database's limit on a statement's parameters)."""
    for start in range(0, len(keys), size):
        yield from model.objects.filter(pk__in=keys[start : start + size]).values_list(
            "pk", *fields
        )
