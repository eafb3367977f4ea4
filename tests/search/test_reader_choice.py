"""reader_for: the index answers the lists it holds, the database the others, and the setting
sends every list to the database; both readers give a door the same answers."""

from __future__ import annotations

import pytest

from archive.models import Article, Authorship, Topic
from archive.reads import ArticleQuery, DatabaseReader, IndexReader, reader_for
from archive.search.engine import SearchIndex

pytestmark = pytest.mark.django_db
cleaned = ArticleQuery.asked  # the query a door builds: the filters' own validation


@pytest.mark.parametrize(
    ("params", "reader"),
    [
        ({}, IndexReader),
        ({"q": "harbour", "country": "IR"}, IndexReader),
        ({"ordering": "word_count"}, IndexReader),
        ({"ordering": "title"}, DatabaseReader),  # the index sorts by integer keys only
        ({"ordering": "-published_on,title"}, DatabaseReader),  # by one key only
        ({"updated_since": "2020-01-01T00:00:00Z"}, DatabaseReader),  # not in the index
        ({"ordering": "updated_at"}, DatabaseReader),
        ({"has_topic": "true", "has_publication": "false"}, IndexReader),
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


@pytest.mark.parametrize("kind", ["author", "topic", "country", "publication"])
def test_both_readers_split_the_archive_by_having_a_kind_of_record(corpus, settings, kind):
    # Some articles without a publication, an author or a country, some with a topic.
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))[::7]
    some = Article.objects.filter(pk__in=pks)
    topic = Topic.objects.create(name="Trade", slug="trade")
    for article in some:
        article.topics.add(topic)
    some.update(publication=None)
    Authorship.objects.filter(article__in=some).delete()
    SearchIndex().sync()
    counts = {}
    for reader in ("index", "database"):
        settings.ARTICLE_READER = reader
        for value in ("true", "false"):
            query = cleaned({f"has_{kind}": value})
            counts[reader, value] = (reader_for(query).count(), list(reader_for(query).all_ids()))
    assert counts["index", "true"] == counts["database", "true"]
    assert counts["index", "false"] == counts["database", "false"]
    whole = reader_for(ArticleQuery()).count()
    assert counts["index", "true"][0] + counts["index", "false"][0] == whole
    assert counts["index", "true"][0] > 0 and counts["index", "false"][0] > 0


def test_both_readers_walk_on_from_a_cursor_alike(corpus, settings):
    query = cleaned({"ordering": "published_on", "country": "IR"})
    walks = {}
    for name in ("index", "database"):
        settings.ARTICLE_READER = name
        reader = reader_for(query)
        walk = reader.walk()
        first = list(reader.items[:5])
        cursor = walk.cursor_at(first[-1], 5)
        walks[name] = [item.id for item in walk.after(cursor, 7)]
        # and as sort values alone, the key last (an OAI-PMH harvest's page of keys)
        keys = walk.sort_values(cursor, 7)
        assert [pk for *_, pk in keys] == walks[name]
        assert walk.sort_values(None, 5) == [walk.cursor_at(item, 0).values for item in first]
        walks[name, "keys"] = keys
    assert walks["index"] == walks["database"]
    assert walks["index", "keys"] == walks["database", "keys"]
    assert len(walks["index"]) == 7
