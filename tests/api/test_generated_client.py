"""A typed client generated from the live schema with openapi-python-client, as a client
system would build one, calls every list filter (alone and repeated), facets with filters, a
detail and a token-authenticated write; each answer equals the same request made by hand."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from archive.models import Article, Author, Publication, Topic
from tests.conftest import HORN, NILE, SEEDS

# serialized_rollback, as every transactional test here: the next one finds the migrated rows.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PACKAGE = "archive_api_client"
CONFIG = Path(__file__).resolve().parents[2] / "config" / "openapi-python-client.yaml"


@pytest.fixture
def client_package(live_server, tmp_path):
    """The client generated from the schema the live server serves."""
    with urllib.request.urlopen(f"{live_server.url}/api/v1/schema/?format=json") as response:
        schema = tmp_path / "schema.json"
        schema.write_bytes(response.read())
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "openapi-python-client"), "generate",
         "--path", str(schema), "--output-path", str(tmp_path / PACKAGE), "--meta", "none",
         "--config", str(CONFIG)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def by_hand(live_server, path: str, params: list[tuple[str, str]]) -> dict:
    url = f"{live_server.url}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url) as response:
        return json.load(response)


def test_the_generated_client_gets_what_a_hand_made_request_gets(live_server, client_package):
    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)
    from archive_api_client import AuthenticatedClient, Client  # noqa: I001
    from archive_api_client.api.articles import (
        articles_facets_retrieve, articles_list, articles_retrieve,
    )  # fmt: skip
    from archive_api_client.api.topics import topics_create
    from archive_api_client.models import (
        ArticlesListFieldsItem, ArticlesListOmitItem, ArticlesListOrderingItem, TopicRequest,
    )  # fmt: skip
    from archive_api_client.types import UNSET

    client = Client(base_url=live_server.url)
    authors = list(Author.objects.filter(articles__isnull=False).distinct().order_by("pk")[:2])
    topics = list(Topic.objects.filter(articles__isnull=False).distinct().order_by("pk")[:2])
    publication = Publication.objects.first()
    years = sorted({d.year for d in Article.objects.dates("published_on", "year")})
    days = sorted(Article.objects.exclude(published_on=None).values_list("published_on", flat=True))
    since = Article.objects.order_by("-updated_at").values_list("updated_at", flat=True)[2]
    cursor = by_hand(live_server, "/api/v1/articles/", [("page_size", "3")])["next_cursor"]
    # Each call: the client's keyword arguments, and the query string a person would write.
    calls = [
        ({"author": [authors[0].slug]}, [("author", authors[0].slug)]),
        ({"author": [a.slug for a in authors]}, [("author", a.slug) for a in authors]),
        ({"author_id": [a.pk for a in authors]}, [("author_id", str(a.pk)) for a in authors]),
        ({"topic": [t.slug for t in topics]}, [("topic", t.slug) for t in topics]),
        ({"topic_id": [t.pk for t in topics]}, [("topic_id", str(t.pk)) for t in topics]),
        ({"publication": [publication.slug]}, [("publication", publication.slug)]),
        ({"publication_id": [publication.pk]}, [("publication_id", str(publication.pk))]),
        ({"country": ["IR", "EG"]}, [("country", "IR"), ("country", "EG")]),
        ({"tagged_country": ["IR", "ET"]}, [("tagged_country", "IR"), ("tagged_country", "ET")]),
        ({"year": years}, [("year", str(y)) for y in years]),
        ({"published_after": days[-1]}, [("published_after", days[-1].isoformat())]),
        ({"published_before": days[0]}, [("published_before", days[0].isoformat())]),
        ({"is_stub": False}, [("is_stub", "false")]),
        ({"has_date": True}, [("has_date", "true")]),
        ({"updated_since": since}, [("updated_since", since.isoformat())]),
        ({"updated_before": since}, [("updated_before", since.isoformat())]),
        ({"has_author": False}, [("has_author", "false")]),
        ({"has_topic": True}, [("has_topic", "true")]),
        ({"has_country": True}, [("has_country", "true")]),
        ({"has_publication": True}, [("has_publication", "true")]),
        (
            {"ordering": [ArticlesListOrderingItem("-updated_at")]},
            [("ordering", "-updated_at")],
        ),
        ({"q": "Iran"}, [("q", "Iran")]),
        (
            {
                "ordering": [
                    ArticlesListOrderingItem("-word_count"),
                    ArticlesListOrderingItem("title"),
                ]
            },
            [("ordering", "-word_count"), ("ordering", "title")],
        ),
        ({"page": 2, "page_size": 3}, [("page", "2"), ("page_size", "3")]),
        ({"cursor": cursor, "page_size": 3}, [("cursor", cursor), ("page_size", "3")]),
        ({"fields": [ArticlesListFieldsItem("title")]}, [("fields", "title")]),
        (
            {
                "country": ["IR"],
                "min_mentions": 2,
                "ordering": [ArticlesListOrderingItem("-mentions")],
            },
            [("country", "IR"), ("min_mentions", "2"), ("ordering", "-mentions")],
        ),
        (
            {"omit": [ArticlesListOmitItem("countries"), ArticlesListOmitItem("excerpt")]},
            [("omit", "countries"), ("omit", "excerpt")],
        ),
    ]
    assert {name for kwargs, _ in calls for name in kwargs} >= set(
        articles_list._get_kwargs.__kwdefaults__
    )  # every parameter of the operation is exercised
    for kwargs, params in calls:
        response = articles_list.sync_detailed(client=client, **kwargs)
        assert response.status_code == 200, (kwargs, response.content)
        expected = by_hand(live_server, "/api/v1/articles/", params)
        assert json.loads(response.content) == expected, kwargs
        assert response.parsed.count == expected["count"]
        if "page" not in kwargs:
            assert expected["count"] > 0, kwargs  # each call selects something
        if "fields" in kwargs:  # a partial record parses, the fields not asked for unset
            assert response.parsed.results[0].title == expected["results"][0]["title"]
            assert response.parsed.results[0].countries is UNSET

    # A walk by cursor, as a client mirrors the archive: `next_cursor` until there is none.
    walked, cursor = [], UNSET
    while True:
        page = articles_list.sync(client=client, page_size=4, cursor=cursor)
        walked += [item.slug for item in page.results]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    everything = by_hand(live_server, "/api/v1/articles/", [("page_size", "100")])["results"]
    assert walked == [item["slug"] for item in everything] and len(walked) > 4

    facet_kwargs = {"country": ["IR", "EG"], "is_stub": False}
    facets = articles_facets_retrieve.sync_detailed(client=client, **facet_kwargs)
    assert json.loads(facets.content) == by_hand(
        live_server,
        "/api/v1/articles/facets/",
        [("country", "IR"), ("country", "EG"), ("is_stub", "false")],
    )
    matching = Article.objects.filter(is_stub=False, countries__code__in=["IR", "EG"])
    assert facets.parsed.count == matching.distinct().count() > 0

    # The exports, as the client receives them: CSV text, NDJSON bytes a line per article.
    from archive_api_client.api.articles import (  # noqa: I001
        articles_export_csv_retrieve, articles_export_ndjson_retrieve,
    )  # fmt: skip

    listed = by_hand(live_server, "/api/v1/articles/", [("country", "IR"), ("page_size", "100")])
    exported = articles_export_ndjson_retrieve.sync_detailed(client=client, country=["IR"])
    assert exported.status_code == 200, exported.content
    items = [json.loads(line) for line in exported.parsed.decode().splitlines()]
    assert [i["slug"] for i in items] == [i["slug"] for i in listed["results"]]
    table = articles_export_csv_retrieve.sync_detailed(client=client, country=["IR"], body=True)
    rows = list(csv.DictReader(io.StringIO(table.parsed, newline="")))
    assert [r["slug"] for r in rows] == [i["slug"] for i in listed["results"]]
    assert all("body" in r for r in rows) and len(rows) == listed["count"] > 0

    slug = Article.objects.filter(is_stub=False).order_by("pk").first().slug
    detail = articles_retrieve.sync_detailed(client=client, slug=slug)
    assert json.loads(detail.content) == by_hand(live_server, f"/api/v1/articles/{slug}/", [])
    assert detail.parsed.slug == slug

    token = Token.objects.create(user=User.objects.create_superuser("editor")).key
    writer = AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")
    created = topics_create.sync_detailed(client=writer, body=TopicRequest(name="Energy Security"))
    assert created.status_code == 201, created.content
    assert created.parsed.slug == "energy-security"
    assert Topic.objects.filter(slug="energy-security", name="Energy Security").exists()
    refused = topics_create.sync_detailed(client=client, body=TopicRequest(name="Other"))
    assert refused.status_code == 401
