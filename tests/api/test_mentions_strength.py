"""How much a text is about a country: `min_mentions` with `country`, and `ordering=mentions`
with one country, checked against the list endpoint's own items (each says how many times
its text names each country), composed with other filters, words and cursors."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import SEEDS, SOURCES

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


@pytest.fixture
def archive(db):
    call_command("import_articles", str(SEEDS), str(SOURCES), verbosity=0)


def items(api, **params) -> list[dict]:
    response = api.get(LIST, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["next"] is None  # the whole list on one page
    return data["results"]


def mentions(item: dict, code: str) -> int:
    return next((c["mentions"] for c in item["countries"] if c["code"] == code), 0)


@pytest.mark.parametrize("code", ["IR", "US", "GB", "JO", "SA"])
@pytest.mark.parametrize("least", [1, 2, 5])
def test_min_mentions_keeps_the_articles_that_name_the_country_that_often(
    api, archive, code, least
):
    listed = items(api, country=code)
    expected = [i["slug"] for i in listed if mentions(i, code) >= least]
    assert [i["slug"] for i in items(api, country=code, min_mentions=least)] == expected
    assert len(expected) > 0 or least > 1


def test_with_several_countries_any_one_named_that_often_will_do(api, archive):
    both = items(api, country="IR,RU", min_mentions=3)
    listed = items(api, country="IR,RU")
    expected = [i["slug"] for i in listed if max(mentions(i, "IR"), mentions(i, "RU")) >= 3]
    assert [i["slug"] for i in both] == expected and expected


@pytest.mark.parametrize("code", ["IR", "US", "QA"])
def test_ordering_by_mentions_orders_by_the_filtered_countrys_count(api, archive, code):
    listed = {i["slug"] for i in items(api, country=code)}
    most_first = items(api, country=code, ordering="-mentions")
    counts = [mentions(i, code) for i in most_first]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    assert {i["slug"] for i in most_first} == listed
    fewest_first = items(api, country=code, ordering="mentions")
    assert [mentions(i, code) for i in fewest_first] == sorted(counts)


def test_strength_composes_with_words_filters_and_facets(api, archive):
    searched = items(api, country="IR", q="Russia")
    expected = [i["slug"] for i in searched if mentions(i, "IR") >= 5]
    found = items(api, country="IR", q="Russia", min_mentions=5, ordering="-mentions")
    assert sorted(i["slug"] for i in found) == sorted(expected) and expected
    facets = api.get(f"{LIST}facets/", {"country": "IR", "min_mentions": 5}).json()
    assert facets["count"] == len(items(api, country="IR", min_mentions=5))


def test_a_walk_by_cursor_in_mentions_order_gives_the_list(api, archive):
    expected = [i["slug"] for i in items(api, country="US", ordering="-mentions")]
    walked, params = [], {"country": "US", "ordering": "-mentions", "page_size": 2}
    answer = api.get(LIST, params).json()
    while True:
        walked += [i["slug"] for i in answer["results"]]
        if not answer["next_cursor"]:
            break
        answer = api.get(LIST, {**params, "cursor": answer["next_cursor"]}).json()
    assert walked == expected and len(expected) > 2


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"min_mentions": "3"}, "min_mentions", "Give `country` too"),
        ({"country": "IR", "min_mentions": "0"}, "min_mentions", "greater than or equal to 1"),
        ({"country": "IR", "min_mentions": "many"}, "min_mentions", "whole number"),
        ({"ordering": "-mentions"}, "ordering", "give one `country`"),
        ({"country": "IR,RU", "ordering": "mentions"}, "ordering", "give one `country`"),
    ],
)
def test_a_strength_it_cannot_answer_is_refused(api, archive, params, field, reason):
    response = api.get(LIST, params)
    assert response.status_code == 400
    assert reason in response.json()[field][0]
