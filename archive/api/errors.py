"""Turn conflicts with other records into 409 answers: database refusals (instead of server
errors) and uniqueness checks (instead of 400s, as the request itself was well formed)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from archive.limits import TEXT_MAX_CHARS


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with other records."
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record changed since the ETag in If-Match was read; read it again, then write."
    )
    default_code = "precondition_failed"


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
        exc = Conflict(conflict_words(exc))
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": REQUEST_TOO_BIG}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    elif isinstance(exc, DatabaseError) and type(exc.__cause__).__name__ == "ProgramLimitExceeded":
        exc = ValidationError({"body": [TOO_MANY_WORDS]})
    elif isinstance(exc, ValidationError) and _only(exc.get_codes(), "unique"):
        exc = Conflict(" ".join(_messages(exc.detail)))
    return drf_exception_handler(exc, context)


REQUEST_TOO_BIG = (
    f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes; "
    f"an article's text is at most {TEXT_MAX_CHARS:,} characters."
)
TOO_MANY_WORDS = "The text has too many distinct words for the search index to hold."

# What each database constraint means, in the API's words: the database's own message names
# tables and columns. PostgreSQL names the constraint, SQLite the columns; either matches.
CONSTRAINTS = [
    (("unique_article_author", "archive_authorship.author_id"), "An author is listed twice."),
    (("unique_article_country", "archive_articlecountry.country_id"), "A country is listed twice."),
    (("archive_article_topics", "unique_article_topic"), "A topic is listed twice."),
    (
        ("unique_related_article", "archive_relatedarticle.to_article_id"),
        "A related article is listed twice.",
    ),
    (("related_article_not_self",), "An article cannot be related to itself."),
    (("article_date_matches_date_source",), "The date and its source disagree."),
    (("source_name",), "Another article was imported from a file of that name."),
    (("slug",), "The slug is taken by another record."),
    (("code", "alpha3"), "The country code is taken."),
]


def conflict_words(error: IntegrityError) -> str:
    message = str(error)
    for fragments, words in CONSTRAINTS:
        if any(fragment in message for fragment in fragments):
            return words
    return "Conflicts with an existing record."


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
