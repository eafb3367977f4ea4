"""Pages of a list, by number or by cursor, with a client-chosen page size; bad values are 400,
not ignored. Every page names its neighbours in a `Link` header (RFC 8288) and gives a
`next_cursor`: a client that walks by cursor (`cursor=`) sees each item once, however many
are added or removed while it walks (archive.keyset)."""

from __future__ import annotations

from collections import OrderedDict

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from archive.keyset import CURSOR_MAX_CHARS, Cursor, CursorError, DatabaseWalk

CURSOR = "cursor"
CURSOR_HELP = (
    "Where to go on from: a page's `next_cursor`, as it was given. A walk by cursor sees each "
    "matching item once, in the list's order, whatever is added or removed meanwhile; it goes "
    "forward only (`previous` is null) and does not take `page`."
)


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

    def paginate_reader(self, reader, request, view=None):
        """A page of an article list's reader (archive.reads), walked by its own cursor."""
        self.walk = reader.walk()
        return self.paginate_queryset(reader.items, request, view)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if getattr(self, "walk", None) is None:  # a list of authors, topics, …
            self.walk = DatabaseWalk(queryset)
        self.cursor_count = None  # the count of a page read by cursor
        if CURSOR in request.query_params:
            return self._after_cursor(queryset, request)
        page = self._numbered(queryset, request, view)
        self.next_cursor = None
        if page and self.page.has_next():
            self.next_cursor = self.walk.cursor_at(page[-1], self.page.end_index()).encode()
        return page

    def _after_cursor(self, queryset, request) -> list:
        if self.page_query_param in request.query_params:
            raise ValidationError({CURSOR: ["Give a cursor or a page, not both."]})
        walk = self.walk
        try:
            cursor = Cursor.decode(request.query_params[CURSOR])
            size = self.get_page_size(request)
            items = walk.after(cursor, size + 1)  # one more: is there a next page?
        except CursorError as error:
            raise ValidationError({CURSOR: [str(error)]}) from None
        items, more = items[:size], len(items) > size
        position = cursor.position + len(items)
        self.next_cursor = walk.cursor_at(items[-1], position).encode() if more else None
        self.cursor_count = queryset.count()
        return items

    def _numbered(self, queryset, request, view):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            if not raw.isascii() or not raw.isdigit():
                raise ValidationError({self.page_query_param: ["A whole number is required."]})
            if int(raw) < 1:
                raise ValidationError({self.page_query_param: ["Must be 1 or more."]})
        return super().paginate_queryset(queryset, request, view)  # past the end: 404

    def get_paginated_response(self, data):
        if self.cursor_count is None:
            response = super().get_paginated_response(data)
            response.data["next_cursor"] = self.next_cursor
        else:
            response = Response(
                OrderedDict(
                    count=self.cursor_count,
                    next=self._cursor_url(),
                    previous=None,
                    results=data,
                    next_cursor=self.next_cursor,
                )
            )
        response["Link"] = ", ".join(
            f'<{url}>; rel="{rel}"' for rel, url in self.links().items() if url
        )
        return response

    def _cursor_url(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, CURSOR, self.next_cursor)

    def links(self) -> dict[str, str | None]:
        url = self.request.build_absolute_uri()
        if self.cursor_count is not None:
            return {"first": remove_query_param(url, CURSOR), "next": self._cursor_url()}
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
        cursor = {"type": "string", "maxLength": CURSOR_MAX_CHARS}
        parameters.append(
            {"name": CURSOR, "required": False, "in": "query", "description": CURSOR_HELP,
             "schema": cursor}
        )  # fmt: skip
        return parameters

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["next_cursor"] = {
            "type": "string",
            "nullable": True,
            "description": "Pass as `cursor` for the next page; null on the last page.",
        }
        answer["required"] = [*answer.get("required", []), "next_cursor"]
        return answer


def whole_number(raw: str, name: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ValidationError({name: ["A whole number is required."]})
    return int(raw)
