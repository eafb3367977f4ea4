"""Full-text search through the API, on whichever database the suite runs on."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from archive.models import Article, Author
from archive.services import article_update, authorships_replace
from tests.conftest import HORN, NILE, SEEDS

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
SEED_000 = "irans-indispensable-role-for-russia-in-the-ukraine-war"
SEED_002 = "irans-military-alignment-with-russia-increases-the-wests-distrust"
NILE_SLUG = "water-diplomacy-on-the-nile-cairo-and-addis-ababa-try-again"
HORN_SLUG = "grain-ports-and-power-in-the-horn-of-africa"


@pytest.fixture
def archive(db):
    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)


def search(api, q, **params) -> list[dict]:
    response = api.get(LIST, {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(results) -> list[str]:
    return [r["slug"] for r in results]


def test_words_are_anded(api, archive):
    assert set(slugs(search(api, "reservoir droughts"))) == {NILE_SLUG}
    assert search(api, "reservoir Khamenei") == []


def test_stemming_finds_other_forms(api, archive):
    assert SEED_000 in slugs(search(api, "drone"))  # the text says "drones"
    assert NILE_SLUG in slugs(search(api, "negotiator"))  # "negotiators"


def test_quoted_phrase_matches_as_a_phrase(api, archive):
    assert slugs(search(api, '"suicide drones"')) == [SEED_000]
    assert search(api, '"drones suicide"') == []


def test_minus_excludes(api, archive):
    with_ukraine = set(slugs(search(api, "Iran")))
    without = set(slugs(search(api, "Iran -Ukraine")))
    assert {SEED_000, SEED_002} <= with_ukraine
    assert not {SEED_000, SEED_002} & without


def test_author_names_are_searchable(api, archive):
    assert slugs(search(api, "Katzman")) == [SEED_002]
    assert set(slugs(search(api, "Osei"))) == {NILE_SLUG, HORN_SLUG}


def test_a_title_match_ranks_above_a_single_body_mention(api, archive):
    # "Berbera" is in the Horn article's body once; "Nile" is in the Nile article's title.
    article_update(
        article=Article.objects.get(slug=HORN_SLUG),
        body=Article.objects.get(slug=HORN_SLUG).body + "\n\nThe Nile is far from Berbera.",
    )
    ranked = slugs(search(api, "Nile"))
    assert ranked[:2] == [NILE_SLUG, HORN_SLUG]


def test_ranked_by_relevance_unless_ordering_is_given(api, archive):
    relevance = search(api, "Iran")
    by_title = search(api, "Iran", ordering="title")
    assert [r["title"] for r in by_title] == sorted(r["title"] for r in by_title)
    assert set(slugs(by_title)) == set(slugs(relevance))


def test_highlight_marks_the_matched_words(api, archive):
    [result] = search(api, '"suicide drones"')
    assert "<mark>" in result["highlight"]
    marked = result["highlight"].split("<mark>")[1].split("</mark>")[0]
    assert marked.lower() in {"suicide", "drones", "suicide drones"}


def test_search_combines_with_filters(api, archive):
    assert slugs(search(api, "Iran", author="kenneth-katzman")) == [SEED_002]
    assert search(api, "Iran", year=2024) == []


def test_index_follows_edits_authorship_and_deletes(api, archive):
    article = Article.objects.get(slug=NILE_SLUG)
    article_update(article=article, title="Water Diplomacy Zanzibarquest")
    assert slugs(search(api, "Zanzibarquest")) == [NILE_SLUG]

    author = Author.objects.create(name="Quillon Vexmoor", slug="quillon-vexmoor")
    authorships_replace(article=article, authors=[author])
    assert slugs(search(api, "Vexmoor")) == [NILE_SLUG]
    assert NILE_SLUG not in slugs(search(api, "Warsame"))

    author.name = "Quillon Brightwater"
    author.save()
    assert slugs(search(api, "Brightwater")) == [NILE_SLUG]

    article.delete()
    assert search(api, "Zanzibarquest") == []


def test_reimport_of_a_changed_file_reindexes(api, db, copy_source):
    path = copy_source(NILE)
    call_command("import_articles", str(path), verbosity=0)
    path.write_text(path.read_text().replace("reservoir", "impoundment"))
    call_command("import_articles", str(path), verbosity=0)
    assert slugs(search(api, "impoundment")) == [NILE_SLUG]
    assert search(api, "reservoir") == []


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "iran*",
        "title:iran",
        "NEAR(iran russia)",
        "iran OR",
        "AND",
        "^x",
        "a" * 150,
        "iran)",
        "(",
        "'",
        "%",
        "\\",
        "-",
        "--iran",
        "iran -",
    ],
)
def test_hostile_queries_never_500(api, archive, q):
    response = api.get(LIST, {"q": q})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "q" in response.json()


def test_only_exclusions_is_400(api, archive):
    response = api.get(LIST, {"q": "-iran"})
    assert response.status_code == 400
    assert "q" in response.json()


def test_facets_take_the_search_too(api, archive):
    facets = api.get("/api/v1/articles/facets/", {"q": "Katzman"}).json()
    assert facets["count"] == 1
    assert facets["author"] == [{"slug": "kenneth-katzman", "name": "Kenneth Katzman", "count": 1}]


def test_search_list_query_count_is_fixed(api, archive, django_assert_num_queries):
    # The index answers: the last change (is it caught up?), the rows, three relations.
    with django_assert_num_queries(5):
        search(api, "Iran", page_size=1)
    with django_assert_num_queries(5):
        search(api, "Iran", page_size=100)
    # By length, the index too.
    with django_assert_num_queries(5):
        search(api, "Iran", page_size=100, ordering="-word_count")
    # By title, the database's full-text index answers: count, the page, three relations, the
    # page's texts (where its hits are).
    with django_assert_num_queries(6):
        search(api, "Iran", page_size=100, ordering="title")


def test_the_search_index_answers_and_the_database_stands_in_without_it(
    api, archive, settings, tmp_path, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive.reads import index as reads

    def full_text_queries(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            found = search(api, "Iran", **params)
        assert found
        return sum(
            "archive_article_fts" in q["sql"] or "search_vector" in q["sql"] for q in queries
        )

    assert full_text_queries() == 0  # the import built and fed the index
    settings.SEARCH_INDEX_DIR = tmp_path / "no-index-here"
    monkeypatch.setattr(reads, "BUILD_MAX", 0)  # as if too large to build in a request
    assert full_text_queries() > 0  # no index: the database answers, the same articles
    assert not (tmp_path / "no-index-here").exists()


def test_a_stub_is_highlighted_in_its_title(api, archive):
    [stub] = search(api, "Ashura")
    assert stub["is_stub"] is True
    assert "<mark>Ashura</mark>" in stub["highlight"]


def test_a_text_too_long_for_a_passage_is_highlighted_cheaply(api, db):
    """Past SNIPPET_MAX_CHARS the engines' passage finders cost more than the answer is worth
    (10 s for "the" in a 500,000-character text): such a text is highlighted in its title
    (SQLite) or its opening (PostgreSQL), still with the matched word marked."""
    from archive.models import Article
    from archive.search.query import SNIPPET_MAX_CHARS

    body = "The fox crossed. " + "the quick brown dog " * (SNIPPET_MAX_CHARS // 10)
    Article.objects.create(
        title="A Fox Report", slug="fox-report", title_key="a fox report", body=body
    )
    result = api.get("/api/v1/articles/", {"q": "fox"}).json()["results"][0]
    assert result["slug"] == "fox-report"
    assert "<mark>" in result["highlight"] and "fox" in result["highlight"].lower()
    assert len(result["highlight"]) < 1000


@pytest.mark.parametrize("mentions", [1, 3, 6])
def test_the_index_and_the_database_weigh_fields_alike(api, db, settings, mentions):
    """One rule for the fields' weights (search.query.FIELD_WEIGHTS): a word in the title
    outranks it mentioned a few times in a body, whichever engine ranks."""
    publication_body = "A long note about ports, grain and the weather at sea. " * 8
    for slug, title, body in [
        ("in-the-body", "Notes from the coast", publication_body + "Berbera. " * mentions),
        ("in-the-title", "Berbera and the coast", publication_body),
        ("nowhere", "Other notes", publication_body),
    ]:
        Article.objects.create(
            title=title, title_key=slug, slug=slug, body=body, word_count=len(body.split())
        )
    from_index = slugs(search(api, "Berbera"))
    settings.ARTICLE_READER = "database"
    assert slugs(search(api, "Berbera")) == from_index == ["in-the-title", "in-the-body"]


def test_every_engine_weighs_the_fields_by_the_one_rule():
    from archive.reads.index import BOOSTS
    from archive.search import postgres, sqlite
    from archive.search.query import FIELD_WEIGHTS

    title, body = FIELD_WEIGHTS["title"], FIELD_WEIGHTS["body"]
    assert BOOSTS.get("title", 1.0) / BOOSTS.get("body", 1.0) == title / body  # the index
    assert (title, FIELD_WEIGHTS["authors"], body) == sqlite.WEIGHTS
    d, c, b, a = postgres.RANK_WEIGHTS  # ts_rank's order of labels
    assert a / c == title / body and max(postgres.RANK_WEIGHTS) <= 1.0
