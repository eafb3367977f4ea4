"""A filter backend that refuses query parameters no filter could mean (SPEC §5: never ignored)."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

MAX_VALUES = 50  # of one repeated parameter: keeps `IN (…)` lists within every database's limits
MAX_LENGTH = 200
ALWAYS_ALLOWED = {"page", "page_size", "format"}


class QueryParamGuard(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        allowed = ALWAYS_ALLOWED | set(getattr(view, "extra_query_params", ()))
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        errors = {}
        for key, values in request.query_params.lists():
            name = key.replace("\x00", "\\x00")
            if key not in allowed:
                errors[name] = [
                    f"Unknown parameter; this endpoint takes {', '.join(sorted(allowed))}."
                ]
            elif any(value == "" for value in values):
                errors[name] = ["Must not be empty; leave the parameter out instead."]
            elif any("\x00" in value for value in values):
                errors[name] = ["Must not contain NUL characters."]
            elif len(values) > MAX_VALUES:
                errors[name] = [f"At most {MAX_VALUES} values, got {len(values)}."]
            elif any(len(value) > MAX_LENGTH for value in values):
                errors[name] = [f"Values are at most {MAX_LENGTH} characters long."]
        if errors:
            raise ValidationError(errors)
        return queryset
