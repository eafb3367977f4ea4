"""Filter backends: a guard refusing query parameters no filter could mean (SPEC §5: never
ignored), and django-filter's backend, built only when a filter is asked."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from archive.filtersets import takes_many
from archive.keyset import CURSOR_MAX_CHARS

from .selection import FIELDS, OMIT, selects_fields

MAX_VALUES = 50  # of one repeated parameter: keeps `IN (…)` lists within every database's limits
MAX_LENGTH = 200
ALWAYS_ALLOWED = {"format"}
PAGE_PARAMETERS = {"page", "page_size", "cursor"}
# Longer values some parameters take: a cursor carries its item's sort values (a title).
LONGER = {"cursor": CURSOR_MAX_CHARS}


def query_parameters(view) -> dict[str, bool]:
    """The query parameters a view takes, each with whether it takes a list. Only a list that
    is paged takes a page: facets, an export or a detail would ignore one."""
    paged = getattr(view, "paginator", None) is not None and getattr(view, "action", "list") in (
        "list",
        None,
    )
    # DRF's `format` picks a renderer; a view with one format (a feed) does not take it.
    always = ALWAYS_ALLOWED if getattr(view, "takes_format", True) else set()
    taken = dict.fromkeys(always | set(getattr(view, "extra_query_params", ())), False)
    taken |= dict.fromkeys(PAGE_PARAMETERS if paged else (), False)
    if selects_fields(view):
        taken |= {FIELDS: True, OMIT: True}
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        taken |= {name: takes_many(f) for name, f in filterset_class.base_filters.items()}
    return taken


class QueryParamGuard(BaseFilterBackend):
    """Every parameter is known, given a value, and given once unless it takes a list: a
    client that repeats `q` or `page` learns so instead of getting one of them silently."""

    def filter_queryset(self, request, queryset, view):
        taken = query_parameters(view)
        errors = {}
        for key, values in request.query_params.lists():
            name = key.replace("\x00", "\\x00")
            items = [i for v in values for i in v.split(",")] if taken.get(key) else values
            if key not in taken:
                errors[name] = [
                    f"Unknown parameter; this endpoint takes {', '.join(sorted(taken))}."
                ]
            elif any(value.strip() == "" for value in items):
                errors[name] = ["Must not be empty; leave the parameter out instead."]
            elif any("\x00" in value for value in values):
                errors[name] = ["Must not contain NUL characters."]
            elif not taken[key] and len(values) > 1:
                errors[name] = [f"Takes one value; it was given {len(values)} times."]
            elif len(items) > MAX_VALUES:
                errors[name] = [f"At most {MAX_VALUES} values, got {len(items)}."]
            elif any(len(value) > (most := LONGER.get(key, MAX_LENGTH)) for value in values):
                errors[name] = [f"Values are at most {most} characters long."]
        if errors:
            raise ValidationError(errors)
        return queryset


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when no filter is asked: building the FilterSet's form
    (a field per filter, copied per request) was a third of a plain list request's time. The
    article lists do not filter a queryset: they read through archive.reads
    (api/reading.py), which validates the same filters into an ArticleQuery."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if (
            filterset_class is None
            or not request.query_params.keys() & filterset_class.base_filters
        ):
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs
