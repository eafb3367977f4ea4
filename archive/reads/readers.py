"""The two readers of an article list, one interface: the search index's (IndexReader) and the
database's (DatabaseReader). A door asks reader_for(query) for one and never looks at which.

`items` is what a paginator pages and a cursor walks (archive.keyset: the index's answers walk
themselves, a queryset by its ORDER BY); `rows(page)` gives the page's records as the list
shows them, and `page(start, stop)` both at once; `walk()` reads on from a cursor (`after`,
`first`, `cursor_at`), as the API's cursor pages and OAI-PMH's harvests do."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Protocol

from django.db.models import QuerySet

from archive import selectors, tables
from archive.filtersets import ArticleFilterSet
from archive.keyset import DatabaseWalk
from archive.search import search_query_parse
from archive.table_counts import DatabaseCounts

from .index import EngineResults
from .index_counts import EngineCounts
from .query import ArticleQuery

IDS_PER_FETCH = 2_000  # ids read at a time when the database streams a whole list


class ArticleReader(Protocol):
    name: str  # "index" or "database": who ranked a search, for a cursor
    query: ArticleQuery

    @property
    def items(self): ...
    def count(self) -> int: ...
    def rows(self, page: list) -> list: ...
    def page(self, start: int, stop: int) -> list: ...
    def ids(self, start: int, stop: int) -> list[int]: ...
    def all_ids(self) -> Iterable[int]: ...
    def facet_counts(self) -> tuple[int, dict[str, dict[int, int]]]: ...
    def facets(self) -> dict: ...
    def walk(self): ...
    def table_counts(self) -> tables.Counts: ...


class IndexReader:
    """The search index chooses and counts; the database gives the chosen rows."""

    name = "index"

    def __init__(self, query: ArticleQuery, results: EngineResults):
        self.query, self.results = query, results

    @property
    def items(self) -> EngineResults:
        return self.results

    def count(self) -> int:
        return self.results.count()

    def rows(self, page: list) -> list:
        return selectors.article_page_rows(page, self.results)

    def page(self, start: int, stop: int) -> list:
        return self.rows(self.results[start:stop])

    def ids(self, start: int, stop: int) -> list[int]:
        return [hit.id for hit in self.results[start:stop]]

    def all_ids(self) -> list[int]:
        """Every match's id in the list's order (a few bytes each: an export's order)."""
        return self.ids(0, self.count())

    def facet_counts(self) -> tuple[int, dict[str, dict[int, int]]]:
        return self.results.facet_counts()

    def facets(self) -> dict:
        return selectors.facets_named(*self.facet_counts())

    def walk(self) -> EngineResults:
        return self.results  # the index's answers walk themselves

    def table_counts(self) -> tables.Counts:
        return EngineCounts(self.results)


class DatabaseReader:
    """The database filters, orders, counts and reads, through the filters' own definitions
    (ArticleFilterSet) applied to the query's values."""

    name = "database"

    def __init__(self, query: ArticleQuery):
        self.query = query

    @cached_property
    def items(self) -> QuerySet:
        return ArticleFilterSet.applied(self.query.values, selectors.article_list())

    def count(self) -> int:
        return self.items.count()

    def rows(self, page: list) -> list:
        selectors.article_links_attach(page)
        if self.query.words:  # the database searched: where each hit is
            selectors.search_hits_attach(page, search_query_parse(self.query.words))
        return page

    def page(self, start: int, stop: int) -> list:
        return self.rows(list(self.items[start:stop]))

    def ids(self, start: int, stop: int) -> list[int]:
        return list(self.items.values_list("pk", flat=True)[start:stop])

    def all_ids(self) -> Iterable[int]:
        return self.items.values_list("pk", flat=True).iterator(chunk_size=IDS_PER_FETCH)

    def facet_counts(self) -> tuple[int, dict[str, dict[int, int]]]:
        return selectors.facet_counts(self.items, filtered=self.query.filtered)

    def facets(self) -> dict:
        return selectors.article_facets(self.items, filtered=self.query.filtered)

    def walk(self) -> DatabaseWalk:
        return DatabaseWalk(self.items)  # by the queryset's ORDER BY

    def table_counts(self) -> tables.Counts:
        return DatabaseCounts(self.items, filtered=self.query.filtered)
