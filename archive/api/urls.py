"""Routes of the REST API, mounted at /api/v1/, with its schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import exports, views

app_name = "api"


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI's page. OPTIONS is 405: DRF's metadata answer, rendered by the page's HTML
    template, was a 500."""

    metadata_class = None


# Routes answering with a file, one per format (a file name has no trailing slash).
FILE_ROUTES = {
    **{f"export.{name}": f"export_{name.replace('.', '_')}" for name in exports.MEDIA_TYPES},
    "bibliography.txt": "bibliography_txt",
    "bibliography.html": "bibliography_html",
    "crosstab.csv": "crosstab_csv",
    "co-mentions.graphml": "co_mentions_graphml",
}

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("authors", views.AuthorViewSet, basename="author")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("countries", views.CountryViewSet, basename="country")

FILE_ROUTE = views.ArticleViewSet.file_route

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: Swagger UI's start-up script is a file of its own, so no inline script is needed
    # (Content-Security-Policy, settings).
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *(
        path(
            f"articles/{name}",
            views.ArticleViewSet.as_view({"get": action}, **FILE_ROUTE(action)),
            name=f"article-{name}",
        )
        for name, action in FILE_ROUTES.items()
    ),
    *(
        path(
            f"articles/<slug:slug>/{name}.<str:file_format>",
            views.ArticleViewSet.as_view({"get": action}, **FILE_ROUTE(action)),
            name=f"article-{name}",
        )
        for name, action in (("citation", "citation"), ("bibliography", "article_bibliography"))
    ),
    *router.urls,
]
