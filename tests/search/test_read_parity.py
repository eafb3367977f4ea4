"""The search index and the database give the same pages: every ordering, either direction,
first, middle, deep and last pages, with and without filters and words (in relevance order,
the same articles: each engine scores in its own way); and the same facets.

The index finds deep pages through buckets of the sort key (archive.reads.index._sorted);
here every page counts as deep, so that the bucket walk is what answers."""

from __future__ import annotations

from datetime import date

import pytest

from archive.models import Article, ArticleCountry, Country
from archive.reads import index as reads

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
ORDERINGS = [None, "-published_on", "published_on", "word_count", "-word_count", "title"]
FILTERS = [{}, {"country": "IR"}, {"q": "harbour"}, {"country": "EG", "is_stub": "false"}]


def pages(api, params: dict) -> list[list[str]]:
    first = api.get(LIST, {**params, "page_size": 7})
    assert first.status_code == 200, first.content
    count = first.json()["count"]
    return [
        [item["slug"] for item in api.get(LIST, {**params, "page_size": 7, "page": n}).json()[
            "results"
        ]]
        for n in range(1, (count + 6) // 7 + 1)
    ]  # fmt: skip


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_every_page_is_the_same_from_the_index_and_the_database(
    api, corpus, monkeypatch, settings, ordering, filters
):
    params = {**filters, **({"ordering": ordering} if ordering else {})}
    monkeypatch.setattr(reads, "DEEP", 0)
    monkeypatch.setattr(reads, "ID_BLOCK", 4)  # the undated in steps of a few ids
    from_index = pages(api, params)
    settings.ARTICLE_READER = "database"
    from_database = pages(api, params)
    if "q" in params and not ordering:  # relevance: each engine scores its own way
        from_index, from_database = sorted(sum(from_index, [])), sorted(sum(from_database, []))
    assert from_index == from_database
    assert len(from_index) > 0


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_facets_are_the_same_from_the_index_and_the_database(api, corpus, settings, filters):
    from_index = api.get(f"{LIST}facets/", filters).json()
    settings.ARTICLE_READER = "database"
    assert api.get(f"{LIST}facets/", filters).json() == from_index
    assert from_index["count"] > 0


def test_the_whole_archive_answers_kept_per_commit_follow_each_write(api, corpus, monkeypatch):
    """The whole archive's facets and page steps are kept until the index's next commit: a
    write is in the next answer."""
    monkeypatch.setattr(reads, "DEEP", 0)
    before = api.get(f"{LIST}facets/").json()
    last_page = pages(api, {"ordering": "published_on"})[-1]
    iran = next(row for row in before["country"] if row["code"] == "IR")
    article = Article.objects.create(
        title="Late piece", title_key="late piece", slug="late-piece", body="harbour",
        published_on=date(2031, 1, 1), date_source="page", word_count=5,
    )  # fmt: skip
    ArticleCountry.objects.create(article=article, country=Country.objects.get(code="IR"))
    after = api.get(f"{LIST}facets/").json()
    assert after["count"] == before["count"] + 1
    assert next(row for row in after["country"] if row["code"] == "IR")["count"] == (
        iran["count"] + 1
    )
    assert {"year": 2031, "count": 1} in after["year"]
    newest = pages(api, {"ordering": "published_on"})[-1]
    assert newest[-1] == "late-piece" and newest != last_page


@pytest.mark.parametrize("share", [1, 50])
@pytest.mark.parametrize("ordering", ORDERINGS[:5])
@pytest.mark.parametrize(
    "params",
    [{"is_stub": "false"}, {"country": "IR"}, {"country": "EG", "is_stub": "true"}],
    ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()),
)
def test_a_first_page_without_its_count_is_the_same_from_the_front_of_the_archive(
    corpus, monkeypatch, settings, share, ordering, params
):
    """A filtered list's first page, asked without its count (the home page's newest, a
    feed's), is looked for among the archive's first buckets of the key: found there whole
    or, for a filter that keeps few (stubs of one country), in the whole list: the same
    articles, in the same order, as the database gives."""
    from archive.reads import ArticleQuery, reader_for
    from archive.reads.readers import DatabaseReader, IndexReader

    monkeypatch.setattr(reads, "FRONT_SHARE", share)
    query = ArticleQuery.asked({**params, **({"ordering": ordering} if ordering else {})})
    fronts = []
    real = reads.EngineResults._within_archive_front
    monkeypatch.setattr(
        reads.EngineResults,
        "_within_archive_front",
        lambda self, *args: fronts.append(real(self, *args)) or fronts[-1],
    )
    for size in (1, 4, 9, 30):
        reader = reader_for(query)
        assert isinstance(reader, IndexReader)
        assert reader.ids(0, size) == DatabaseReader(query).ids(0, size)
    assert any(front is not None for front in fronts)
