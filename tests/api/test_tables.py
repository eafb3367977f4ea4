"""Cross-tabs, co-mentions and the co-mention network: every number checked against a count
made from the list endpoint's own items, with the search index answering and with the
database answering, on whichever database the suite runs."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import date
from itertools import product

import igraph
import pytest

from archive.models import Article, ArticleCountry, Country

pytestmark = pytest.mark.django_db(serialized_rollback=True)

CROSSTAB = "/api/v1/articles/crosstab/"
FILTERS = [{}, {"country": "ir"}, {"is_stub": "false", "year": 2024}, {"q": "iran"}]
DIMENSIONS = ("country", "topic", "author", "publication", "year", "month")


def values_of(item: dict, dimension: str) -> set[str]:
    """An article's values of a dimension, as the list shows the article."""
    day = item["published_on"]
    return {
        "country": {c["code"] for c in item["countries"]},
        "topic": {t["slug"] for t in item["topics"]},
        "author": {a["slug"] for a in item["authors"]},
        "publication": {item["publication"]["slug"]} if item["publication"] else set(),
        "year": {day[:4]} if day else set(),
        "month": {day[:7]} if day else set(),
    }[dimension]


def listed(api, params) -> list[dict]:
    items, page = [], 1
    while True:
        answer = api.get("/api/v1/articles/", {**params, "page_size": 100, "page": page}).json()
        items += answer["results"]
        if not answer["next"]:
            return items
        page += 1


@pytest.mark.parametrize("params", FILTERS)
@pytest.mark.parametrize(
    ("rows", "cols"),
    [("country", "year"), ("topic", "country"), ("author", "publication"), ("country", "month"),
     ("year", "topic"), ("month", "author"), ("publication", "country"), ("country", "country")],
)  # fmt: skip
def test_crosstab_cells_and_totals_match_the_list(api, archive, answered_by, params, rows, cols):
    items = listed(api, params)
    response = api.get(CROSSTAB, {**params, "rows": rows, "cols": cols, "limit": 100})
    assert response.status_code == 200, response.content
    table = response.json()
    assert table["count"] == len(items)
    row_totals = Counter(v for i in items for v in values_of(i, rows))
    col_totals = Counter(v for i in items for v in values_of(i, cols))
    assert {v["key"]: v["total"] for v in table["row_values"]} == row_totals
    assert {v["key"]: v["total"] for v in table["col_values"]} == col_totals
    cells = Counter(pair for i in items for pair in product(values_of(i, rows), values_of(i, cols)))
    for r, row in zip(table["row_values"], table["cells"], strict=True):
        assert row == [cells[r["key"], c["key"]] for c in table["col_values"]]
    assert sum(map(sum, table["cells"])) == cells.total()


def test_a_limit_keeps_the_values_with_most_articles_and_the_latest_times(api, archive):
    whole = api.get(CROSSTAB, {"rows": "country", "cols": "year", "limit": 100}).json()
    cut = api.get(CROSSTAB, {"rows": "country", "cols": "year", "limit": 3}).json()
    totals = [v["total"] for v in whole["row_values"]]
    assert totals == sorted(totals, reverse=True)
    assert [v["total"] for v in cut["row_values"]] == totals[:3]
    years = [v["key"] for v in whole["col_values"]]
    assert years == sorted(years)  # a time in time's order
    assert [v["key"] for v in cut["col_values"]] == years[-3:]
    assert cut["cells"] == [row[-3:] for row in whole["cells"][:3]]


def test_a_limit_of_months_keeps_the_latest_and_their_cells(api, archive, answered_by):
    for params in ({}, {"country": "ir"}):
        asked = {**params, "rows": "year", "cols": "month"}
        whole = api.get(CROSSTAB, {**asked, "limit": 100}).json()
        cut = api.get(CROSSTAB, {**asked, "limit": 2}).json()
        months = [v["key"] for v in whole["col_values"]]
        assert [v["key"] for v in cut["col_values"]] == months[-2:]
        assert cut["cells"] == [row[-2:] for row in whole["cells"][-2:]]
        assert sum(map(sum, cut["cells"])) == sum(v["total"] for v in cut["col_values"]) > 0


def test_the_whole_archive_tables_kept_per_commit_follow_each_write(api, archive):
    """The index keeps the whole archive's cells until its next commit: a write is in the
    next table."""
    params = {"rows": "country", "cols": "month", "limit": 100}
    before = api.get(CROSSTAB, params).json()
    assert api.get(CROSSTAB, params).json() == before  # kept, the same answer
    article = Article.objects.create(
        title="Late piece", title_key="late piece", slug="late-piece", body="harbour",
        published_on=date(2031, 1, 1), date_source="page", word_count=5,
    )  # fmt: skip
    ArticleCountry.objects.create(article=article, country=Country.objects.get(code="IR"))
    after = api.get(CROSSTAB, params).json()
    assert after["count"] == before["count"] + 1
    assert after["col_values"][-1] == {**after["col_values"][-1], "key": "2031-01", "total": 1}
    iran = [v["key"] for v in after["row_values"]].index("IR")
    assert after["cells"][iran][-1] == 1


def test_the_csv_is_the_table_with_its_totals(api, archive, answered_by):
    params = {"rows": "country", "cols": "year", "country": "ir"}
    table = api.get(CROSSTAB, params).json()
    response = api.get("/api/v1/articles/crosstab.csv", params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["country", *(v["key"] for v in table["col_values"]), "total"]
    for value, cells, row in zip(table["row_values"], table["cells"], rows[1:-1], strict=True):
        assert row == [value["key"], *map(str, cells), str(value["total"])]
    totals = [str(v["total"]) for v in table["col_values"]]
    assert rows[-1] == ["total", *totals, str(table["count"])]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"cols": "year"}, "rows", "This field is required."),
        ({"rows": "year", "cols": "decade"}, "cols", '"decade" is not a valid choice.'),
        ({"rows": "year", "cols": "year"}, "cols", "Must differ from rows."),
        ({"rows": "year", "cols": "topic", "limit": 0}, "limit", "greater than or equal to 1"),
        ({"rows": "year", "cols": "topic", "limit": 101}, "limit", "less than or equal to 100"),
        ({"rows": "year", "cols": "topic", "page": 2}, "page", "Unknown parameter"),
        ({"rows": "year", "cols": "topic", "country": "zz"}, "country", "ZZ is not one"),
    ],
)
def test_bad_table_parameters_are_a_400_naming_them(api, archive, params, field, message):
    for path in (CROSSTAB, "/api/v1/articles/crosstab.csv"):
        response = api.get(path, params)
        assert response.status_code == 400, response.content
        assert message in str(response.json()[field])


def co_mentioned(items: list[dict], code: str) -> tuple[Counter, Counter]:
    each = Counter(c["code"] for i in items for c in i["countries"])
    together = Counter(
        c["code"]
        for i in items
        if code in {c["code"] for c in i["countries"]}
        for c in i["countries"]
        if c["code"] != code
    )
    return each, together


@pytest.mark.parametrize("params", FILTERS[:3])
def test_co_mentions_match_the_list(api, archive, answered_by, params):
    items = listed(api, params)
    each, together = co_mentioned(items, "IR")
    answer = api.get("/api/v1/countries/ir/co-mentions/", {**params, "limit": 100}).json()
    assert (answer["code"], answer["name"]) == ("IR", "Iran")
    assert (answer["count"], answer["articles"]) == (len(items), each["IR"])
    assert {r["code"]: r["count"] for r in answer["results"]} == together
    counts = [r["count"] for r in answer["results"]]
    assert counts == sorted(counts, reverse=True)
    for result in answer["results"]:
        lift = result["count"] * len(items) / (each["IR"] * each[result["code"]])
        assert result["articles"] == each[result["code"]]
        assert result["lift"] == pytest.approx(lift, abs=1e-4)
        assert result["pmi"] == pytest.approx(math.log2(lift), abs=1e-4)


def test_co_mentions_of_an_unknown_country_are_a_404(api, archive):
    assert api.get("/api/v1/countries/zz/co-mentions/").status_code == 404
    assert api.get("/api/v1/countries/ir/co-mentions/", {"limit": "x"}).status_code == 400


def test_the_network_reads_as_graphml_in_another_library(api, archive, answered_by, tmp_path):
    params = {"is_stub": "false"}
    items = listed(api, params)
    response = api.get("/api/v1/articles/co-mentions.graphml", {**params, "limit": 100})
    assert response["Content-Type"] == "application/graphml+xml; charset=utf-8"
    path = tmp_path / "network.graphml"
    path.write_bytes(response.content)
    graph = igraph.Graph.Read_GraphML(str(path))  # igraph's own C reader, not networkx
    each = Counter(c["code"] for i in items for c in i["countries"])
    assert {v["id"]: v["articles"] for v in graph.vs} == each
    pairs = Counter(
        tuple(sorted((a, b)))
        for i in items
        for a in {c["code"] for c in i["countries"]}
        for b in {c["code"] for c in i["countries"]}
        if a < b
    )
    edges = {
        tuple(sorted((graph.vs[e.source]["id"], graph.vs[e.target]["id"]))): e["count"]
        for e in graph.es
    }
    assert edges == pairs
    assert not graph.is_directed()


def test_tables_take_a_fixed_number_of_queries(api, archive, django_assert_num_queries):
    # The index counts: the filter's country, the index's state, the names of the values shown
    # (a query per dimension of records; a year or a month has none).
    for limit in (3, 100):
        with django_assert_num_queries(4):
            api.get(CROSSTAB, {"country": "ir", "rows": "country", "cols": "topic", "limit": limit})
    with django_assert_num_queries(1):
        api.get(CROSSTAB, {"rows": "year", "cols": "month"})
    # The country, the index's state, the names of the countries shown.
    with django_assert_num_queries(3):
        assert api.get("/api/v1/countries/ir/co-mentions/", {"is_stub": "false"}).json()["results"]


def test_the_database_counts_tables_in_a_fixed_number_of_queries(
    api, archive, settings, django_assert_num_queries
):
    settings.ARTICLE_READER = "database"
    # Each dimension's counts and names, the cells, the total (the filter's country is
    # checked against ISO 3166 and read as a subquery).
    for limit in (3, 100):
        with django_assert_num_queries(6):
            api.get(CROSSTAB, {"country": "ir", "rows": "country", "cols": "topic", "limit": limit})
    # The country; the countries' counts, the cells, the names shown, the total.
    with django_assert_num_queries(5):
        assert api.get("/api/v1/countries/ir/co-mentions/", {"is_stub": "false"}).json()["results"]


def test_a_pass_past_the_index_bucket_limit_is_counted_per_row(api, archive, monkeypatch):
    from archive.reads.index_counts import EngineCounts

    params = {"country": "ir", "rows": "country", "cols": "month", "limit": 100}
    in_one_pass = api.get(CROSSTAB, params).json()

    def refused(self, *args):
        raise ValueError("Aborting aggregation because bucket limit of 65000 was exceeded")

    monkeypatch.setattr(EngineCounts, "_cells_in_one_pass", refused)
    assert api.get(CROSSTAB, params).json() == in_one_pass
    assert sum(map(sum, in_one_pass["cells"])) > 0


def test_the_cut_keeps_every_value_tied_with_the_last_shown():
    """archive.tables.at_the_cut, the one top-N of the facets and the tables: the values tied
    at the cut stay candidates, so that the name, not the dict's order, decides who is shown."""
    from archive.tables import at_the_cut

    counts = {1: 9, 2: 5, 3: 5, 4: 5, 5: 1}
    assert sorted(at_the_cut(counts, 2)) == [1, 2, 3, 4]
    assert sorted(at_the_cut(counts, 4)) == [1, 2, 3, 4]
    assert sorted(at_the_cut(counts, 5)) == [1, 2, 3, 4, 5]
    assert sorted(at_the_cut(counts, 9)) == [1, 2, 3, 4, 5]
