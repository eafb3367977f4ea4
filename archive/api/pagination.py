"""Page-number pagination with a client-chosen page size; bad values are 400, not ignored."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class KeysFirstPaginator(Paginator):
    """A page in two steps: its keys, in the list's order, then its rows by key.

    The first query reads only the ordering index however deep the page is (SQLite stops
    skipping rows without reading them); the second reads, joins and annotates (a search's
    snippet) just the rows shown. Straight OFFSET read every skipped row in full."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        keys = list(queryset.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in _rows(queryset, keys)}
        return self._get_page([rows[key] for key in keys], number, self)


def _rows(queryset, keys: list):
    """The rows with these keys. The filters chose the keys already, so a plain list drops
    them: SQLite would evaluate a filter's subquery whole again (13 ms for one country at
    100,000 articles). A search keeps them, as its annotations (rank, snippet) need the match."""
    rows = queryset.order_by()
    if not rows.query.annotations and not rows.query.extra_tables:
        rows.query.where = WhereNode()
    return rows.filter(pk__in=keys)


class ArchivePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _whole_number(raw, self.page_size_query_param)
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Must be from 1 to {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            if not raw.isascii() or not raw.isdigit():
                raise ValidationError({self.page_query_param: ["A whole number is required."]})
            if int(raw) < 1:
                raise ValidationError({self.page_query_param: ["Must be 1 or more."]})
        return super().paginate_queryset(queryset, request, view)  # past the end: 404

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=20)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters


def _whole_number(raw: str, name: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ValidationError({name: ["A whole number is required."]})
    return int(raw)


class ArticlePagination(ArchivePagination):
    """Articles are the one list long enough for deep pages to cost: keys first. A page the
    search index chose (archive.search.reads.EngineResults) is sliced as it is."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = (
            KeysFirstPaginator if isinstance(queryset, QuerySet) else Paginator
        )
        return super().paginate_queryset(queryset, request, view)
