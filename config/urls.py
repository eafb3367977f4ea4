"""Top-level routes: the pages, the API, the admin, the health check."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from archive.oai.views import oai
from archive.views import healthz
from archive.web import views as web
from archive.web.feeds import ArticleFeed
from archive.web.parameters import takes_parameters
from archive.web.sitemaps import SITEMAPS

handler400 = "archive.views.bad_request_answer"
handler404 = "archive.views.not_found"

urlpatterns = [
    path("", web.home, name="home"),
    path("articles/<slug:slug>/", web.article_page, name="article-page"),
    path("oai", oai, name="oai"),
    path("feeds/articles.atom", require_safe(ArticleFeed()), name="feed-articles"),
    # Django's sitemap views answer any method; a write is refused (405) as everywhere else.
    path(
        "sitemap.xml",
        require_safe(takes_parameters()(sitemap_views.index)),
        {"sitemaps": SITEMAPS},
        name="sitemap-index",
    ),  # fmt: skip
    path(
        "sitemap-<section>.xml",
        require_safe(takes_parameters("p")(sitemap_views.sitemap)),  # p: its page
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",  # the name the index reverses
    ),
    path("api/v1/", include("archive.api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", takes_parameters()(healthz), name="healthz"),
]
