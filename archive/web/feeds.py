"""Atom feeds (Django's syndication framework) of the newest articles matching any list query:
a country, a topic, an author, a search, or any of the list's filters together.

`/feeds/articles.atom?country=IR&q=sanctions` takes the list's filters and parameters as the
list does (an unknown or bad one is a 400 with its reason), newest first, 50 entries a page, with
RFC 5005 `next`/`previous` links between pages. An entry's id is a URN made from the article's
database id, so it stays the same when a curator changes the title or the slug.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from html import escape
from types import SimpleNamespace

from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from archive import selectors
from archive.api.guards import QueryParamGuard
from archive.api.pagination import whole_number
from archive.filtersets import ArticleFilterSet
from archive.models import Article
from archive.page_rows import ArticleRow, article_rows
from archive.reads import ArticleQuery, QueryInvalid, reader_for
from archive.xmlwriter import XMLWriter

PAGE_SIZE = 50
MAX_PAGE = 1_000  # 50,000 entries deep; a harvester wanting more has the exports
NEWEST_FIRST = ["-published_on"]
ISO_3166 = "urn:iso:std:iso:3166:-1"  # a country category's scheme: its alpha-2 code
ENTRY_NAMESPACE = uuid.UUID("5d2c8e0e-0a8f-4b7e-9f0e-6a1c1b7d2a10")  # this archive's entry ids


def entry_id(pk: int) -> str:
    return uuid.uuid5(ENTRY_NAMESPACE, f"article:{pk}").urn


@dataclass
class FeedPage:
    """One page of a feed: its articles (with `updated_at`), and where its neighbours are."""

    articles: list[ArticleRow]
    first_url: str  # the feed's id: every page of one query is the same feed
    self_url: str
    next_url: str | None
    previous_url: str | None
    described: str


class FeedFilterSet(ArticleFilterSet):
    """The list's filters but `ordering`, a feed being newest first, and `is_stub`, a feed
    carrying only articles with their own text (selectors.PUBLISHED)."""


FeedFilterSet.base_filters = {
    name: f
    for name, f in ArticleFilterSet.base_filters.items()
    if name not in ("ordering", *selectors.PUBLISHED)
}


class _Parameters:
    """What the query-parameter guard (archive.api.guards) asks of a view."""

    filterset_class = FeedFilterSet
    extra_query_params = ("page",)
    paginator = None
    takes_format = False  # Atom is the only one


class PagedAtomFeed(Atom1Feed):
    """Atom with every author of an entry (Django writes one) and RFC 5005's paging links,
    written by the archive's XML writer (archive.xmlwriter)."""

    def write(self, outfile, encoding):
        handler = XMLWriter(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel in ("next", "previous"):
            if self.feed.get(rel):
                handler.addQuickElement("link", "", {"rel": rel, "href": self.feed[rel]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        for term, scheme, label in item["terms"]:
            handler.addQuickElement(
                "category", "", {"term": term, "scheme": scheme, "label": label}
            )


class ArticleFeed(Feed):
    feed_type = PagedAtomFeed
    author_name = "Commentary Archive"  # the feed's: an entry with no byline falls back to it

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except ValidationError as error:
            return JsonResponse(error.detail, status=400, safe=False)

    def get_object(self, request) -> FeedPage:
        # The guard reads DRF's `query_params`; a plain request has them in GET.
        guarded = SimpleNamespace(query_params=request.GET)
        QueryParamGuard().filter_queryset(guarded, None, _Parameters)
        page = whole_number(request.GET.get("page", "1"), "page")
        if not 1 <= page <= MAX_PAGE:
            raise ValidationError({"page": [f"Must be from 1 to {MAX_PAGE}."]})
        try:
            query = ArticleQuery.asked(request.GET, FeedFilterSet)
        except QueryInvalid as invalid:
            raise ValidationError(invalid.errors) from None
        articles, more = newest(query, page)
        topics_url = request.build_absolute_uri(reverse("api:topic-list"))
        for article in articles:
            article.topics_url = topics_url
        return FeedPage(
            articles=articles,
            first_url=page_url(request, 1),
            self_url=page_url(request, page),
            next_url=page_url(request, page + 1) if more else None,
            previous_url=page_url(request, page - 1) if page > 1 else None,
            described=", ".join(f"{k}={v}" for k, v in request.GET.items() if k != "page"),
        )

    def title(self, page: FeedPage) -> str:
        title = "Commentary Archive: newest articles"
        return f"{title} ({page.described})" if page.described else title

    def link(self, page: FeedPage) -> str:
        return reverse("home")

    def feed_url(self, page: FeedPage) -> str:
        return page.self_url

    def feed_guid(self, page: FeedPage) -> str:
        return page.first_url

    def subtitle(self, page: FeedPage) -> str:
        return "Think-tank commentary, newest first, 50 a page."

    def feed_extra_kwargs(self, page: FeedPage) -> dict:
        return {"next": page.next_url, "previous": page.previous_url}

    def items(self, page: FeedPage) -> list[ArticleRow]:
        return page.articles  # each with `topics_url`, its topics' scheme

    def item_title(self, article: ArticleRow) -> str:
        return article.title

    def item_description(self, article: ArticleRow) -> str:
        return escape(article.excerpt)  # Django writes it as an HTML summary

    def item_link(self, article: ArticleRow) -> str:
        return reverse("article-page", kwargs={"slug": article.slug})

    def item_guid(self, article: ArticleRow) -> str:
        return entry_id(article.pk)

    item_guid_is_permalink = False

    def item_updateddate(self, article: ArticleRow):
        return article.updated_at

    def item_pubdate(self, article: ArticleRow):
        return article.published_at

    def item_extra_kwargs(self, article: ArticleRow) -> dict:
        """Every author, and each topic and country as a category: a topic by its slug in the
        scheme of the API's topics, a country by its ISO code."""
        links = article.link_rows
        topics = [(t["slug"], article.topics_url, t["name"]) for t in links["topics"]]
        countries = [(c["code"], ISO_3166, c["name"]) for c in links["countries"]]
        return {"authors": [a["name"] for a in links["authors"]], "terms": topics + countries}


def newest(query: ArticleQuery, page: int) -> tuple[list[ArticleRow], bool]:
    """A page of the matching articles, newest first, and whether more follow."""
    offset = (page - 1) * PAGE_SIZE
    published = query.but(**selectors.PUBLISHED, ordering=NEWEST_FIRST)
    ids = reader_for(published).ids(offset, offset + PAGE_SIZE + 1)
    more = len(ids) > PAGE_SIZE
    articles = article_rows(ids[:PAGE_SIZE])
    changed = Article.objects.filter(pk__in=[a.pk for a in articles])
    times = dict(changed.order_by().values_list("pk", "updated_at"))
    for article in articles:
        article.updated_at = times.get(article.pk)
        day = article.published_on
        article.published_at = datetime.combine(day, time(), tzinfo=UTC) if day else None
    return articles, more


def page_url(request, page: int) -> str:
    """This feed's address for a page (the first has no `page`), as the API's lists link."""
    url = request.build_absolute_uri()
    return replace_query_param(url, "page", page) if page > 1 else remove_query_param(url, "page")
