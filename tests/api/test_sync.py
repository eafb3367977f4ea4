"""Mirroring the archive: `updated_since` on the list (and so on its facets, exports and
feeds' filters) gives what changed since a moment; the search index, which does not hold
change times, leaves such a query to the database rather than ignore the filter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import tantivy

from archive.filtersets import ArticleFilterSet
from archive.models import Article
from archive.reads.index import ENGINE_FILTERS

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def test_every_list_filter_is_answered_by_the_index_or_left_to_the_database():
    # A filter the index does not know is answered by the database (reader_for): a new
    # filter must be added to the index's queries or, like updated_since and updated_before
    # (the index holds no time of change) and min_mentions (nor per-country counts), left out
    # on purpose.
    assert set(ArticleFilterSet.base_filters) >= ENGINE_FILTERS
    left = {"updated_since", "updated_before", "min_mentions"}
    assert set(ArticleFilterSet.base_filters) - ENGINE_FILTERS == left


def test_updated_since_gives_what_changed(api, editor, imported_seeds):
    Article.objects.update(updated_at=LONG_AGO)
    cutoff = "2025-01-01T00:00:00Z"
    assert api.get(LIST, {"updated_since": cutoff}).json()["count"] == 0
    changed = Article.objects.filter(is_stub=False).first()
    response = editor.patch(f"{LIST}{changed.slug}/", {"title": "Changed"}, format="json")
    assert response.status_code == 200, response.content
    listed = api.get(LIST, {"updated_since": cutoff}).json()
    assert [item["slug"] for item in listed["results"]] == [changed.slug]
    assert api.get(LIST, {"updated_since": "2019-12-31"}).json()["count"] == Article.objects.count()
    facets = api.get(f"{LIST}facets/", {"updated_since": cutoff}).json()
    assert facets["count"] == 1
    exported = api.get(f"{LIST}export.ndjson", {"updated_since": cutoff})
    assert b"".join(exported.streaming_content).count(b"\n") == 1
    both = api.get(LIST, {"updated_since": cutoff, "q": "changed"}).json()
    assert [item["slug"] for item in both["results"]] == [changed.slug]


def test_updated_before_and_ordering_by_updated_at_walk_the_changes(api, editor, imported_seeds):
    Article.objects.update(updated_at=LONG_AGO)
    first, second = Article.objects.filter(is_stub=False).order_by("pk")[:2]
    for article in (second, first):  # changed in this order: second, then first
        response = editor.patch(f"{LIST}{article.slug}/", {"title": "Changed"}, format="json")
        assert response.status_code == 200, response.content
    first.refresh_from_db()
    walked = api.get(LIST, {"ordering": "updated_at", "updated_since": "2025-01-01"}).json()
    assert [item["slug"] for item in walked["results"]] == [second.slug, first.slug]
    before = api.get(LIST, {"updated_before": first.updated_at.isoformat()}).json()
    assert first.slug not in {item["slug"] for item in before["results"]}
    assert before["count"] == Article.objects.count() - 1


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2025-13-01", "2025-01-01T25:00:00Z", "0001-01-01T00:00:00+01:00"],
)
@pytest.mark.parametrize("name", ["updated_since", "updated_before"])
def test_a_bad_moment_is_refused_by_name(api, imported_seeds, value, name):
    response = api.get(LIST, {name: value})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize("path", [LIST, f"{LIST}facets/"])
def test_a_moment_with_any_offset_iso_8601_allows_is_taken(api, imported_seeds, path):
    """ISO 8601 offsets reach ±23:59, PostgreSQL's only ±15:59: the moment is taken as UTC
    (schemathesis found a 500 at +21:26)."""
    Article.objects.update(updated_at=LONG_AGO)
    for moment in ("2019-12-31T22:00:00+21:26", "2020-01-01T10:00:00-23:59"):
        assert api.get(path, {"updated_since": moment}).status_code == 200
        assert api.get(path, {"updated_before": moment}).status_code == 200
    everything = api.get(LIST, {"updated_since": "2019-12-31T02:00:00+21:26"}).json()
    assert everything["count"] == Article.objects.count()  # 2019-12-31T04:34Z, before LONG_AGO
    export = api.get(f"{LIST}export.csv", {"updated_since": "2187-11-04T17:40:29+23:23"})
    assert export.status_code == 200


def test_each_record_dimension_is_declared_once_and_every_reader_knows_it():
    """archive.models.dimensions: the facets, the tables, the index's fields and the filters
    all follow its one list of records."""
    from archive import selectors, tables
    from archive.models.dimensions import RECORDS
    from archive.reads.index import FACET_FIELDS
    from archive.search.engine import schema_build
    from archive.table_counts import LINKS

    assert tuple(RECORDS) == tables.RECORD_DIMENSIONS
    assert set(selectors.FACETS) == set(RECORDS)
    assert set(FACET_FIELDS) - {"year"} == set(RECORDS)
    assert set(LINKS) == {name for name, d in RECORDS.items() if d.link is not None}
    schema = schema_build()
    for name, dimension in RECORDS.items():
        tantivy.Query.term_set_query(schema, dimension.index_field, [1])  # a field it holds
        assert name in ArticleFilterSet.base_filters
    with pytest.raises(ValueError):
        tantivy.Query.term_set_query(schema, "no_such_field", [1])
