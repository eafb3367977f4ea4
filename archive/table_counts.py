"""The database's counts for cross-tabs and co-mentions (archive.tables.Counts) of a filtered
article queryset: one grouped query per dimension's values, one for a table's cells.

A dimension is read from a link table (an article's countries, topics, authors: one row per
article and value, so rows are counted, not DISTINCT articles) or from the article's own row
(publication, year, month). A table's cells start from the rows' table and reach the columns'
through the article, so a country by country table joins the country links twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from archive.models import Article
from archive.models.dimensions import RECORDS
from archive.selectors import FACETS, in_chunks
from archive.tables import TIME_DIMENSIONS, time_names

# dimension: (link model, its value's column, the article's way to it)
LINKS = {name: (d.link, d.column, d.from_article) for name, d in RECORDS.items() if d.link}


def _time(dimension: str, prefix: str = ""):
    """A year, or a month as YYYYMM, of the article at `prefix` (None undated)."""
    year = ExtractYear(f"{prefix}published_on")
    if dimension == "year":
        return year
    return year * 100 + ExtractMonth(f"{prefix}published_on")


def _of_article(dimension: str, prefix: str = ""):
    """The dimension's value as an expression on the article at `prefix`."""
    if dimension in TIME_DIMENSIONS:
        return _time(dimension, prefix)
    return F(f"{prefix}{RECORDS[dimension].from_article}")


@dataclass
class DatabaseCounts:
    articles: QuerySet[Article]
    filtered: bool = True  # False: `articles` is the whole archive, read without a subquery

    def _ids(self):
        return self.articles.order_by().values("pk")

    def _base(self, dimension: str) -> tuple[QuerySet, str]:
        """The table a dimension is counted from, narrowed to the set; the article's path."""
        if dimension in LINKS:
            model = LINKS[dimension][0]
            rows = model.objects.filter(article__in=self._ids()) if self.filtered else model.objects
            return rows, "article__"
        rows = Article.objects.filter(pk__in=self._ids()) if self.filtered else Article.objects
        return rows, ""

    def total(self) -> int:
        return self.articles.order_by().count()

    def values(self, dimension: str) -> dict[int, int]:
        rows, _ = self._base(dimension)
        key = F(LINKS[dimension][1]) if dimension in LINKS else _of_article(dimension)
        counts = dict(
            rows.annotate(value=key).values_list("value").annotate(n=Count("pk")).order_by()
        )
        counts.pop(None, None)
        return counts

    def cells(
        self, rows: str, row_keys: list[int], cols: str, col_keys: list[int]
    ) -> dict[tuple[int, int], int]:
        base, prefix = self._base(rows)
        row = F(LINKS[rows][1]) if rows in LINKS else _of_article(rows)
        found = (
            base.annotate(row=row, col=_of_article(cols, prefix))
            .filter(row__in=row_keys, col__in=col_keys)
            .values_list("row", "col")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {(r, c): n for r, c, n in found}


def names(dimension: str, keys: list[int]) -> dict[int, tuple[str, str]]:
    """Each value's label (a code or slug) and name."""
    if dimension in TIME_DIMENSIONS:
        return time_names(dimension, keys)
    model, fields = FACETS[dimension]
    return {pk: (label, name) for pk, label, name in in_chunks(model, keys, fields)}
