"""Citations (archive/citations.py, the article routes in archive/api/urls.py): every exported
entry is read back by the standard's own reader (pybtex for BibTeX, rispy for RIS) and the
CSL-JSON is rendered by citeproc-py in each shipped style; the values are the list's."""

from __future__ import annotations

import codecs
import json
from datetime import date

import latexcodec  # noqa: F401 (registers the "ulatex" codec pybtex writes with)
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_string

from archive import citations
from archive.models import Article, Author, Authorship, Publication

from .test_exports import LIST, list_items

pytestmark = pytest.mark.django_db

QUERIES = [{}, {"country": "IR"}, {"q": "iran"}, {"ordering": "title"}]
HOSTILE_TITLE = 'Iran & Iraq: 50% of {the} #1 "oil_deal" — Inès\'s \\view <b>'

NAMES = ["Ahmed al-Marri", "Ludwig van der Berg", "Seán O'Neill-Smith"]


def exported(api, file_format: str, params: dict) -> str:
    response = api.get(f"{LIST}export.{file_format}", params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def in_order(slugs: list[str], items: list[dict], params: dict) -> bool:
    """The list's articles in the list's order, with `q` too."""
    return slugs == [item["slug"] for item in items]


def page_url(slug: str) -> str:
    return f"http://testserver/articles/{slug}/"


def latex_free(value: str) -> str:
    """A BibTeX field as text: LaTeX decoded, with the three literals latexcodec does not know
    held apart (as private-use characters) while it decodes."""
    commands = citations.BIBTEX_LITERALS.values()
    held = {command: chr(0xE000 + n) for n, command in enumerate(commands)}
    for command, mark in held.items():
        value = value.replace(command, mark)
    value = codecs.decode(value, "ulatex")
    for character, command in citations.BIBTEX_LITERALS.items():
        value = value.replace(held[command], character)
    return value


@pytest.fixture
def hostile_article(imported_seeds):
    """An article whose title and authors' names test every writer's escaping and splitting."""
    publication = Publication.objects.get()
    article = Article.objects.create(
        title=HOSTILE_TITLE, slug="hostile", publication=publication,
        published_on=date(2024, 5, 3), date_source="curator", excerpt="Line one.\nLine two.",
    )  # fmt: skip
    for position, name in enumerate(NAMES):
        author = Author.objects.create(name=name, slug=f"author-{position}")
        Authorship.objects.create(article=article, author=author, position=position)
    return article


@pytest.mark.parametrize("params", QUERIES)
def test_bibtex_parses_back_to_the_lists_articles(api, hostile_article, params):
    items = list_items(api, params)
    entries = parse_string(exported(api, "bib", params), "bibtex").entries
    assert in_order(list(entries), items, params)
    for item in items:
        entry = entries[item["slug"]]
        assert latex_free(entry.fields["title"]) == item["title"]
        assert entry.fields["url"] == page_url(item["slug"])
        names = [str(person).strip("{}") for person in entry.persons.get("author", [])]
        assert names == _cited_names(item)
        if item["published_on"]:
            assert entry.fields["date"] == item["published_on"]
            assert entry.fields["year"] == item["published_on"][:4]
        else:
            assert "date" not in entry.fields and "year" not in entry.fields


def _cited_names(item: dict) -> list[str]:
    """The authors as "von Last, First" (how pybtex prints a name and RIS writes it); with no
    byline, the publication as a group author."""
    if not item["authors"]:
        return [item["publication"]["name"]]
    return [
        f"{rest}, {given}"
        for given, _, rest in (author["name"].partition(" ") for author in item["authors"])
    ]


@pytest.mark.parametrize("params", QUERIES)
def test_ris_parses_back_to_the_lists_articles(api, hostile_article, params):
    items = list_items(api, params)
    records = rispy.loads(exported(api, "ris", params))
    assert in_order([record["id"] for record in records], items, params)
    by_slug = {record["id"]: record for record in records}
    for item in items:
        record = by_slug[item["slug"]]
        assert record["type_of_reference"] == "ELEC"
        assert record["title"] == item["title"]
        assert record["urls"] == [page_url(item["slug"])]
        assert record["authors"] == _cited_names(item)
        assert record.get("secondary_title") == item["publication"]["name"]
        if item["excerpt"]:
            assert record["abstract"] == " ".join(item["excerpt"].split())


@pytest.mark.parametrize("style", citations.STYLES)
def test_csl_json_renders_with_citeproc_in_every_shipped_style(api, hostile_article, style):
    items = json.loads(exported(api, "csl.json", {}))
    assert [item["id"] for item in items] == [item["slug"] for item in list_items(api, {})]
    rendered = CitationStylesBibliography(
        citations.style(style), CiteProcJSON(items), formatter.plain
    )
    for item in items:
        rendered.register(Citation([CitationItem(item["id"])]))
    entries = [str(entry) for entry in rendered.bibliography()]
    assert len(entries) == len(items)
    hostile = next(entry for entry in entries if "Marri" in entry)
    assert "al-Marri" in hostile and "Berg" in hostile and "2024" in hostile
    assert page_url("hostile") in hostile


def test_names_are_split_with_their_particles():
    assert citations.csl_name("Ahmed al-Marri") == {"family": "al-Marri", "given": "Ahmed"}
    assert citations.csl_name("Ludwig van der Berg") == {
        "family": "Berg", "given": "Ludwig", "non-dropping-particle": "van der"
    }  # fmt: skip
    assert citations.csl_name("Reuters") == {"literal": "Reuters"}


@pytest.mark.parametrize("style", citations.STYLES)
def test_a_bibliography_formats_the_matching_articles(api, hostile_article, style):
    items = list_items(api, {"country": "IR"})
    response = api.get(f"{LIST}bibliography.txt", {"country": "IR", "style": style})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert len(lines) == len(items)
    for item in items:
        assert any(page_url(item["slug"]) in line for line in lines)
    html = api.get(f"{LIST}bibliography.html", {"style": style})
    assert html.status_code == 200
    assert html.content.decode().count('<div class="csl-entry">') == len(list_items(api, {}))
    escaped = "Iran &amp; Iraq: 50% of {the} #1 &quot;oil_deal&quot;"
    assert escaped in html.content.decode()  # the hostile title, as text


def test_a_bibliography_past_its_cap_is_refused_with_the_count(api, imported_seeds, monkeypatch):
    monkeypatch.setattr("archive.api.files.BIBLIOGRAPHY_MAX", 3)
    count = len(list_items(api, {}))
    response = api.get(f"{LIST}bibliography.txt")
    assert response.status_code == 400
    assert response.json() == {"detail": response.json()["detail"]}  # the API's shape
    assert f"matches {count} articles" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        (f"{LIST}bibliography.txt", {"style": "mla"}, "style"),
        (f"{LIST}bibliography.html", {"body": "true"}, "body"),
        (f"{LIST}export.bib", {"style": "apa"}, "style"),
        (f"{LIST}export.ris", {"body": "true"}, "body"),
        (f"{LIST}export.csl.json", {"country": "ZZ"}, "country"),
    ],
)
def test_bad_parameters_are_refused_by_name(api, imported_seeds, path, params, field):
    response = api.get(path, params, HTTP_ACCEPT="application/x-bibtex")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_one_articles_citation_in_every_format(api, hostile_article):
    base = f"{LIST}hostile/citation"
    bib = api.get(f"{base}.bib")
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    [entry] = parse_string(bib.content.decode(), "bibtex").entries.values()
    assert latex_free(entry.fields["title"]) == HOSTILE_TITLE
    [record] = rispy.loads(api.get(f"{base}.ris").content.decode())
    assert record["title"] == HOSTILE_TITLE
    [item] = json.loads(api.get(f"{base}.csl.json").content)
    assert item["author"][1] == {
        "family": "Berg", "given": "Ludwig", "non-dropping-particle": "van der"
    }  # fmt: skip
    assert api.get(f"{base}.pdf").status_code == 404
    assert api.get(f"{base}.bib", {"style": "apa"}).status_code == 400  # a style formats text
    assert api.get(f"{LIST}missing/citation.bib").status_code == 404


def test_one_articles_reference_in_a_style(api, hostile_article):
    base = f"{LIST}hostile/bibliography"
    text = api.get(f"{base}.txt", {"style": "harvard-cite-them-right"})
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text.content.decode().startswith("al-Marri, A., van der Berg, L. and O'Neill-Smith")
    html = api.get(f"{base}.html").content.decode()  # APA by default
    assert html.count('<div class="csl-entry">') == 1 and "(2024, May 3)" in html
    assert api.get(f"{base}.txt", {"style": "mla"}).status_code == 400
    assert api.get(f"{base}.bib").status_code == 404
    assert api.get(f"{LIST}missing/bibliography.txt").status_code == 404
