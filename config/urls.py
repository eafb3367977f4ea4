"""Top-level routes: the API, the admin, the health check."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from archive.views import healthz

handler400 = "archive.views.bad_request_answer"
handler404 = "archive.views.not_found"

urlpatterns = [
    path(
        "",
        RedirectView.as_view(
            url="/api/v1/", permanent=False, http_method_names=["get", "head", "options"]
        ),
    ),
    path("api/v1/", include("archive.api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
