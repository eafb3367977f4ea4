"""The HTML pages (archive/web): an article's landing page read as Zotero and search engines
read it (schema.org JSON-LD by extruct, the Highwire meta tags by lxml), the sitemap read as
XML, and the home page."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import extruct
import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.country_ids import wikidata_ids
from archive.models import Article, Country
from archive.web.sitemaps import ArticleSitemap

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def page(client, slug: str) -> tuple[str, str]:
    response = client.get(f"/articles/{slug}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode(), f"http://testserver/articles/{slug}/"


@pytest.fixture
def detail(api, imported_seeds):
    """The API's detail of the full article with the most countries: the page must agree."""
    slug = max(Article.objects.filter(is_stub=False), key=lambda a: a.country_links.count()).slug
    return api.get(f"/api/v1/articles/{slug}/").json()


def test_the_landing_page_carries_the_articles_json_ld(client, detail):
    html, url = page(client, detail["slug"])
    [data] = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
    assert data["@type"] == "AnalysisNewsArticle"
    assert data["@id"] == data["url"] == url
    assert data["headline"] == detail["title"]
    assert data.get("datePublished") == detail["published_on"]
    assert [a["name"] for a in data["author"]] == [a["name"] for a in detail["authors"]]
    assert data["publisher"]["name"] == detail["publication"]["name"]
    codes = [_codes(country) for country in data["spatialCoverage"]]
    assert [alpha2 for alpha2, _ in codes] == [c["code"] for c in detail["countries"]]
    assert all(len(alpha3) == 3 for _, alpha3 in codes)
    tagged = [c["code"] for c in detail["countries"] if c["tagged"]]
    assert [_codes(country)[0] for country in data["about"]] == tagged
    assert data["keywords"] == [topic["name"] for topic in detail["topics"]]
    for country in data["spatialCoverage"]:
        values = {i["propertyID"]: i["value"] for i in country["identifier"]}
        assert country["sameAs"] == f"http://www.wikidata.org/entity/{values['Wikidata']}"


def test_every_country_has_its_wikidata_item():
    table = wikidata_ids()
    codes = set(Country.objects.values_list("code", flat=True))
    assert len(codes) == 249 and codes <= table.keys()
    assert all(re.fullmatch(r"Q[1-9][0-9]*", item) for item in table.values())
    assert len(set(table.values())) == len(table)  # no two countries share an item
    # A few items anyone can check on wikidata.org, the countries of the seed pages among them.
    known = {"US": "Q30", "GB": "Q145", "FR": "Q142", "DE": "Q183", "IR": "Q794", "JP": "Q17"}
    assert {code: table[code] for code in known} == known


def _codes(country: dict) -> tuple[str, str]:
    values = {i["propertyID"]: i["value"] for i in country["identifier"]}
    return values["ISO 3166-1 alpha-2"], values["ISO 3166-1 alpha-3"]


def test_the_landing_page_carries_highwire_tags(client, detail):
    html, url = page(client, detail["slug"])
    # extruct has no Highwire reader (its Dublin Core one keeps only DC names): the tags are
    # read with lxml's HTML parser, which extruct's readers are built on, as Zotero reads them.
    tags = [(m.get("name"), m.get("content")) for m in lxml.html.fromstring(html).iter("meta")]
    assert ("citation_title", detail["title"]) in tags
    authors = [content for name, content in tags if name == "citation_author"]
    assert authors == [a["name"] for a in detail["authors"]]
    assert ("citation_public_url", url) in tags
    assert ("citation_publisher", detail["publication"]["name"]) in tags
    if detail["published_on"]:
        assert ("citation_publication_date", detail["published_on"].replace("-", "/")) in tags


def test_the_landing_page_shows_the_text_and_links_the_related_articles(client, detail):
    html, _ = page(client, detail["slug"])
    for heading in detail["sections"]:
        assert f"<h2>{heading}</h2>" in html.replace("&#x27;", "'").replace("&quot;", '"')
    for related in detail["related"]:
        assert f'href="/articles/{related["slug"]}/"' in html
    assert f'href="/api/v1/articles/{detail["slug"]}/citation.bib"' in html


def test_markup_in_a_title_stays_text_in_the_page_and_its_json_ld(client, detail):
    Article.objects.filter(slug=detail["slug"]).update(title='</script><b>"Bold"</b> & co')
    html, url = page(client, detail["slug"])
    assert "</script><b>" not in html
    [data] = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
    assert data["headline"] == '</script><b>"Bold"</b> & co'


def test_an_unknown_article_is_a_404_page(client, imported_seeds):
    assert client.get("/articles/no-such-article/").status_code == 404


def test_the_landing_page_reads_a_fixed_number_of_queries(client, detail):
    with CaptureQueriesContext(connection) as queries:
        page(client, detail["slug"])
    # The row; authors, topics, countries, cards, near duplicates; the countries' codes.
    assert len(queries) == 7


def sitemap(client) -> tuple[list[str], list[str]]:
    """The sitemap's files, and the pages they list, as a crawler walks them."""
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    files = [e.text.removeprefix("http://testserver") for e in index.iter(f"{SITEMAP}loc")]
    pages = []
    for path in files:
        answer = client.get(path)
        assert answer.status_code == 200  # a block of stubs is an empty file, not an error
        pages += [e.text for e in ElementTree.fromstring(answer.content).iter(f"{SITEMAP}loc")]
    return files, pages


def test_the_sitemap_lists_every_full_article_by_its_page(client, imported_seeds):
    files, pages = sitemap(client)
    assert files[0] == "/sitemap-articles.xml"
    full = Article.objects.filter(is_stub=False).values_list("slug", flat=True)
    assert sorted(pages) == sorted(f"http://testserver/articles/{slug}/" for slug in full)
    assert all(client.get(url).status_code == 200 for url in pages)


def test_the_sitemaps_files_are_blocks_of_ids_that_list_every_article_once(
    client, imported_seeds, monkeypatch
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)  # the seeds' nine articles in five files
    files, pages = sitemap(client)
    ids = Article.objects.order_by("pk").values_list("pk", flat=True)
    assert len(files) == -(-(ids.last() - ids.first() + 1) // 2)  # from the first id, not 1
    full = Article.objects.filter(is_stub=False).values_list("slug", flat=True)
    assert sorted(pages) == sorted(f"http://testserver/articles/{slug}/" for slug in full)


def test_the_home_page_says_what_the_archive_holds(client, imported_seeds):
    html = client.get("/").content.decode()
    full = Article.objects.filter(is_stub=False)
    assert f"<dd>{full.count()}</dd>" in html
    for article in full:
        assert f'href="/articles/{article.slug}/"' in html
    doors = ("/api/v1/docs/", "/api/v1/articles/export.csv", "/api/v1/articles/export.bib",
             "/feeds/articles.atom", "/oai?verb=Identify", "/sitemap.xml")  # fmt: skip
    for door in doors:
        assert f'href="{door}' in html
