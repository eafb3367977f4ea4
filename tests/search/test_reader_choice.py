"""reader_for: the index answers the lists it holds, the database the others, and the setting
sends every list to the database; both readers give a door the same answers."""

from __future__ import annotations

import pytest

from archive.filtersets import ArticleFilterSet
from archive.reads import ArticleQuery, DatabaseReader, IndexReader, reader_for

pytestmark = pytest.mark.django_db


def cleaned(params: dict) -> ArticleQuery:
    """The query a door builds: the filters' own validation of the parameters."""
    filterset = ArticleFilterSet(params)
    assert filterset.is_valid(), filterset.errors
    return ArticleQuery.of({k: v for k, v in filterset.form.cleaned_data.items() if k in params})


@pytest.mark.parametrize(
    ("params", "reader"),
    [
        ({}, IndexReader),
        ({"q": "harbour", "country": "IR"}, IndexReader),
        ({"ordering": "word_count"}, IndexReader),
        ({"ordering": "title"}, DatabaseReader),  # the index sorts by integer keys only
        ({"ordering": "-published_on,title"}, DatabaseReader),  # by one key only
        ({"updated_since": "2020-01-01T00:00:00Z"}, DatabaseReader),  # not in the index
        ({"country": "IR", "min_mentions": "2"}, DatabaseReader),
    ],
)
def test_the_index_answers_what_it_holds(corpus, params, reader):
    assert type(reader_for(cleaned(params))) is reader


def test_the_setting_sends_every_list_to_the_database(corpus, settings):
    settings.ARTICLE_READER = "database"
    assert type(reader_for(cleaned({"q": "harbour"}))) is DatabaseReader


@pytest.mark.parametrize(
    "params", [{}, {"country": "IR"}, {"ordering": "published_on", "is_stub": "false"}]
)
def test_both_readers_give_the_same_ids_counts_and_facets(corpus, settings, params):
    query = cleaned(params)
    index = reader_for(query)
    settings.ARTICLE_READER = "database"
    database = reader_for(query)
    assert (index.name, database.name) == ("index", "database")
    assert index.count() == database.count() > 0
    assert index.ids(3, 17) == database.ids(3, 17)
    assert list(index.all_ids()) == list(database.all_ids())
    assert [row.pk for row in index.page(5, 9)] == index.ids(5, 9)
    assert [row.pk for row in database.page(5, 9)] == index.ids(5, 9)
    assert index.facets() == database.facets()
