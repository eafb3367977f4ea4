"""The search index's counts for cross-tabs and co-mentions (archive.tables.Counts) of one
list query's matches: tantivy's terms aggregations, exact (every segment's every bucket).

A table's cells are one aggregation per row value, over the matches that have it: the column's
values are counted there (a nested aggregation would count every column value in every row,
past tantivy's bucket limit for authors). Months are counted by day and added up.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import tantivy

from .engine import EPOCH
from .reads import FACET_BUCKETS, FACET_FIELDS, EngineResults

FIELDS = {**FACET_FIELDS, "month": "published"}


def _month(days: int) -> int:
    day = EPOCH + timedelta(days=days)
    return day.year * 100 + day.month


class EngineCounts:
    def __init__(self, results: EngineResults):
        self.results = results
        self.schema = results.engine.schema

    def total(self) -> int:
        return self.results.count()

    def values(self, dimension: str) -> dict[int, int]:
        if dimension in FACET_FIELDS:
            return self.results.facet_counts()[1][dimension]
        return self.results._per_commit(
            "months", lambda: self._counted(self.results.query, dimension)
        )

    def _counted(self, query: tantivy.Query, dimension: str) -> dict[int, int]:
        field = FIELDS[dimension]
        request = {
            "v": {"terms": {"field": field, "size": FACET_BUCKETS, "segment_size": FACET_BUCKETS}}
        }
        buckets = self.results.searcher.aggregate(query, request)["v"]["buckets"]
        if dimension != "month":
            return {int(b["key"]): b["doc_count"] for b in buckets}
        months: Counter[int] = Counter()
        for bucket in buckets:
            months[_month(int(bucket["key"]))] += bucket["doc_count"]
        return dict(months)

    def _having(self, dimension: str, key: int) -> tantivy.Query:
        if dimension != "month":
            return tantivy.Query.term_query(self.schema, FIELDS[dimension], key)
        first = date(key // 100, key % 100, 1)
        after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return tantivy.Query.range_query(
            self.schema, "published", tantivy.FieldType.Integer,
            (first - EPOCH).days, (after - EPOCH).days - 1,
        )  # fmt: skip

    def cells(
        self, rows: str, row_keys: list[int], cols: str, col_keys: list[int]
    ) -> dict[tuple[int, int], int]:
        wanted = set(col_keys)
        found = {}
        for row in row_keys:
            query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, self.results.query),
                    (tantivy.Occur.Must, self._having(rows, row)),
                ]
            )
            for col, n in self._counted(query, cols).items():
                if col in wanted:
                    found[row, col] = n
        return found
