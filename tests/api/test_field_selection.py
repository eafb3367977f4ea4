"""`fields=` and `omit=` (archive.api.selection): every list and record answers with the fields
asked for, their values those of the full answer, its key always there; a name it does not
have, both parameters at once, or either where no record is answered, is a 400."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# (list path, the key of its records, two of its fields)
RESOURCES = [
    ("/api/v1/articles/", "slug", ["title", "countries"]),
    ("/api/v1/authors/", "slug", ["name", "article_count"]),
    ("/api/v1/topics/", "slug", ["name", "url"]),
    ("/api/v1/publications/", "slug", ["acronym", "website"]),
    ("/api/v1/countries/", "code", ["alpha3", "article_count"]),
]


def answers(api, path: str, params: dict) -> list[dict]:
    """The records a list or a record answers with."""
    response = api.get(path, params)
    assert response.status_code == 200, response.content
    data = response.json()
    return data.get("results", [data])


def paths(api, path: str, key: str) -> list[str]:
    """The list, and its first record's detail."""
    first = api.get(path, {"page_size": 1}).json()["results"][0]
    return [path, f"{path}{first[key]}/"]


@pytest.mark.parametrize(("path", "key", "chosen"), RESOURCES)
def test_fields_gives_the_key_and_the_fields_asked_for(api, imported_seeds, path, key, chosen):
    for where in paths(api, path, key):
        full = answers(api, where, {})
        for params in ({"fields": ",".join(chosen)}, {"fields": chosen}):
            partial = answers(api, where, params)
            assert [set(item) for item in partial] == [{key, *chosen}] * len(full)
            # in the record's own order, whatever the order asked
            assert partial == [
                {n: v for n, v in item.items() if n in (key, *chosen)} for item in full
            ]


@pytest.mark.parametrize(("path", "key", "chosen"), RESOURCES)
def test_omit_gives_every_field_but_those(api, imported_seeds, path, key, chosen):
    for where in paths(api, path, key):
        full = answers(api, where, {})
        partial = answers(api, where, {"omit": ",".join(chosen)})
        assert partial == [{n: v for n, v in item.items() if n not in chosen} for item in full]


def test_the_detail_offers_its_own_fields(api, imported_seeds):
    slug = api.get("/api/v1/articles/", {"is_stub": "false"}).json()["results"][0]["slug"]
    detail = api.get(f"/api/v1/articles/{slug}/", {"omit": "body,lead,related"}).json()
    assert {"body", "lead", "related"}.isdisjoint(detail) and "sections" in detail
    listed = api.get("/api/v1/articles/", {"fields": "body"})
    assert listed.status_code == 400  # the list has no body
    assert "No field body" in listed.json()["fields"][0]


def test_a_search_selects_fields_too(api, imported_seeds):
    [item, *_] = answers(api, "/api/v1/articles/", {"q": "Iran", "fields": "highlight"})
    assert list(item) == ["slug", "highlight"] and "<mark>" in item["highlight"]


@pytest.mark.parametrize(
    ("path", "params", "parameter", "reason"),
    [
        ("/api/v1/articles/", {"fields": "title,nope"}, "fields", "No field nope"),
        ("/api/v1/authors/", {"omit": "nope"}, "omit", "No field nope"),
        ("/api/v1/articles/", {"fields": "title", "omit": "body"}, "omit", "not both"),
        ("/api/v1/articles/", {"omit": "slug"}, "omit", "always given"),
        ("/api/v1/countries/IR/", {"omit": "code"}, "omit", "always given"),
        ("/api/v1/articles/facets/", {"fields": "title"}, "fields", "Unknown parameter"),
        ("/api/v1/articles/export.csv", {"omit": "title"}, "omit", "Unknown parameter"),
    ],
)
def test_a_selection_it_cannot_make_is_refused(
    api, imported_seeds, path, params, parameter, reason
):
    response = api.get(path, params)
    assert response.status_code == 400, response.content
    assert reason in response.json()[parameter][0]


def test_a_write_does_not_take_a_selection(editor, imported_seeds):
    response = editor.post("/api/v1/topics/?fields=name", {"name": "Water"}, format="json")
    assert response.status_code == 400, response.content
    assert "Unknown parameter" in response.json()["fields"][0]


def test_the_html_page_shows_the_whole_record_and_takes_no_selection(client, imported_seeds):
    """The landing page renders through the API's serializers: a selection is the API's,
    and the page refuses one (400) rather than ignoring it."""
    from archive.models import Article

    slug = Article.objects.filter(is_stub=False).first().slug
    assert client.get(f"/articles/{slug}/", {"fields": "title"}).status_code == 400
    page = client.get(f"/articles/{slug}/")
    assert page.status_code == 200
    assert b"citation_author" in page.content and b"spatialCoverage" in page.content
