"""Every cell of fixtures/expectations.toml: what the importer must read from each hand-written
page of fixtures/sources/ (each stresses one thing: a trap for the country matcher, a name, a
dateline, an encoding, a layout variant). One test per page and column, so that a failure
names both."""

from __future__ import annotations

import tomllib
from functools import cache

import pytest

from archive.importer.records import ArticleRecord
from archive.importer.workers import bytes_parse
from tests.conftest import ROOT, SOURCES

TABLE = tomllib.loads((ROOT / "fixtures" / "expectations.toml").read_text(encoding="utf-8"))
PAGES = TABLE["pages"]
COLUMNS = [
    "title", "date", "authors", "honorifics", "sections", "lead", "topics", "tagged",
    "mentioned", "not_mentioned", "related", "encoding", "warnings",
]  # fmt: skip


@cache
def record(page: str) -> ArticleRecord:
    result = bytes_parse((SOURCES / f"{page}.txt").read_bytes())
    assert isinstance(result, ArticleRecord), result
    return result


def actual(page: str, column: str, expected: dict):
    """The record's value for a column, in the table's terms."""
    r = record(page)
    mentions = dict(r.mentions)
    return {
        "title": lambda: r.title,
        "date": lambda: r.published_on.isoformat() if r.published_on else "",
        "authors": lambda: [a.name for a in r.authors],
        "honorifics": lambda: [a.honorific for a in r.authors],
        "sections": lambda: list(r.sections),
        "lead": lambda: r.lead[: len(expected["lead"])],
        "topics": lambda: list(r.topics),
        "tagged": lambda: list(r.tagged_countries),
        "mentioned": lambda: sorted(code for code in expected["mentioned"] if code in mentions),
        "not_mentioned": lambda: sorted(c for c in expected["not_mentioned"] if c in mentions),
        "related": lambda: len(r.related),
        "encoding": lambda: r.encoding,
        "warnings": lambda: list(r.warnings),
    }[column]()  # fmt: skip


def wanted(column: str, expected: dict):
    """The table's value for a column, as `actual` gives it."""
    if column == "mentioned":
        return sorted(expected["mentioned"])
    if column == "not_mentioned":
        return []
    if column == "encoding":
        return expected.get("encoding", "utf-8")
    return expected[column]


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_cell_holds(page, column):
    expected = PAGES[page]
    got = actual(page, column, expected)
    if column == "warnings":  # each as the table begins it, in order, and no other
        starts = expected.get("warnings", [])
        assert len(got) == len(starts), got
        assert all(w.startswith(start) for w, start in zip(got, starts, strict=True)), got
        return
    assert got == wanted(column, expected), f"{page} {expected['stresses']}"


@pytest.mark.parametrize("page", sorted(p for p in PAGES if "mentioned_at_least" in PAGES[p]))
def test_the_counts_the_table_gives_are_reached(page):
    mentions = dict(record(page).mentions)
    for code, least in PAGES[page]["mentioned_at_least"].items():
        assert mentions.get(code, 0) >= least, (page, code, mentions)


@pytest.mark.parametrize("page", sorted(p for p in PAGES if "publication" in PAGES[p]))
def test_the_publication_the_table_gives(page):
    publication = record(page).publication
    assert [publication.name, publication.acronym] == PAGES[page]["publication"]


@pytest.mark.parametrize("page", sorted(p for p in PAGES if "text_contains" in PAGES[p]))
def test_the_text_the_table_gives_is_read(page):
    assert PAGES[page]["text_contains"] in record(page).body


def test_the_table_covers_every_page_and_forty_of_its_own():
    pages = {path.stem for path in SOURCES.glob("*.txt")}
    assert pages == set(PAGES)
    assert len(pages) >= 42  # the two first pages and forty written for this table
    assert all(PAGES[page]["stresses"] for page in PAGES)
