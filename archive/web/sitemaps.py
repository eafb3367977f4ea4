"""The sitemap (sitemaps.org, Django's sitemap framework): every article with its own text,
by its landing page, in pages of 50,000 under one index."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from archive.models import Article


class ArticleSitemap(Sitemap):
    limit = 50_000  # the protocol's most per file

    def items(self):
        # Stubs have no page worth a search engine's visit: only a card's excerpt.
        return Article.objects.filter(is_stub=False).order_by("id").only("slug", "updated_at")

    def location(self, article: Article) -> str:
        return reverse("article-page", kwargs={"slug": article.slug})

    def lastmod(self, article: Article):
        return article.updated_at

    def get_latest_lastmod(self):
        # The index's date for this section: one aggregate, where Django's default reads
        # every item's lastmod (the whole table, at a million articles).
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"articles": ArticleSitemap}
