"""Turn database refusals into 409 answers instead of server errors."""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with other records."
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        exc = Conflict(f"Still referenced by {len(objects)} record(s); remove those first.")
    elif isinstance(exc, IntegrityError):
        exc = Conflict("Conflicts with an existing record: " + " ".join(str(exc).split())[:200])
    return drf_exception_handler(exc, context)
