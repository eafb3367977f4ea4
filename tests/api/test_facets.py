"""Facets: the same filters as the list, counts checked against a hand count."""

from __future__ import annotations

from collections import Counter

import pytest

pytestmark = pytest.mark.django_db

FACETS = "/api/v1/articles/facets/"


def hand_count(api, params) -> dict:
    """The facets computed from the list endpoint's own items."""
    items = api.get("/api/v1/articles/", {**params, "page_size": 100}).json()["results"]
    return {
        "count": len(items),
        "country": Counter(c["code"] for i in items for c in i["countries"]),
        "topic": Counter(t["slug"] for i in items for t in i["topics"]),
        "author": Counter(a["slug"] for i in items for a in i["authors"]),
        "publication": Counter(i["publication"]["slug"] for i in items if i["publication"]),
        "year": Counter(int(i["published_on"][:4]) for i in items if i["published_on"]),
    }


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"country": "ir"},
        {"is_stub": "false"},
        {"year": 2024},
        {"publication": "horn-policy-institute"},
    ],
)
def test_facets_match_a_hand_count_of_the_list(api, archive, params):
    facets = api.get(FACETS, params).json()
    expected = hand_count(api, params)
    assert facets["count"] == expected["count"]
    assert {f["code"]: f["count"] for f in facets["country"]} == expected["country"]
    for name in ("topic", "author", "publication"):
        assert {f["slug"]: f["count"] for f in facets[name]} == expected[name]
    assert {f["year"]: f["count"] for f in facets["year"]} == expected["year"]


def test_facet_values_are_named_and_sorted_by_count(api, archive):
    facets = api.get(FACETS).json()
    counts = [f["count"] for f in facets["country"]]
    assert counts == sorted(counts, reverse=True)
    assert facets["country"][0] == {
        "code": "IR",
        "name": "Iran",
        "count": facets["country"][0]["count"],
    }
    assert {"slug": "gulf-international-forum", "name": "Gulf International Forum", "count": 9} in (
        facets["publication"]
    )


def test_facets_refuse_bad_filters_like_the_list(api, archive):
    assert api.get(FACETS, {"country": "zz"}).status_code == 400


def test_facets_take_a_fixed_number_of_queries(api, archive, django_assert_num_queries):
    # country filter validation, the index's state, the names of the values counted per facet
    # (country, topic, author, publication); the index counts
    with django_assert_num_queries(6):
        api.get(FACETS, {"country": "ir"})
    with django_assert_num_queries(6):
        api.get(FACETS, {"country": ["ir", "eg", "et"]})


def test_facets_the_database_counts_take_a_fixed_number_of_queries(
    api, archive, django_assert_num_queries, settings
):
    """Without the index (archive.reads.index says no), the database counts: the total, per
    facet a grouped count and the names, the dates. The country filter is checked against ISO
    3166 and read as a subquery: no query of its own."""
    settings.ARTICLE_READER = "database"
    with django_assert_num_queries(10):
        api.get(FACETS, {"country": "ir"})
    with django_assert_num_queries(10):
        api.get(FACETS, {"country": ["ir", "eg", "et"]})
