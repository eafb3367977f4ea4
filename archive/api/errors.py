"""Turn conflicts with other records into 409 answers: database refusals (instead of server
errors) and uniqueness checks (instead of 400s, as the request itself was well formed)."""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with other records."
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        count = referencing_articles(objects)
        return Response(
            {
                "detail": (
                    f"Still used by {count} article{'s' if count != 1 else ''}; "
                    "merge it into another record (admin) or remove it from those articles first."
                ),
                "article_count": count,
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, IntegrityError):
        exc = Conflict("Conflicts with an existing record: " + " ".join(str(exc).split())[:200])
    elif isinstance(exc, ValidationError) and _only(exc.get_codes(), "unique"):
        exc = Conflict(" ".join(_messages(exc.detail)))
    return drf_exception_handler(exc, context)


def referencing_articles(objects) -> int:
    """How many articles the protected rows belong to: link rows name their article, and an
    article protecting its publication is one itself."""
    ids = set()
    for obj in objects:
        article_id = getattr(obj, "article_id", None) or getattr(obj, "from_article_id", None)
        ids.add(article_id if article_id is not None else obj.pk)
    return len(ids)


def _only(codes, code: str) -> bool:
    if isinstance(codes, dict):
        return bool(codes) and all(_only(value, code) for value in codes.values())
    if isinstance(codes, list):
        return bool(codes) and all(_only(value, code) for value in codes)
    return codes == code


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [
            f"{field}: {message}" for field, value in detail.items() for message in _messages(value)
        ]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]
