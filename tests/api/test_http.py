"""HTTP behaviour: caching, CORS, throttling, schema and docs, hostile input."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
DETAIL = "/api/v1/articles/irans-indispensable-role-for-russia-in-the-ukraine-war/"


@pytest.mark.parametrize("path", [LIST, DETAIL, "/api/v1/countries/", "/api/v1/articles/facets/"])
def test_etag_and_if_none_match_gives_304(api, imported_seeds, path):
    first = api.get(path)
    assert first.status_code == 200 and first["ETag"]
    again = api.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert api.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_etag_changes_when_the_data_does(api, imported_seeds):
    from archive.models import Article

    before = api.get(DETAIL)["ETag"]
    Article.objects.filter(slug=DETAIL.split("/")[-2]).update(title="Changed")
    assert api.get(DETAIL)["ETag"] != before


def test_public_reads_are_cacheable_and_authenticated_ones_private(api, imported_seeds):
    from django.contrib.auth.models import User

    response = api.get(LIST)
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]
    api.force_authenticate(User.objects.create_user("reader"))
    assert "private" in api.get(LIST)["Cache-Control"]


def test_cors_allows_reads_from_any_origin(api, db):
    response = api.get(LIST, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        LIST, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")


@pytest.fixture
def anon_rate(monkeypatch):
    from archive.api.throttles import ClientRateThrottle

    monkeypatch.setattr(
        ClientRateThrottle,
        "THROTTLE_RATES",
        {**ClientRateThrottle.THROTTLE_RATES, "anon": "2/minute"},
    )


def test_anonymous_clients_are_throttled_per_address_behind_one_proxy(db, monkeypatch, anon_rate):
    from rest_framework.settings import api_settings

    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    client = APIClient()
    one = {"HTTP_X_FORWARDED_FOR": "203.0.113.1", "REMOTE_ADDR": "127.0.0.1"}
    two = {"HTTP_X_FORWARDED_FOR": "203.0.113.2", "REMOTE_ADDR": "127.0.0.1"}
    assert [client.get(LIST, **one).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(LIST, **two).status_code == 200  # another client behind the same proxy


def test_with_no_proxy_configured_a_forged_forwarded_for_changes_nothing(db, anon_rate):
    """The default: X-Forwarded-For is anyone's to write, so the socket's address counts."""
    client = APIClient()
    statuses = [
        client.get(
            LIST, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}", REMOTE_ADDR="192.0.2.5"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 429, 429, 429]
    assert client.get(LIST, REMOTE_ADDR="192.0.2.6").status_code == 200


def test_token_guessing_is_limited_per_address(db, settings):
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from archive.api.throttles import AuthFailureThrottle

    limit = AuthFailureThrottle().num_requests
    good = Token.objects.create(user=User.objects.create_user("editor")).key
    client = APIClient()
    guesses = [
        client.get(LIST, HTTP_AUTHORIZATION=f"Token {n:040x}", REMOTE_ADDR="192.0.2.5").status_code
        for n in range(limit + 3)
    ]
    assert guesses == [401] * limit + [429] * 3
    # Past the limit even the right token is not checked from that address …
    blocked = client.get(LIST, HTTP_AUTHORIZATION=f"Token {good}", REMOTE_ADDR="192.0.2.5")
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    # … while another address is served, and anonymous reads from the first still are.
    assert (
        client.get(LIST, HTTP_AUTHORIZATION=f"Token {good}", REMOTE_ADDR="192.0.2.6").status_code
        == 200
    )
    assert client.get(LIST, REMOTE_ADDR="192.0.2.5").status_code == 200


def test_schema_is_openapi_3_and_lists_every_route(api, db):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/articles/facets/",
        "/api/v1/authors/",
        "/api/v1/topics/",
        "/api/v1/publications/",
        "/api/v1/countries/",
        "/api/v1/countries/{code}/",
    } <= set(schema["paths"])
    article_list = schema["paths"]["/api/v1/articles/"]["get"]
    params = {p["name"] for p in article_list["parameters"]}
    assert {
        "author",
        "topic",
        "country",
        "tagged_country",
        "year",
        "page_size",
        "ordering",
    } <= params
    assert {"200", "400", "404"} <= set(article_list["responses"])


def test_docs_are_served_from_the_app_itself(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"topic": "\x00"}, "topic"),
        ({"author": "a\x00b"}, "author"),
        ({"year": str(2**70)}, "year"),
        ({"author_id": str(2**64)}, "author_id"),
        ({"author_id": "-1"}, "author_id"),
        ({"country": ["IR"] * 51}, "country"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "abc"}, "page_size"),
        ({"page": "-3"}, "page"),
        ({"page": "x" * 20}, "page"),
        ({"colour": "red"}, "colour"),
        ({"published_before": "2024-13-45"}, "published_before"),
        ({"published_before": ""}, "published_before"),
    ],
)
def test_hostile_query_strings_are_400_with_the_field(api, imported_seeds, params, field):
    response = api.get(LIST, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("page", ["99", "834711464408089430581051392"])
def test_page_past_the_end_is_404(api, imported_seeds, page):
    response = api.get(LIST, {"page": page})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_unrouted_api_paths_answer_json_404(api, db):
    response = api.get("/api/v1/articles/not a slug!/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "path", [LIST + "%00/", "/api/v1/countries/%00x/", "/api/v1/authors/a%00/"]
)
def test_nul_in_the_path_is_404(api, db, path):
    assert api.get(path).status_code == 404


def test_id_filters(api, imported_seeds):
    from archive.models import Author

    katzman = Author.objects.get(slug="kenneth-katzman")
    body = api.get(LIST, {"author_id": katzman.pk}).json()
    assert [i["authors"][0]["slug"] for i in body["results"]] == ["kenneth-katzman"]


def test_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/articles/facets/" in target.read_text()


def test_a_cache_that_does_not_answer_lets_reads_through(db, anon_rate, monkeypatch, caplog):
    """The throttle fails open: a Redis outage or a locked cache table slows no reader."""
    from archive.api import throttles

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(throttles.AnonRateThrottle, "cache", type("Down", (), {"get": down})())
    assert APIClient().get(LIST, REMOTE_ADDR="192.0.2.5").status_code == 200
    assert "the cache did not answer" in caplog.text


def test_rates_can_be_switched_off_for_load_tests(monkeypatch):
    from config.settings.base import env_rate

    monkeypatch.setenv("X_RATE", "off")
    assert env_rate("X_RATE", "600/minute") is None
    monkeypatch.setenv("X_RATE", "")
    assert env_rate("X_RATE", "600/minute") == "600/minute"
