"""Routes of the REST API, mounted at /api/v1/, with its schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("authors", views.AuthorViewSet, basename="author")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("countries", views.CountryViewSet, basename="country")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: Swagger UI's start-up script is a file of its own, so no inline script is needed
    # (Content-Security-Policy, settings).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *(
        path(
            f"articles/export.{name}",
            views.ArticleViewSet.as_view(
                {"get": f"export_{name}"}, **views.ArticleViewSet.EXPORT_ROUTE
            ),
            name=f"article-export-{name}",
        )
        for name in ("csv", "ndjson")
    ),  # fmt: skip
    *router.urls,
]
