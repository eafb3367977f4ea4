"""Plain Django views outside the REST API."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe
from django.views.defaults import bad_request, page_not_found

logger = logging.getLogger(__name__)


@require_safe
def healthz(request):
    """Liveness and a database round trip: 200 when both answer, 503 when the database doesn't."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request, exception=None):
    """404 as JSON under /api/, so clients always get the API's error shape; HTML elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def bad_request_answer(request, exception=None):
    """400 (413 for a body over the size limit) as JSON under /api/; HTML elsewhere."""
    if not request.path.startswith("/api/"):
        return bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        from archive.api.errors import REQUEST_TOO_BIG

        return JsonResponse({"detail": REQUEST_TOO_BIG}, status=413)
    return JsonResponse({"detail": "Bad request."}, status=400)
