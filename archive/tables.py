"""Cross-tabs and co-mentions of a set of articles, from counts (pure: no ORM, no index).

A count source (the database's, archive.table_counts; the search index's,
archive.reads.index_counts) gives how many of the set's articles have each value of a
dimension, and how many have both a row value and a column value; the rules here choose the
values shown, order them, and shape the answer. An article is counted once per value it has:
with several countries it counts in each country's row, so a row's total is its number of
articles, not the sum of its cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

RECORD_DIMENSIONS = ("country", "topic", "author", "publication")
TIME_DIMENSIONS = ("year", "month")
DIMENSIONS = (*RECORD_DIMENSIONS, *TIME_DIMENSIONS)
LIMIT_DEFAULT = 20
LIMIT_MAX = 100
GRAPH_LIMIT_DEFAULT = 50


class Counts(Protocol):
    """What a count source answers about one filtered set of articles."""

    def total(self) -> int: ...

    def values(self, dimension: str) -> dict[int, int]:
        """Each value's number of articles: a record's id, a year, or a month as YYYYMM."""
        ...

    def cells(
        self, rows: str, row_keys: list[int], cols: str, col_keys: list[int]
    ) -> dict[tuple[int, int], int]:
        """The number of articles with both values, for each pair that has any."""
        ...


@dataclass(frozen=True)
class Value:
    key: int
    label: str  # a country's code, a record's slug, "2024", "2024-03"
    name: str
    count: int

    def shown(self) -> dict:
        return {"key": self.label, "name": self.name, "total": self.count}


Names = Callable[[str, list[int]], dict[int, tuple[str, str]]]  # dimension, keys -> label, name


def month_label(key: int) -> str:
    return f"{key // 100:04d}-{key % 100:02d}"


def time_names(dimension: str, keys: Iterable[int]) -> dict[int, tuple[str, str]]:
    label = month_label if dimension == "month" else str
    return {key: (label(key), label(key)) for key in keys}


def at_the_cut(counts: dict[int, int], limit: int) -> list[int]:
    """The keys that may be among the `limit` most counted: each counted at least as often as
    the `limit`th most counted, those tied with it too. Naming them (one query) and sorting by
    count, then name, makes the cut; every top-N with ties by name starts here."""
    ranked = sorted(counts.values(), reverse=True)
    least = ranked[limit - 1] if len(ranked) >= limit else 0
    return [key for key, n in counts.items() if n >= least]


def chosen(
    dimension: str, counts: dict[int, int], limit: int, names: Names, *, exclude=()
) -> list[Value]:
    """The values a table shows: of a time, the latest `limit` in time's order; of records,
    the `limit` with most articles (ties by name), most first."""
    counts = {key: n for key, n in counts.items() if n and key not in exclude}
    if dimension in TIME_DIMENSIONS:
        keys = sorted(counts)[-limit:]
        return [Value(k, *time_names(dimension, [k])[k], counts[k]) for k in keys]
    candidates = at_the_cut(counts, limit)
    named = names(dimension, candidates)
    values = [Value(key, *named[key], counts[key]) for key in candidates if key in named]
    return sorted(values, key=lambda v: (-v.count, v.name, v.label))[:limit]


def crosstab(counts: Counts, rows: str, cols: str, limit: int, names: Names) -> dict:
    """The table of `rows` by `cols`: each value's total, and a cell per pair."""
    row_values = chosen(rows, counts.values(rows), limit, names)
    col_values = chosen(cols, counts.values(cols), limit, names)
    cells = (
        counts.cells(rows, [v.key for v in row_values], cols, [v.key for v in col_values])
        if row_values and col_values
        else {}
    )
    return {
        "rows": rows,
        "cols": cols,
        "count": counts.total(),
        "row_values": [v.shown() for v in row_values],
        "col_values": [v.shown() for v in col_values],
        "cells": [[cells.get((r.key, c.key), 0) for c in col_values] for r in row_values],
    }


def crosstab_rows(table: dict) -> list[list]:
    """The table as CSV rows: a header of the column values, a row per row value with its
    total, and the columns' totals last."""
    header = [table["rows"], *(v["key"] for v in table["col_values"]), "total"]
    body = [
        [value["key"], *cells, value["total"]]
        for value, cells in zip(table["row_values"], table["cells"], strict=True)
    ]
    totals = ["total", *(v["total"] for v in table["col_values"]), table["count"]]
    return [header, *body, totals]


def lift(together: int, first: int, second: int, total: int) -> float:
    """How much more often two values come together than if they were independent:
    P(a and b) / (P(a) P(b))."""
    return together * total / (first * second)


def co_mentions(counts: Counts, key: int, limit: int, names: Names) -> dict:
    """The countries most often in the same articles as country `key`, with lift and PMI."""
    each = counts.values("country")
    total, own = counts.total(), each.get(key, 0)
    together = counts.cells("country", [key], "country", list(each)) if own else {}
    with_it = {other: n for (_, other), n in together.items()}
    values = chosen("country", with_it, limit, names, exclude={key})
    return {
        "count": total,
        "articles": own,
        "results": [
            {
                "code": value.label,
                "name": value.name,
                "count": value.count,
                "articles": each[value.key],
                "lift": round(lift(value.count, own, each[value.key], total), 4),
                "pmi": round(math.log2(lift(value.count, own, each[value.key], total)), 4),
            }
            for value in values
        ],
    }


def co_mention_graph(counts: Counts, limit: int, names: Names) -> dict:
    """The `limit` countries with most articles as nodes, and an edge between each two that
    share articles: the network of what is discussed together."""
    each = counts.values("country")
    nodes = chosen("country", each, limit, names)
    keys = [node.key for node in nodes]
    together = counts.cells("country", keys, "country", keys) if keys else {}
    by_key = {node.key: node for node in nodes}
    total = counts.total()
    edges = [
        {
            "source": by_key[a].label,
            "target": by_key[b].label,
            "count": n,
            "lift": round(lift(n, by_key[a].count, by_key[b].count, total), 4),
        }
        for (a, b), n in sorted(together.items())
        if a < b
    ]
    return {
        "count": total,
        "nodes": [{"id": n.label, "name": n.name, "articles": n.count} for n in nodes],
        "edges": edges,
    }
