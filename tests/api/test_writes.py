"""Writes: the permission matrix over every route and unsafe method, and what writes do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from archive.models import Article, Author, Country, Publication, Topic

pytestmark = pytest.mark.django_db

ROUTES = {
    # model, list path, detail path, a valid body for POST/PUT
    "article": (
        Article, "/api/v1/articles/", "/api/v1/articles/{slug}/", {"title": "A new piece"},
    ),
    "author": (Author, "/api/v1/authors/", "/api/v1/authors/{slug}/", {"name": "Jane Roe"}),
    "topic": (Topic, "/api/v1/topics/", "/api/v1/topics/{slug}/", {"name": "Energy"}),
    "publication": (
        Publication, "/api/v1/publications/", "/api/v1/publications/{slug}/",
        {"name": "Another Forum", "acronym": "AF"},
    ),
    "country": (
        Country, "/api/v1/countries/", "/api/v1/countries/{slug}/",
        {"code": "XK", "alpha3": "XKX", "name": "Kosovo"},
    ),
}  # fmt: skip
ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}
# Countries are reference data from the ISO dataset: edited, never created or deleted (405).
NOT_ALLOWED = {("country", "POST"), ("country", "DELETE")}
WRITES = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name in ROUTES
    for method in ACTIONS
    if (name, method) not in NOT_ALLOWED
]


def a_record(name: str):
    """One record of each kind that nothing else protects from deletion."""
    if name == "article":
        return Article.objects.create(title="Old piece", title_key="old piece", slug="old-piece")
    if name == "author":
        return Author.objects.create(name="Old Author", slug="old-author")
    if name == "topic":
        return Topic.objects.create(name="Old Topic", slug="old-topic")
    if name == "publication":
        return Publication.objects.create(name="Old Forum", slug="old-forum")
    return Country.objects.get(code="VA")


def lookup(name, record) -> str:
    return record.code if name == "country" else record.slug


def target(name: str, method: str, record) -> str:
    """The list path for POST, else the record's detail path."""
    _, list_path, detail_path, _ = ROUTES[name]
    return list_path if method == "POST" else detail_path.format(slug=lookup(name, record))


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def user_with(*codenames: str) -> User:
    user = User.objects.create_user(f"user{User.objects.count()}", password="pw-123456789")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def send(client, method, path, body):
    return getattr(client, method.lower())(path, body, format="json")


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_anonymous_is_401_with_www_authenticate_and_nothing_changes(name, method):
    model, _, _, body = ROUTES[name]
    record = a_record(name)
    before = list(model.objects.order_by("pk").values())
    path = target(name, method, record)
    response = send(client_for(None), method, path, body)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert list(model.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_authenticated_without_permission_is_403_and_nothing_changes(name, method):
    model, _, _, body = ROUTES[name]
    record = a_record(name)
    before = list(model.objects.order_by("pk").values())
    # Every permission on the model except the one this method needs.
    others = [f"{a}_{name}" for a in ("add", "change", "delete", "view") if a != ACTIONS[method]]
    client = client_for(user_with(*others))
    path = target(name, method, record)
    assert send(client, method, path, body).status_code == 403
    assert list(model.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_with_the_permission_the_write_succeeds(name, method):
    model, _, _, body = ROUTES[name]
    record = a_record(name)
    client = client_for(user_with(f"{ACTIONS[method]}_{name}"))
    path = target(name, method, record)
    if method == "PUT" and name == "country":
        body = {**body, "code": "VA", "alpha3": "VAT"}
    response = send(client, method, path, body)
    assert response.status_code == {"POST": 201, "DELETE": 204}.get(method, 200), response.data
    if method == "DELETE":
        assert not model.objects.filter(pk=record.pk).exists()
    else:
        assert (
            model.objects.filter(name=body["name"]).exists()
            if name != "article"
            else (Article.objects.filter(title=body["title"]).exists())
        )


def test_session_writes_need_csrf():
    user = user_with("add_topic")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/v1/topics/", {"name": "Energy"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_article_create_resolves_related_records_and_computes_the_rest(imported_seeds):
    client = client_for(user_with("add_article"))
    response = client.post(
        "/api/v1/articles/",
        {
            "title": "Tehran Looks East",
            "publication": "gulf-international-forum",
            "published_on": "2024-05-01",
            "body": "Iran and China signed a deal in Beijing.\n\nMore follows here.",
            "sections": [],
            "authors": ["kenneth-katzman"],
            "topics": ["us-gulf-policy"],
            "tagged_countries": ["IR"],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["slug"] == "tehran-looks-east"
    assert (body["published_on"], body["date_source"]) == ("2024-05-01", "curator")
    assert body["lead"] == "Iran and China signed a deal in Beijing."
    assert body["word_count"] == 11
    assert [a["slug"] for a in body["authors"]] == ["kenneth-katzman"]
    countries = {c["code"]: (c["tagged"], c["mentions"]) for c in body["countries"]}
    assert countries == {
        "IR": (True, 2),
        "CN": (False, 2),
    }  # Tehran in the title, Iran; China, Beijing


def test_article_edit_marks_it_curated_so_imports_keep_it(db, copy_source):
    from io import StringIO

    from django.core.management import call_command

    from tests.conftest import SEED_000

    path = copy_source(SEED_000)
    call_command("import_articles", str(path), stdout=StringIO())
    slug = "irans-indispensable-role-for-russia-in-the-ukraine-war"
    client = client_for(user_with("change_article"))
    response = client.patch(
        f"/api/v1/articles/{slug}/", {"published_on": "2023-02-20"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["date_source"] == "curator"

    path.write_text(path.read_text().replace("Hardline Rhetoric", "Hardline Talk"))
    out = StringIO()
    call_command("import_articles", str(path), stdout=out, verbosity=2)
    assert "kept" in out.getvalue()
    article = Article.objects.get(slug=slug)
    assert (str(article.published_on), article.date_source) == ("2023-02-20", "curator")
    assert "Hardline Rhetoric Wins Out" in article.sections


def test_read_only_fields_cannot_be_written(imported_seeds):
    slug = "irans-indispensable-role-for-russia-in-the-ukraine-war"
    client = client_for(user_with("change_article"))
    client.patch(
        f"/api/v1/articles/{slug}/",
        {"is_stub": True, "word_count": 1, "source": {"name": "x"}, "date_source": "card"},
        format="json",
    )
    article = Article.objects.get(slug=slug)
    assert (article.is_stub, article.source_name) == (False, "000_32be84ea6f315b0c")
    assert article.word_count > 1 and article.date_source == "unknown"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": "x", "authors": ["nobody"]}, "authors"),
        ({"title": "x", "tagged_countries": ["ZZ"]}, "tagged_countries"),
        ({"title": "x", "published_on": "31/12/2024"}, "published_on"),
        ({"title": "x\x00y"}, "title"),
        ({"title": "x", "publication": ""}, "publication"),
        ({"title": 0}, "title"),
        ({"title": "x", "sections": ["One", 2]}, "sections"),
        ({"title": "x", "tagged_countries": {}}, "tagged_countries"),
        ({"title": "x", "tagged_countries": ["I\x00R"]}, "tagged_countries"),
        ({"title": "x", "authors": ["a\x00"]}, "authors"),
        ({"title": "x", "publication": "gulf\x00"}, "publication"),
        ({"title": "x", "topics": "us-gulf-policy"}, "topics"),
        ({"title": "x", "content_type": "poem"}, "content_type"),
    ],
)
def test_bad_article_bodies_are_400_with_the_field(imported_seeds, body, field):
    client = client_for(user_with("add_article"))
    response = client.post("/api/v1/articles/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(("name", "method"), sorted(NOT_ALLOWED))
def test_countries_are_neither_created_nor_deleted_whoever_asks(name, method):
    model, _, _, body = ROUTES[name]
    record = a_record(name)
    before = list(model.objects.order_by("pk").values())
    everything = [f"{action}_{name}" for action in ("add", "change", "delete", "view")]
    for client in (client_for(None), client_for(user_with()), client_for(user_with(*everything))):
        response = send(client, method, target(name, method, record), body)
        assert response.status_code == 405, response.content
        assert method not in response["Allow"]
    assert list(model.objects.order_by("pk").values()) == before


IN_USE = {
    # kind, a record the seeds' articles use, how many seed articles use it
    "publication": ("/api/v1/publications/gulf-international-forum/", Publication, 9),
    "author": ("/api/v1/authors/giorgio-cafiero/", Author, 1),
    "topic": ("/api/v1/topics/us-gulf-policy/", Topic, 1),
}


@pytest.mark.parametrize("name", list(IN_USE))
def test_deleting_a_record_still_in_use_is_409_with_its_article_count(imported_seeds, name):
    path, model, used_by = IN_USE[name]
    slug = path.rstrip("/").rsplit("/", 1)[1]
    articles_before = sorted(
        Article.objects.filter(**{f"{_links(name)}__slug": slug}).values_list("pk", flat=True)
    )
    assert len(articles_before) == used_by
    response = client_for(user_with(f"delete_{name}")).delete(path)
    assert response.status_code == 409
    assert response.json() == {
        "detail": (
            f"Still used by {used_by} article{'s' if used_by != 1 else ''}; merge it into "
            "another record (admin) or remove it from those articles first."
        ),
        "article_count": used_by,
    }
    assert model.objects.filter(slug=slug).exists()
    articles_after = sorted(
        Article.objects.filter(**{f"{_links(name)}__slug": slug}).values_list("pk", flat=True)
    )
    assert articles_after == articles_before


def _links(name: str) -> str:
    return {"publication": "publication", "author": "authors", "topic": "topics"}[name]


def test_author_slug_is_made_from_the_name_and_must_be_unique(imported_seeds):
    client = client_for(user_with("add_author"))
    created = client.post("/api/v1/authors/", {"name": "Jane Roe"}, format="json")
    assert created.status_code == 201 and created.json()["slug"] == "jane-roe"
    assert created.json()["article_count"] == 0
    again = client.post("/api/v1/authors/", {"name": "Jane Roe"}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "slug: A record with slug 'jane-roe' exists."}


def test_a_taken_article_slug_is_409_with_the_field_named(imported_seeds):
    client = client_for(user_with("add_article"))
    slug = "irans-indispensable-role-for-russia-in-the-ukraine-war"
    response = client.post("/api/v1/articles/", {"title": "x", "slug": slug}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("slug: ")


def test_writes_take_json_only(imported_seeds):
    client = client_for(user_with("add_topic"))
    response = client.post("/api/v1/topics/", {"name": "Energy", "slug": ""}, format="multipart")
    assert response.status_code == 415
    assert not Topic.objects.filter(name="Energy").exists()


def test_token_command_issues_a_token():
    from io import StringIO

    from django.core.management import call_command

    User.objects.create_user("curator")
    out = StringIO()
    call_command("drf_create_token", "curator", stdout=out)
    assert Token.objects.get(user__username="curator").key in out.getvalue()


@pytest.mark.parametrize("body", [{"name": 0}, {"name": "Energy", "slug": 7}, {"name": ["x"]}])
def test_strings_must_be_json_strings(imported_seeds, body):
    client = client_for(user_with("add_topic"))
    response = client.post("/api/v1/topics/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) <= {"name", "slug"}


def test_a_name_with_no_slug_letters_gets_the_kinds_slug(imported_seeds):
    client = client_for(user_with("add_topic"))
    response = client.post("/api/v1/topics/", {"name": "؟"}, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "topic"


@pytest.mark.parametrize(
    ("website", "status"), [(None, 201), ("https://gif.org", 201), ("gif", 400), ("", 400)]
)
def test_publication_website_is_a_url_or_null(imported_seeds, website, status):
    client = client_for(user_with("add_publication"))
    body = {"name": "Another Forum", "website": website}
    response = client.post("/api/v1/publications/", body, format="json")
    assert response.status_code == status, response.json()


def test_a_country_code_is_any_case_wherever_it_is_given(api, imported_seeds):
    """countries.country_code, the one case rule: a write, a filter, a country's path and its
    co-mentions take `ir` as `IR`."""
    client = client_for(user_with("change_article"))
    article = Article.objects.filter(is_stub=False).first()
    response = client.patch(
        f"/api/v1/articles/{article.slug}/", {"tagged_countries": ["eg", "Ir"]}, format="json"
    )
    assert response.status_code == 200, response.data
    tagged = [c["code"] for c in response.json()["countries"] if c["tagged"]]
    assert tagged == ["EG", "IR"]
    assert api.get("/api/v1/articles/", {"country": "eg"}).json()["count"] >= 1
    assert api.get("/api/v1/countries/eg/").json()["code"] == "EG"
    assert api.get("/api/v1/countries/ir/co-mentions/").status_code == 200
