"""One convention for query parameters: a list parameter, repeated or comma-separated, means
any of its values; a single-valued one given twice is a 400 naming it; the schema says which."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import yaml

from archive.filtersets import ArticleFilterSet, takes_many
from archive.models import Article, Author, Publication, Topic

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def keys(api, query: str) -> set[str]:
    response = api.get(f"{LIST}?{query}&page_size=100")
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["results"]}


def candidates(name: str) -> list[str]:
    """Values of a list filter that select some articles."""

    def used(model, field):
        return model.objects.filter(articles__isnull=False).distinct().order_by(field)

    pick = {
        "author": lambda: used(Author, "slug").values_list("slug", flat=True),
        "author_id": lambda: used(Author, "pk").values_list("pk", flat=True),
        "topic": lambda: used(Topic, "slug").values_list("slug", flat=True),
        "topic_id": lambda: used(Topic, "pk").values_list("pk", flat=True),
        "publication": lambda: Publication.objects.order_by("slug").values_list("slug", flat=True),
        "publication_id": lambda: Publication.objects.order_by("pk").values_list("pk", flat=True),
        "country": lambda: ["KZ", "SA"],
        "tagged_country": lambda: ["IR", "EG"],
        "year": lambda: sorted({d.year for d in Article.objects.dates("published_on", "year")}),
    }[name]()
    return [str(v) for v in pick]


LIST_FILTERS = sorted(n for n, f in ArticleFilterSet.base_filters.items() if takes_many(f))


def test_the_list_filters_are_the_ones_tested_here():
    assert LIST_FILTERS == [
        "author", "author_id", "country", "ordering", "publication", "publication_id",
        "tagged_country", "topic", "topic_id", "year",
    ]  # fmt: skip


@pytest.mark.parametrize("name", [n for n in LIST_FILTERS if n != "ordering"])
def test_a_repeated_list_filter_means_any_of_its_values(api, archive, name):
    first, *rest = candidates(name)
    one = keys(api, f"{name}={first}")
    # Another value that selects other articles than the first.
    second, other = next(
        (v, keys(api, f"{name}={v}")) for v in rest if keys(api, f"{name}={v}") - one
    )
    assert one and other - one
    assert keys(api, urlencode([(name, first), (name, second)])) == one | other
    assert keys(api, f"{name}={first},{second}") == one | other


def test_repeated_ordering_keys_sort_by_each_in_turn(api, archive):
    def order(query):
        rows = api.get(f"{LIST}?{query}&page_size=100").json()["results"]
        return [(row["word_count"], row["title"]) for row in rows]

    expected = sorted(order("ordering=title"), key=lambda row: (-row[0], row[1]))
    assert order("ordering=-word_count&ordering=title") == expected
    assert order("ordering=-word_count,title") == expected


SINGLE = ["q", "published_after", "published_before", "is_stub", "has_date", "page", "page_size"]
VALUES = {
    "q": ("iran", "russia"),
    "published_after": ("2023-01-01", "2023-06-01"),
    "published_before": ("2023-01-01", "2023-06-01"),
    "is_stub": ("true", "false"),
    "has_date": ("true", "false"),
    "page": ("1", "2"),
    "page_size": ("1", "2"),
}


@pytest.mark.parametrize(
    ("path", "name"),
    [(LIST, name) for name in SINGLE]
    + [(f"{LIST}facets/", name) for name in SINGLE if not name.startswith("page")],
)
def test_a_repeated_single_valued_parameter_is_a_400_naming_it(api, archive, name, path):
    response = api.get(f"{path}?{urlencode([(name, v) for v in VALUES[name]])}")
    assert response.status_code == 400
    assert response.json() == {name: ["Takes one value; it was given 2 times."]}


@pytest.mark.parametrize("name", ["page", "page_size"])
def test_only_a_paged_list_takes_a_page(api, archive, name):
    slug = Article.objects.order_by("pk").first().slug
    assert api.get(LIST, {name: "1"}).status_code == 200
    for path in (f"{LIST}facets/", f"{LIST}{slug}/", "/api/v1/countries/IR/"):
        response = api.get(path, {name: "1"})  # facets and details have no pages to choose
        assert response.status_code == 400, path
        assert list(response.json()) == [name]
        assert response.json()[name][0].startswith("Unknown parameter")


def test_other_lists_refuse_repeated_pages(api, archive):
    response = api.get("/api/v1/authors/?page=1&page=2")
    assert response.status_code == 400 and "page" in response.json()


def test_too_many_list_values_counted_after_commas(api, archive):
    response = api.get(f"{LIST}?country={','.join(['IR'] * 51)}")
    assert response.json() == {"country": ["At most 50 values, got 51."]}


def test_the_schema_says_which_parameters_take_lists_on_lists_and_facets(api):
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    for path in (LIST, f"{LIST}facets/"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        for name in ArticleFilterSet.base_filters:
            parameter = parameters[name]
            if name in LIST_FILTERS:
                assert parameter["schema"]["type"] == "array", name
                assert (parameter["style"], parameter["explode"]) == ("form", True)
                assert parameter["schema"]["maxItems"] == 50
            else:
                assert parameter["schema"]["type"] != "array", name
                assert "explode" not in parameter
