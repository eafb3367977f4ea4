"""Streamed exports of an article list's whole result, as CSV or NDJSON, in constant memory.

The matching ids come from one database cursor, read a chunk at a time in the list's order;
each chunk's rows are read by id (archive.page_rows) and shaped by the list's own serializer,
so an exported row says what a list item says (without `highlight`, which is a page's).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet

from archive.page_rows import article_rows

CHUNK = 500  # rows read and written at a time: the memory an export holds
IDS_PER_FETCH = 2_000  # ids a database round trip brings
# The CSV's columns: each list field, nested records flattened to one cell, "; " between values.
CSV_COLUMNS = [
    "slug", "url", "title", "publication", "published_on", "date_source", "content_type",
    "is_stub", "word_count", "authors", "topics", "countries", "tagged_countries", "excerpt",
]  # fmt: skip
SEPARATOR = "; "


MEDIA_TYPES = {"csv": "text/csv", "ndjson": "application/x-ndjson"}


def exported_items(
    articles: QuerySet, represent: Callable[[object], dict], *, body: bool
) -> Iterator[dict]:
    """Each matching article as the list shows it, `body` added on request, in the order of
    `articles`; a chunk of rows in memory at a time."""
    ids = articles.values_list("pk", flat=True).iterator(chunk_size=IDS_PER_FETCH)
    while chunk := list(islice(ids, CHUNK)):
        for row in article_rows(chunk, body=body):
            item = represent(row)
            item.pop("highlight", None)
            if body:
                item["body"] = row.body
            yield item


def ndjson_lines(items: Iterable[dict]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


def csv_lines(items: Iterable[dict], *, body: bool) -> Iterator[str]:
    columns = [*CSV_COLUMNS, "body"] if body else CSV_COLUMNS
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for item in items:
        yield writer.writerow([_cell(name, item) for name in columns])


def _cell(name: str, item: dict) -> object:
    if name == "tagged_countries":
        return SEPARATOR.join(c["code"] for c in item["countries"] if c["tagged"])
    value = item[name]
    if name == "publication":
        return value["slug"] if value else ""
    if name == "countries":
        return SEPARATOR.join(c["code"] for c in value)
    if name in ("authors", "topics"):
        return SEPARATOR.join(record["name"] for record in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as JSON says it
    return value
