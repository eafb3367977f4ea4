"""The articles endpoints through APIClient: shapes, filters, pagination, refusals."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from archive.models import Article
from tests.conftest import HORN, NILE

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
SEED_002_SLUG = "irans-military-alignment-with-russia-increases-the-wests-distrust"


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["results"]}


def test_list_has_the_two_articles_and_seven_stubs(api, imported_seeds):
    body = api.get(LIST).json()
    assert body["count"] == 9
    assert sum(not item["is_stub"] for item in body["results"]) == 2
    assert set(body) == {"count", "next", "previous", "next_cursor", "results"}


def test_list_item_is_compact(api, imported_seeds):
    item = next(i for i in api.get(LIST).json()["results"] if i["slug"] == SEED_002_SLUG)
    assert set(item) == {
        "slug",
        "url",
        "title",
        "publication",
        "published_on",
        "date_source",
        "content_type",
        "is_stub",
        "word_count",
        "authors",
        "topics",
        "countries",
        "excerpt",
        "highlight",
        "hits",
    }
    assert item["highlight"] is item["hits"] is None  # only a search (q=) has them
    assert item["url"] == f"http://testserver{LIST}{SEED_002_SLUG}/"


def test_detail_has_spec_fields_and_values(api, imported_seeds):
    body = api.get(f"{LIST}{SEED_002_SLUG}/").json()
    assert body["title"] == "Iran’s Military Alignment with Russia Increases the West’s Distrust"
    assert body["publication"] == {
        "slug": "gulf-international-forum",
        "name": "Gulf International Forum",
        "acronym": "GIF",
    }
    assert (body["published_on"], body["date_source"]) == (None, "unknown")
    assert (body["content_type"], body["is_stub"]) == ("commentary", False)
    assert body["authors"] == [
        {"slug": "kenneth-katzman", "name": "Kenneth Katzman", "honorific": "Dr."}
    ]
    assert body["topics"] == [{"slug": "us-gulf-policy", "name": "U.S. – Gulf Policy"}]
    countries = {c["code"]: c for c in body["countries"]}
    assert countries["IR"]["tagged"] is True and countries["IR"]["mentions"] > 0
    assert countries["RU"]["tagged"] is False and countries["RU"]["name"] == "Russia"
    assert body["countries"][0]["code"] == "IR"  # tagged first, then by mentions
    assert body["lead"].startswith("Since the Islamic Republic’s formation in 1979")
    assert body["sections"] == [
        "Iran Deepens its Alliance with Russia",
        "The West Responds to Iran",
        "Unsuccessful Damage Control",
    ]
    assert len(body["related"]) == 7
    assert body["related"][0] == {
        "slug": "the-us-iran-prisoner-swap-unraveling-impacts-on-gulf-security-and-oil-dynamics",
        "title": (
            "The U.S.-Iran Prisoner Swap: Unraveling Impacts on Gulf Security and Oil Dynamics"
        ),
        "published_on": "2023-09-21",
        "is_stub": True,
    }
    assert body["source"]["name"] == "002_e62bf4f80456f64a"
    assert len(body["source"]["sha256"]) == 64
    assert body["word_count"] == len(body["body"].split())


def test_unknown_slug_is_404(api, db):
    assert api.get(f"{LIST}no-such-article/").status_code == 404


def test_country_filter_is_case_insensitive_tagged_or_mentioned(api, imported_seeds):
    both = {SEED_002_SLUG, "irans-indispensable-role-for-russia-in-the-ukraine-war"}
    found = slugs(api.get(LIST, {"country": "ir"}))
    assert both <= found  # 000 only mentions Iran, 002 is tagged with it
    assert slugs(api.get(LIST, {"country": "KZ"})) == {
        "irans-indispensable-role-for-russia-in-the-ukraine-war"
    }


def test_repeated_country_means_any_of_them(api, imported_seeds):
    assert slugs(api.get(f"{LIST}?country=KZ&country=SA")) == {
        "irans-indispensable-role-for-russia-in-the-ukraine-war",
        SEED_002_SLUG,
    }


def test_tagged_country_needs_the_country_line(api, imported_seeds):
    found = slugs(api.get(LIST, {"tagged_country": "ir", "is_stub": "false"}))
    assert found == {SEED_002_SLUG}


def test_topic_filter(api, imported_seeds):
    assert slugs(api.get(LIST, {"topic": "us-gulf-policy"})) == {SEED_002_SLUG}


def test_author_filter(api, imported_seeds):
    assert slugs(api.get(LIST, {"author": "giorgio-cafiero"})) == {
        "irans-indispensable-role-for-russia-in-the-ukraine-war"
    }


def test_publication_filter(api, imported_seeds):
    assert api.get(LIST, {"publication": "gulf-international-forum"}).json()["count"] == 9


def test_is_stub_and_has_date(api, imported_seeds):
    assert api.get(LIST, {"is_stub": "true"}).json()["count"] == 7
    assert api.get(LIST, {"is_stub": "false"}).json()["count"] == 2
    assert api.get(LIST, {"has_date": "true"}).json()["count"] == 3  # the card-dated stubs
    assert api.get(LIST, {"has_date": "false"}).json()["count"] == 6


def test_date_filters(api, imported_seeds):
    assert api.get(LIST, {"year": 2023}).json()["count"] == 3
    after = slugs(api.get(LIST, {"published_after": "2023-09-10"}))
    assert len(after) == 2
    before = slugs(api.get(LIST, {"published_before": "2023-09-10"}))
    assert before == {"brics-membership-gulf-states-strategic-pivot-in-shifting-global-dynamics"}


def test_filters_compose(api, imported_seeds):
    params = {"country": "ir", "is_stub": "false", "author": "kenneth-katzman"}
    assert slugs(api.get(LIST, params)) == {SEED_002_SLUG}
    assert slugs(api.get(LIST, {**params, "year": 2023})) == set()


def test_ordering(api, imported_seeds):
    results = api.get(LIST, {"ordering": "-word_count"}).json()["results"]
    counts = [item["word_count"] for item in results]
    assert counts == sorted(counts, reverse=True)
    titles = [i["title"] for i in api.get(LIST, {"ordering": "title"}).json()["results"]]
    assert titles == sorted(titles)


@pytest.mark.parametrize(
    "params",
    [
        {"country": "zz"},
        {"topic": "no-such-topic"},
        {"published_after": "yesterday"},
        {"year": "twenty"},
        {"year": "99999999999999999999999"},
        {"is_stub": "maybe"},
        {"ordering": "body"},
    ],
)
def test_bad_filter_values_are_400_with_the_field(api, imported_seeds, params):
    response = api.get(LIST, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_pagination(api, imported_seeds):
    first = api.get(LIST, {"page_size": 4}).json()
    assert len(first["results"]) == 4 and first["previous"] is None and first["next"]
    last = api.get(LIST, {"page_size": 4, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None


def test_page_size_over_the_cap_is_refused_not_clamped(api, db):
    call_command("import_articles", str(NILE), str(HORN), verbosity=0)
    assert api.get(LIST, {"page_size": 100}).status_code == 200
    response = api.get(LIST, {"page_size": 101})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_anonymous_writes_are_refused(api, imported_seeds):
    before = Article.objects.count()
    assert api.post(LIST, {"title": "x"}, format="json").status_code == 401
    assert api.delete(f"{LIST}{SEED_002_SLUG}/").status_code == 401
    assert api.patch(f"{LIST}{SEED_002_SLUG}/", {"title": "x"}, format="json").status_code == 401
    assert Article.objects.count() == before


def test_list_query_count_does_not_grow_with_the_page(
    api, imported_seeds, django_assert_num_queries
):
    # the index's state (the index answers count and page), the rows, authorships, topics,
    # countries
    with django_assert_num_queries(5):
        assert len(api.get(LIST, {"page_size": 1}).json()["results"]) == 1
    with django_assert_num_queries(5):
        assert len(api.get(LIST, {"page_size": 100}).json()["results"]) == 9


def test_detail_query_count(api, imported_seeds, django_assert_num_queries):
    # row, authorships, topics, countries, related, near duplicates
    with django_assert_num_queries(6):
        api.get(f"{LIST}{SEED_002_SLUG}/")


def test_an_articles_countries_follow_the_country_line_then_the_most_named(api, source_dir):
    """rules.country_links is the one order of an article's countries: the tagged in the
    order of its Country: line, then those only named, most named first (code on a tie)."""
    from archive.models import ArticleCountry

    page = NILE.read_text().replace(
        "Country: Egypt, Ethiopia, Sudan", "Country: Sudan, Egypt, Ethiopia"
    )
    (source_dir / NILE.name).write_text(page)
    call_command("import_articles", str(source_dir), verbosity=0)
    article = Article.objects.get(source_name=NILE.stem)
    named = ArticleCountry.objects.filter(article=article, tagged=False)
    expected = ["SD", "EG", "ET"] + [
        row.country.code for row in sorted(named, key=lambda r: (-r.mentions, r.country.code))
    ]
    assert len(expected) > 3  # the page names countries it is not tagged with
    detail = api.get(f"/api/v1/articles/{article.slug}/").json()
    assert [c["code"] for c in detail["countries"]] == expected
    listed = api.get("/api/v1/articles/", {"country": "SD"}).json()["results"]
    assert [c["code"] for c in listed[0]["countries"]] == expected
    rows = ArticleCountry.objects.filter(article=article).select_related("country")
    assert [row.country.code for row in rows] == expected  # the model's own order
