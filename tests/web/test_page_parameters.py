"""Pages outside the API refuse what they cannot take: unknown query parameters are a 400
naming them, `format` on a file route is a 400, and OPTIONS on the docs is no 500."""

from __future__ import annotations

import pytest

from archive.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def landing(imported_seeds) -> str:
    return f"/articles/{Article.objects.filter(is_stub=False).first().slug}/"


@pytest.mark.parametrize(
    "path", ["/", "LANDING", "/sitemap.xml", "/sitemap-articles.xml", "/healthz"]
)
def test_an_unknown_parameter_is_a_400_naming_it(client, landing, path):
    path = landing if path == "LANDING" else path
    assert client.get(path).status_code == 200
    answer = client.get(path, {"utm_source": "x"})
    assert answer.status_code == 400
    assert "'utm_source'" in answer.content.decode()
    assert answer["Content-Type"].startswith("text/plain")


def test_a_sitemap_section_takes_its_page(client, imported_seeds):
    assert client.get("/sitemap-articles.xml", {"p": "1"}).status_code == 200


@pytest.mark.parametrize("route", ["export.csv", "export.ris", "crosstab.csv", "bibliography.txt"])
def test_a_file_route_does_not_take_format(api, imported_seeds, route):
    params = {"rows": "country", "cols": "year"} if route == "crosstab.csv" else {}
    answer = api.get(f"/api/v1/articles/{route}", {**params, "format": "xml"})
    assert answer.status_code == 400, answer.content
    assert "format" in answer.json()


def test_options_on_the_docs_is_no_server_error(api):
    assert api.options("/api/v1/docs/").status_code == 405
    assert api.options("/api/v1/articles/").status_code == 200
