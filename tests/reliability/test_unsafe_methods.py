"""No one writes who shouldn't: every unsafe method on every route, anonymous or signed in
without the permission, is refused and changes no row anywhere in the database."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from archive.models import Article, Author, Country, Publication, Topic

pytestmark = pytest.mark.django_db

UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
# Routes where POST is a read by their standard: OAI-PMH takes its request form-encoded in a
# POST as well as in a GET. There a POST is answered, and still changes nothing.
READ_BY_POST = {"/oai"}


def routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route's pattern text outside the admin, e.g. 'api/v1/^articles/(?P<slug>...)/$'."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        text = prefix + str(pattern.pattern)
        if text.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            found.append(text)
    return found


def concrete(route: str, values: dict[str, str]) -> str:
    """A real path for a route pattern, with each named group filled in."""
    import re

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m[1], "x"), route)
    path = (
        path.replace("/?", "/")
        .replace("^", "")
        .replace("$", "")
        .replace("\\.", ".")
        .replace("<drf_format_suffix:format>", "json")
    )
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m[1], "x"), path)
    return "/" + path.replace("//", "/")


def snapshot() -> dict[str, list]:
    tracked = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"archive", "auth", "authtoken"} and m._meta.managed
    ]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in tracked}


@pytest.fixture
def paths(imported_seeds) -> list[str]:
    article = Article.objects.filter(is_stub=False).first()
    values = {
        "slug": article.slug,
        "pk": str(article.pk),
        "format": "json",
    }
    result = sorted({concrete(route, values) for route in routes()})
    # The detail routes of the other resources, with real records.
    result += [
        f"/api/v1/authors/{Author.objects.first().slug}/",
        f"/api/v1/topics/{Topic.objects.first().slug}/",
        f"/api/v1/publications/{Publication.objects.first().slug}/",
        f"/api/v1/countries/{Country.objects.get(code='IR').code}/",
    ]
    return result


def signed_in_without_permission() -> APIClient:
    """Staff, with every view permission and nothing else."""
    user = User.objects.create_user("viewer", password="pw-123456789", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


BODY = {"title": "Overwritten", "name": "Overwritten", "code": "ZZ", "alpha3": "ZZZ"}


@pytest.mark.parametrize("who", ["anonymous", "no permission"])
def test_every_unsafe_method_on_every_route_is_refused_and_changes_nothing(paths, who):
    client = APIClient() if who == "anonymous" else signed_in_without_permission()
    before = snapshot()
    assert len(paths) >= 15
    answers = {}
    for path in paths:
        for method in UNSAFE:
            response = getattr(client, method.lower())(path, BODY, format="json")
            answers[(method, path)] = response.status_code
    refused = {401, 403, 404, 405} if who == "anonymous" else {403, 404, 405}
    read = {("POST", path) for path in READ_BY_POST}
    assert {key: answers.pop(key) for key in read} == dict.fromkeys(read, 200)
    assert {key: code for key, code in answers.items() if code not in refused} == {}
    assert snapshot() == before
