"""Page-number pagination with a client-chosen page size; bad values are 400, not ignored.
Every page also names its neighbours in a `Link` header (RFC 8288): first, prev, next, last."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class ArchivePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = whole_number(raw, self.page_size_query_param)
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

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response["Link"] = ", ".join(
            f'<{url}>; rel="{rel}"' for rel, url in self.links().items() if url
        )
        return response

    def links(self) -> dict[str, str | None]:
        url = self.request.build_absolute_uri()
        last = self.page.paginator.num_pages
        return {
            "first": remove_query_param(url, self.page_query_param),
            "prev": self.get_previous_link(),
            "next": self.get_next_link(),
            "last": replace_query_param(url, self.page_query_param, last) if last > 1 else
            remove_query_param(url, self.page_query_param),
        }  # fmt: skip

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=20)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters


def whole_number(raw: str, name: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ValidationError({name: ["A whole number is required."]})
    return int(raw)
