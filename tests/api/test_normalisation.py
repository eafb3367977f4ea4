"""Names, slugs and queries are NFKC-normalised wherever they come in: full-width `Ｉran` is
`Iran` in a search, a filter, a write and an imported page."""

from __future__ import annotations

import pytest

from archive.importer.records import AuthorRecord, PublicationRecord
from archive.models import Topic

pytestmark = pytest.mark.django_db
LIST = "/api/v1/articles/"


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


def test_full_width_search_finds_what_ascii_finds(api, imported_seeds):
    assert slugs(api.get(LIST, {"q": "Ｉｒａｎ"})) == slugs(api.get(LIST, {"q": "Iran"}))
    assert slugs(api.get(LIST, {"q": "Iran"}))


def test_full_width_filters_mean_the_same_records(api, imported_seeds):
    assert slugs(api.get(LIST, {"country": "ＩＲ"})) == slugs(api.get(LIST, {"country": "IR"}))
    assert slugs(api.get(LIST, {"author": "ｇｉｏｒｇｉｏ-ｃａｆｉｅｒｏ"})) == slugs(
        api.get(LIST, {"author": "giorgio-cafiero"})
    )


def test_names_and_slugs_written_in_full_width_are_stored_in_nfkc(imported_seeds, editor):
    client = editor
    response = client.post("/api/v1/topics/", {"name": "Ｅｎｅｒｇｙ Security"}, format="json")
    assert response.status_code == 201
    assert Topic.objects.get(slug="energy-security").name == "Energy Security"
    again = client.post("/api/v1/topics/", {"name": "Energy Security"}, format="json")
    assert again.status_code == 409  # the same name, however it was typed
    article = client.post(
        LIST, {"title": "A piece", "topics": ["ｅｎｅｒｇｙ-ｓｅｃｕｒｉｔｙ"]}, format="json"
    )
    assert article.status_code == 201, article.json()
    assert [t["slug"] for t in article.json()["topics"]] == ["energy-security"]


def test_imported_names_are_nfkc():
    assert AuthorRecord(name="Ｉnès Ｄupont", honorific="Ｄr.").name == "Inès Dupont"
    assert AuthorRecord(name="X", honorific="Ｄr.").honorific == "Dr."
    assert PublicationRecord(name="Ｇulf Forum", acronym="ＧＦ").acronym == "GF"
