"""Walks by cursor (archive.keyset, archive.api.pagination): every ordering and ranked search,
from the search index and from the database, give the list's items once each, in its order;
a walk goes on correctly while articles are added and deleted before and after where it is;
a walk may change reader half-way; and a cursor a client made up is refused."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest

from archive.models import Article, Author
from archive.reads import index as reads

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
ORDERINGS = [None, "-published_on", "published_on", "word_count", "-word_count", "title"]
FILTERS = [{}, {"country": "IR"}, {"q": "harbour"}, {"q": "harbour grain", "is_stub": "false"}]
SIZE = 7


def numbered(api, params: dict, path: str = LIST) -> list[str]:
    """The whole list, read by page number."""
    items, number = [], 1
    while True:
        answer = api.get(path, {**params, "page_size": SIZE, "page": number}).json()
        items += [item.get("slug") or item.get("code") for item in answer["results"]]
        if not answer["next"]:
            return items
        number += 1


def by_cursor(api, params: dict, path: str = LIST, *, between=lambda n: None) -> list[str]:
    """The whole list, walked by cursor; `between(n)` runs after the nth page."""
    answer = api.get(path, {**params, "page_size": SIZE}).json()
    items, n = [], 1
    while True:
        items += [item.get("slug") or item.get("code") for item in answer["results"]]
        if answer["next_cursor"] is None:
            assert answer["next"] is None
            return items
        between(n)
        assert n <= 100, "the walk does not end"  # the corpus is 7 pages deep at most
        response = api.get(path, {**params, "page_size": SIZE, "cursor": answer["next_cursor"]})
        assert response.status_code == 200, response.content
        assert 'rel="next"' in response["Link"] or response.json()["next"] is None
        answer, n = response.json(), n + 1
        assert answer["previous"] is None


def index_answers(monkeypatch, settings) -> None:
    monkeypatch.setattr(reads, "DEEP", 0)  # the whole archive's steps narrow every page
    monkeypatch.setattr(reads, "ID_BLOCK", 4)


def database_answers(monkeypatch, settings) -> None:
    settings.ARTICLE_READER = "database"


@pytest.mark.parametrize("reader", [index_answers, database_answers])
@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_a_walk_by_cursor_gives_the_list_in_its_order(
    api, corpus, monkeypatch, settings, reader, ordering, filters
):
    reader(monkeypatch, settings)
    params = {**filters, **({"ordering": ordering} if ordering else {})}
    expected = numbered(api, params)
    assert len(expected) > SIZE  # several pages
    assert by_cursor(api, params) == expected


@pytest.mark.parametrize("reader", [index_answers, database_answers])
@pytest.mark.parametrize("ordering", [None, "published_on", "-word_count", "title"])
@pytest.mark.parametrize("filters", [{}, {"q": "harbour"}], ids=["all", "q"])
def test_a_walk_survives_articles_added_and_deleted_around_it(
    api, corpus, monkeypatch, settings, reader, ordering, filters
):
    reader(monkeypatch, settings)
    params = {**filters, **({"ordering": ordering} if ordering else {})}
    before = numbered(api, params)
    seen_then_deleted, unseen_then_deleted = before[SIZE], before[-2]
    added = []

    def churn(n: int) -> None:
        if n != 2:
            return
        Article.objects.filter(slug__in=[seen_then_deleted, unseen_then_deleted]).delete()
        for i, (day, words) in enumerate([(date(2031, 1, 1), 1), (date(1990, 1, 1), 99_999)]):
            slug = f"added-{i}"  # one at each end of every ordering
            added.append(slug)
            title = "AAA added" if i == 0 else "zzz added"
            Article.objects.create(
                title=title, title_key=slug, slug=slug, body="harbour grain", published_on=day,
                date_source="page", word_count=words,
            )  # fmt: skip

    walked = by_cursor(api, params, between=churn)
    assert len(walked) == len(set(walked)), "an item came twice"
    assert unseen_then_deleted not in walked
    assert seen_then_deleted in walked  # it was on page 2, read before the churn
    kept = [slug for slug in before if slug != unseen_then_deleted]
    assert [slug for slug in walked if slug not in added] == kept  # each once, in order
    if not filters:  # the ranked order places new articles by score: not checked here
        after = numbered(api, params)
        position = 2 * SIZE  # what the walk had read when the articles came
        last_read = after.index(before[position - 1])
        expected_new = {slug for slug in added if after.index(slug) > last_read}
        assert {slug for slug in walked if slug in added} == expected_new


@pytest.mark.parametrize("ordering", [None, "published_on", "word_count"])
def test_a_walk_begun_by_the_index_ends_by_the_database(
    api, corpus, monkeypatch, settings, ordering
):
    """The index may fall behind mid-walk (a large import): the database takes the cursor."""
    params = {"ordering": ordering} if ordering else {}
    index_answers(monkeypatch, settings)
    expected = numbered(api, params)

    def switch(n: int) -> None:
        if n == 2:
            database_answers(monkeypatch, settings)

    assert by_cursor(api, params, between=switch) == expected


def test_a_ranked_walk_that_changes_reader_goes_on_by_position(api, corpus, monkeypatch, settings):
    """The index and the database score a search each their own way: a cursor carries who
    scored it, and the other resumes at the same position, which is the best it can do."""
    index_answers(monkeypatch, settings)
    total = api.get(LIST, {"q": "harbour"}).json()["count"]

    def switch(n: int) -> None:
        if n == 1:
            database_answers(monkeypatch, settings)

    assert len(by_cursor(api, {"q": "harbour"}, between=switch)) == total


@pytest.mark.parametrize("path", ["/api/v1/authors/", "/api/v1/countries/"])
def test_the_other_lists_walk_by_cursor_too(api, corpus, path):
    for i in range(20):  # authors whose names tie: the id orders them
        Author.objects.create(name="Same Name", slug=f"same-name-{i}")
    expected = numbered(api, {}, path)
    assert len(expected) > SIZE
    assert by_cursor(api, {}, path) == expected


def cursor_of(data: dict) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("reader", [index_answers, database_answers])
@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"cursor": "not-a-cursor"}, "Not a cursor"),
        ({"cursor": cursor_of([1, 2])}, "Not a cursor"),
        ({"cursor": cursor_of({"o": ["-published_on", "-pk"], "v": ["soon", 3], "n": 0})},
         "Not a cursor"),
        ({"cursor": cursor_of({"o": ["-published_on", "-pk"], "v": [None, True], "n": 0})},
         "Not a cursor"),
        ({"cursor": cursor_of({"o": ["-published_on", "-pk"], "v": [None, 3], "n": -1})},
         "Not a cursor"),
        ({"cursor": cursor_of({"o": ["title", "pk"], "v": ["A", 3], "n": 0})},
         "another ordering"),
        ({"cursor": cursor_of({"o": ["word_count", "pk"], "v": ["many", 3], "n": 0}),
          "ordering": "word_count"}, "Not a cursor"),
        ({"cursor": cursor_of({"o": ["-search_rank", "pk"], "v": ["best", 3], "n": 0,
                               "r": "index"}), "q": "harbour"}, "Not a cursor"),
        ({"cursor": cursor_of({"o": ["-search_rank", "pk"], "v": ["best", 3], "n": 0,
                               "r": "database"}), "q": "harbour"}, "Not a cursor"),
        ({"cursor": cursor_of({"o": ["-published_on", "-pk"], "v": [None, 3], "n": 0}),
          "page": "2"}, "not both"),
    ],
)  # fmt: skip
def test_a_cursor_the_list_did_not_make_is_refused(
    api, corpus, monkeypatch, settings, reader, params, reason
):
    reader(monkeypatch, settings)
    response = api.get(LIST, params)
    assert response.status_code == 400, response.content
    [message] = response.json()["cursor"]
    assert reason in message


def test_a_cursor_longer_than_any_the_list_makes_is_refused(api, corpus):
    response = api.get(LIST, {"cursor": "A" * 1001})
    assert response.status_code == 400
    assert "at most" in response.json()["cursor"][0]


def test_a_title_ordered_cursor_carries_a_long_title(api, corpus):
    long_title = "A" + "é" * (Article._meta.get_field("title").max_length - 1)  # the longest
    Article.objects.create(title=long_title, title_key="long", slug="long", body="harbour")
    answer = api.get(LIST, {"ordering": "title", "page_size": 1}).json()
    assert answer["results"][0]["slug"] == "long"
    cursor = answer["next_cursor"]
    assert len(cursor) < 100  # the title is read back by the article's id
    response = api.get(LIST, {"ordering": "title", "page_size": 1, "cursor": cursor})
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["slug"] != "long"
    assert by_cursor(api, {"ordering": "title"}) == numbered(api, {"ordering": "title"})
    Article.objects.filter(slug="long").delete()
    gone = api.get(LIST, {"ordering": "title", "page_size": 1, "cursor": cursor})
    assert gone.status_code == 400 and "gone" in gone.json()["cursor"][0]


RANKED = ["-search_rank", "pk"]
NEWEST = ["-published_on", "-pk"]
HOSTILE = {
    "huge position": ({"o": RANKED, "v": [1.0, 3], "n": 10**10, "r": "index"}, "harbour"),
    "largest position": ({"o": RANKED, "v": [1.0, 3], "n": 2**63 - 1, "r": "index"}, "harbour"),
    "past the end": ({"o": RANKED, "v": [1.0, 3], "n": 100_000, "r": "index"}, "harbour"),
    "negative position": ({"o": NEWEST, "v": [None, 3], "n": -5}, None),
    "fractional position": ({"o": NEWEST, "v": [None, 3], "n": 1.5}, None),
    "position as text": ({"o": NEWEST, "v": [None, 3], "n": "1"}, None),
    "foreign reader": ({"o": RANKED, "v": [1.0, 3], "n": 0, "r": "elsewhere"}, "harbour"),
    "huge id": ({"o": RANKED, "v": [1.0, 2**70], "n": 0, "r": "index"}, "harbour"),
    "huge sort value": ({"o": ["word_count", "pk"], "v": [2**64, 3], "n": 0}, None),
    "infinite score": ({"o": RANKED, "v": [float("inf"), 3], "n": 0, "r": "index"}, "harbour"),
    "lone surrogate": ({"o": ["title", "pk"], "v": ["\ud800", 3], "n": 0}, None),
    "NUL": ({"o": ["title", "pk"], "v": ["a\x00b", 3], "n": 0}, None),
    "list value": ({"o": NEWEST, "v": [["2020-01-01"], 3], "n": 0}, None),
    "bad carried id": ({"o": ["title", "pk"], "v": [{"of": -1}, 3], "n": 0}, None),
}


def hostile_cursor(data: dict) -> str:
    raw = json.dumps(data, ensure_ascii=True, allow_nan=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("reader", [index_answers, database_answers])
@pytest.mark.parametrize("case", HOSTILE)
def test_a_made_up_cursor_is_a_400_on_either_reader(
    api, corpus, monkeypatch, settings, reader, case
):
    """Never an engine call that allocates for the position or panics on a value: the
    cursor is refused before (tantivy aborted the worker at a position of 10^10)."""
    reader(monkeypatch, settings)
    data, words = HOSTILE[case]
    ordering = {"ordering": data["o"][0]} if data["o"] not in (RANKED, NEWEST) else {}
    params = {"cursor": hostile_cursor(data), **({"q": words} if words else {}), **ordering}
    response = api.get(LIST, params)
    assert response.status_code == 400, (case, response.content)
    assert response.json()["cursor"]
