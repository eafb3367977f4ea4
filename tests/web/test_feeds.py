"""Atom feeds (archive/web/feeds.py) read by feedparser, a real feed client (no `bozo`), and
validated against RFC 4287's RELAX NG schema with jing: the list's articles for each filter,
newest first, paged by `next` links, with ids that survive a curator's edits."""

from __future__ import annotations

import subprocess
from pathlib import Path

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Article
from archive.web import feeds

from ..api.test_exports import list_items

pytestmark = pytest.mark.django_db

FEED = "/feeds/articles.atom"
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "atom.rnc"
QUERIES = [{}, {"country": "IR"}, {"topic": "us-gulf-policy"}, {"author": "giorgio-cafiero"},
           {"q": "iran"}, {"year": "2023"}]  # fmt: skip
# A feed is newest first and carries only articles with their own text (no stubs).
NEWEST_FIRST = {"ordering": "-published_on", "is_stub": "false"}


def fetched(client, params: dict) -> tuple[bytes, feedparser.FeedParserDict]:
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response.content, parsed


def slug_of(entry) -> str:
    return entry.link.rstrip("/").rsplit("/", 1)[1]


def valid(debian_tool, tmp_path, document: bytes) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(document)
    jing = debian_tool("jing", "jing")
    result = subprocess.run([jing, "-c", str(SCHEMA), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("params", QUERIES)
def test_a_feed_holds_the_lists_articles_newest_first(
    client, api, imported_seeds, debian_tool, tmp_path, params
):
    document, parsed = fetched(client, params)
    expected = list_items(api, {**params, **NEWEST_FIRST})
    assert [slug_of(entry) for entry in parsed.entries] == [item["slug"] for item in expected]
    for entry, item in zip(parsed.entries, expected, strict=True):
        assert entry.title == item["title"]
        assert [a.name for a in entry.get("authors", [])] == [a["name"] for a in item["authors"]]
        if item["published_on"]:
            assert entry.published.startswith(item["published_on"])
        assert entry.summary == item["excerpt"]
        assert entry.id.startswith("urn:uuid:")
        terms = [(tag.scheme, tag.term, tag.label) for tag in entry.get("tags", [])]
        assert terms == [
            ("http://testserver/api/v1/topics/", t["slug"], t["name"]) for t in item["topics"]
        ] + [(feeds.ISO_3166, c["code"], c["name"]) for c in item["countries"]]
        # RFC 4287's Schematron rules, which RELAX NG cannot check: an alternate link each,
        # and an author for each entry (its own or the feed's).
        assert any(link.rel == "alternate" for link in entry.links)
    assert parsed.feed.author == "Commentary Archive"
    assert {link.rel: link.href for link in parsed.feed.links}["self"].endswith(
        FEED + ("?" if params else "")
        + "&".join(f"{k}={v}" for k, v in params.items())
    )  # fmt: skip
    valid(debian_tool, tmp_path, document)


@pytest.mark.parametrize("params", QUERIES)
def test_the_database_answers_alike_when_the_index_does_not(
    client, imported_seeds, settings, params
):
    _, from_index = fetched(client, params)
    settings.ARTICLE_READER = "database"
    _, from_database = fetched(client, params)
    assert [e.id for e in from_database.entries] == [e.id for e in from_index.entries]


def test_pages_follow_next_links_through_the_whole_result(
    client, api, imported_seeds, debian_tool, tmp_path, monkeypatch
):
    monkeypatch.setattr(feeds, "PAGE_SIZE", 2)
    seen, url, pages = [], f"{FEED}?country=IR", 0
    ids = set()
    while url:
        document, parsed = _get(client, url)
        valid(debian_tool, tmp_path, document)
        links = {link.rel: link.href for link in parsed.feed.links}
        assert parsed.feed.id.endswith(f"{FEED}?country=IR")  # one feed, whatever the page
        assert ("previous" in links) == (pages > 0)
        seen += [slug_of(entry) for entry in parsed.entries]
        ids |= {entry.id for entry in parsed.entries}
        url = links.get("next", "").removeprefix("http://testserver")
        pages += 1
    expected = [i["slug"] for i in list_items(api, {"country": "IR", **NEWEST_FIRST})]
    assert seen == expected and pages == -(-len(expected) // 2)
    assert len(ids) == len(expected)


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    return response.content, parsed


def test_an_entrys_id_survives_a_new_title_and_slug(client, imported_seeds):
    _, before = fetched(client, {})
    article = Article.objects.get(slug=slug_of(before.entries[0]))
    article.title, article.slug = "Retitled", "retitled"
    article.save()
    _, after = fetched(client, {})
    assert after.entries[0].id == before.entries[0].id
    assert slug_of(after.entries[0]) == "retitled"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"ordering": "title"}, "ordering"), ({"page": "0"}, "page"), ({"page": "x"}, "page"),
     ({"country": "ZZ"}, "country"), ({"format": "json"}, "format"), ({"colour": "red"}, "colour"),
     ({"year": "soon"}, "year")],
)  # fmt: skip
def test_bad_parameters_are_refused_by_name(client, imported_seeds, params, field):
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("params", "count"),
    # The index's state, the page's rows, authors, topics and countries, the times; a filter
    # naming a record reads it once to check it.
    [({}, 6), ({"country": "IR"}, 7), ({"country": "IR", "page": "2"}, 7)],
)
def test_a_feed_page_reads_a_fixed_number_of_queries(
    client, imported_seeds, monkeypatch, params, count
):
    monkeypatch.setattr(feeds, "PAGE_SIZE", 1)  # the seeds' two articles: two pages
    with CaptureQueriesContext(connection) as queries:
        fetched(client, params)
    assert len(queries) == count, [q["sql"] for q in queries]


def test_a_feed_carries_no_stub_as_oai_and_the_sitemap_do_not(client, imported_seeds):
    _, parsed = fetched(client, {})
    published = set(Article.objects.filter(is_stub=False).values_list("slug", flat=True))
    assert {slug_of(entry) for entry in parsed.entries} == published
    assert Article.objects.filter(is_stub=True).exists()
    answer = client.get(FEED, {"is_stub": "true"})
    assert answer.status_code == 400
    assert "is_stub" in answer.json()
