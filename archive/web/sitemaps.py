"""The sitemap (sitemaps.org, Django's sitemap framework): every article with its own text,
by its landing page, in files of a block of ids each, under one index."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Min
from django.utils.functional import cached_property

from archive import selectors
from archive.links import slug_urls
from archive.models import Article


class IdBlocks:
    """A queryset seen as blocks of ids, for Django's paginator: `[start:stop]` is its rows
    with ids in (start, stop] counted from the smallest id, read through the primary key
    however deep (the paginator's OFFSET read every row before a page: 161 ms for a file near
    the end at 100,000 articles), and its length is the span of ids. A block holds fewer rows
    than its width where stubs or deleted articles leave gaps."""

    def __init__(self, queryset):
        self.queryset = queryset

    @cached_property
    def _span(self) -> tuple[int, int]:
        """The id before the first article's, and the last article's."""
        ids = Article.objects.aggregate(first=Min("pk"), last=Max("pk"))
        return (ids["first"] or 1) - 1, ids["last"] or 0

    def count(self) -> int:
        before, last = self._span
        return last - before

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, ids: slice) -> list:
        before, _ = self._span
        block = self.queryset.filter(pk__gt=before + ids.start, pk__lte=before + ids.stop)
        return list(block.order_by("pk"))


class ArticleSitemap(Sitemap):
    # Ids a file: the protocol allows 50,000 URLs, but Django took 5.2 s to write that many at
    # 100,000 articles, and 167 ms for 2,000 (docs/benchmarks.md); the index lists as many
    # files as it takes.
    limit = 1_000

    def items(self) -> IdBlocks:
        return IdBlocks(self._articles)

    @property
    def _articles(self):
        # Stubs have no page worth a search engine's visit: only a card's excerpt.
        return selectors.published().only("slug", "updated_at")

    def location(self, article: Article) -> str:
        return self._page_path(article.slug)

    @cached_property
    def _page_path(self):
        return slug_urls("article-page")  # a path: the framework adds the host

    def lastmod(self, article: Article):
        return article.updated_at

    def get_latest_lastmod(self):
        # The index's date for this section: one aggregate, where Django's default reads
        # every item's lastmod (the whole table, at a million articles).
        return self._articles.aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"articles": ArticleSitemap}
