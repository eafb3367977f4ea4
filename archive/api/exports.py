"""Streamed exports of an article list's whole result, in constant memory: CSV and NDJSON of the
list's items, and citations (BibTeX, RIS, CSL-JSON; archive.citations).

The matching ids come from one database cursor, read a chunk at a time in the list's order;
each chunk's rows are read by id (archive.page_rows) and shaped by the list's own serializer,
so an exported row says what a list item says (without `highlight` and `hits`, a search page's).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from archive import citations
from archive.page_rows import article_rows

CHUNK = 500  # rows read and written at a time: the memory an export holds
# The CSV's columns: each list field, nested records flattened to one cell, "; " between values.
CSV_COLUMNS = [
    "slug", "url", "title", "publication", "published_on", "date_source", "content_type",
    "is_stub", "word_count", "authors", "topics", "countries", "tagged_countries", "excerpt",
]  # fmt: skip
SEPARATOR = "; "


MEDIA_TYPES = {
    "csv": "text/csv",
    "ndjson": "application/x-ndjson",
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl.json": "application/vnd.citationstyles.csl+json",
}
CITATION_FORMATS = ("bib", "ris", "csl.json")


def exported_items(
    ids: Iterable[int], represent: Callable[[object], dict], *, body: bool
) -> Iterator[dict]:
    """Each article of these ids (a reader's, in the list's order) as the list shows it, `body`
    added on request; a chunk of rows in memory at a time."""
    ids = iter(ids)
    while chunk := list(islice(ids, CHUNK)):
        for row in article_rows(chunk, body=body):
            item = represent(row)
            item.pop("highlight", None)  # a search page's, as are its hits
            item.pop("hits", None)
            if body:
                item["body"] = row.body
            yield item


def ndjson_lines(items: Iterable[dict]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def citation_lines(
    items: Iterable[dict], file_format: str, page_url: Callable[[str], str]
) -> Iterator[str]:
    """The items as BibTeX entries, RIS records or a CSL-JSON array, an item at a time."""
    if file_format == "csl.json":
        yield "["
    for number, item in enumerate(items):
        csl = citations.csl_item(item, page_url(item["slug"]))
        if file_format == "bib":
            yield citations.bibtex_entry(csl) + "\n"
        elif file_format == "ris":
            yield citations.ris_entry(csl) + "\n"
        else:
            yield ("\n" if number == 0 else ",\n") + citations.csl_json(csl)
    if file_format == "csl.json":
        yield "\n]\n"


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


# OWASP's rule against CSV injection: a text cell that a spreadsheet would read as a formula
# (or whose leading tab or carriage return hides one) starts with a single quote instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CSVWriter:
    """csv.writer whose text cells are never read as formulas: the one every CSV door uses."""

    def __init__(self, target, **options):
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[object]):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_lines(items: Iterable[dict], *, body: bool) -> Iterator[str]:
    columns = [*CSV_COLUMNS, "body"] if body else CSV_COLUMNS
    writer = CSVWriter(_Line())
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
