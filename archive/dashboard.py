"""What the admin shows curators beside the records: on its index page, the archive in numbers
and charts (articles by year and by publication, the top countries and topics), the last
imports and their outcomes, the stubs still waiting for their article, and near-duplicate
pairs to merge; on a country's page, its articles over time and its co-mentions. Reads only,
a fixed number of queries whatever the archive's size; the counts of articles come from the
article lists' reader (archive.reads), the index when it is caught up."""

from __future__ import annotations

from django.db.models import Count, F
from django.urls import reverse

from archive import selectors, tables
from archive.charts import bar_chart, undated_note
from archive.models import (
    Article,
    Country,
    ImportRun,
    NearDuplicate,
    RelatedArticle,
    ReviewItem,
)
from archive.reads import ArticleQuery, reader_for
from archive.table_counts import names

TOP = 10


def _change(model: str, pk: int) -> str:
    return reverse(f"admin:archive_{model}_change", args=[pk])


def _list(model: str, **query) -> str:
    url = reverse(f"admin:archive_{model}_changelist")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _more(counts: dict, shown: int, kind: str) -> str:
    """A top-N chart's note: how many values it leaves out."""
    left = len(counts) - shown
    return (
        f"{left:,} more {kind if left != 1 else kind.rstrip('s')}, not shown." if left > 0 else ""
    )


def dashboard() -> dict:
    total, counts = reader_for(ArticleQuery()).facet_counts()
    facets = selectors.facets_named(total, counts, limit=TOP)
    codes = [row["code"] for row in facets["country"]]
    countries = dict(Country.objects.filter(code__in=codes).values_list("code", "pk"))
    years = sorted(counts["year"].items())  # every year: a chart by year leaves none out
    stubs = Article.objects.filter(is_stub=True)
    # The cards naming stubs, counted by stub without reading the articles' rows (joining them
    # to take the titles read every article's text: 5.3 s on a cold SQLite cache at 100,000).
    waiting = list(
        RelatedArticle.objects.filter(to_article__in=stubs.values("pk"))
        .values_list("to_article")
        .annotate(cited=Count("pk"))
        .order_by("-cited", "to_article")[:TOP]
    )
    titles = dict(
        Article.objects.filter(pk__in=[pk for pk, _ in waiting]).values_list("pk", "title")
    )
    pairs = (
        NearDuplicate.objects.filter(article__lt=F("other"))
        .select_related("article", "other")
        .order_by("-similarity", "article", "other")[:TOP]
    )
    return {
        "total": facets["count"],
        "stub_count": stubs.count(),
        "charts": [
            bar_chart(
                "Articles by year",
                [(str(year), n, _list("article", year=year)) for year, n in years],
                undated_note(total - sum(counts["year"].values())),
            ),
            bar_chart(
                "Articles by publication",
                [(r["name"], r["count"]) for r in facets["publication"]],
                " ".join(
                    note
                    for note in (
                        _more(counts["publication"], len(facets["publication"]), "publications"),
                        _without("publication", total - sum(counts["publication"].values())),
                    )
                    if note
                ),
            ),
            bar_chart(
                "Top countries (tagged or named)",
                [
                    (r["name"], r["count"], _change("country", countries[r["code"]]))
                    for r in facets["country"]
                ],
                _more(counts["country"], len(facets["country"]), "countries"),
            ),
            bar_chart(
                "Top topics",
                [(r["name"], r["count"]) for r in facets["topic"]],
                _more(counts["topic"], len(facets["topic"]), "topics"),
            ),
        ],
        "imports": list(ImportRun.objects.all()[:5]),
        "waiting": [
            {"title": titles[pk], "cited": cited, "href": _change("article", pk)}
            for pk, cited in waiting
        ],
        "pairs": [
            {
                "first": pair.article.title,
                "first_href": _change("article", pair.article_id),
                "second": pair.other.title,
                "second_href": _change("article", pair.other_id),
                "similarity": f"{pair.similarity:.0%}",
            }
            for pair in pairs
        ],
        "duplicates_href": _list("article", near_duplicate="yes"),
        "stubs_href": _list("article", is_stub__exact=1),
        "review_waiting": ReviewItem.objects.filter(status=ReviewItem.Status.OPEN).count(),
        "review_href": _list("reviewitem", status__exact=ReviewItem.Status.OPEN),
    }


def _without(what: str, count: int) -> str:
    if count <= 0:
        return ""
    return f"{count:,} {'article' if count == 1 else 'articles'} with no {what}, not shown."


def country_page(country: Country) -> dict:
    """A country's articles by year (tagged or named), and the countries most often in the same
    articles (archive.tables.co_mentions), as the article lists count them (archive.reads)."""
    # The `country` filter's cleaned value: the country itself, not looked up again by code.
    total, counts = reader_for(ArticleQuery.of({"country": [country]})).facet_counts()
    years = counts["year"]
    whole = reader_for(ArticleQuery()).table_counts()
    together = tables.co_mentions(whole, country.pk, TOP, names)
    pks = dict(
        Country.objects.filter(code__in=[r["code"] for r in together["results"]]).values_list(
            "code", "pk"
        )
    )
    articles = {"countries__id__exact": country.pk}
    return {
        "over_time": bar_chart(
            f"Articles on {country.name} by year",
            [(str(y), n, _list("article", **articles, year=y)) for y, n in sorted(years.items())],
            undated_note(total - sum(years.values())),
        ),
        "co_mentions": together,
        "co_mention_rows": [
            {**row, "href": _change("country", pks[row["code"]])} for row in together["results"]
        ],
        "articles_href": _list("article", **articles),
    }
