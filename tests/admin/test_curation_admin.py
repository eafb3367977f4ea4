"""Curation through the admin: the Curators group, merge and stub actions, history, and a
fixed number of queries on every list page."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Article, Author, AuthorAlias, Country, Topic
from tests.conftest import NILE, SEEDS

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


def admin_url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:archive_{model}_{view}", args=args)


@pytest.fixture
def archive(db):
    from django.core.management import call_command

    call_command("import_articles", str(SEEDS), str(NILE), verbosity=0)


# Ethiopia: the Nile page, and the stub its card "Ethiopia / Grain, Ports and Power…" made.
ETHIOPIA_ARTICLES = 2

# The Curators group: everything curation needs, nothing beyond.

ALLOWED = [
    ("article", "changelist"),
    ("author", "changelist"),
    ("author", "add"),
    ("topic", "changelist"),
    ("topic", "add"),
    ("publication", "changelist"),
    ("country", "changelist"),
    ("authoralias", "changelist"),
]
FORBIDDEN = [
    ("article", "add"),
    ("publication", "add"),
    ("country", "add"),
    ("authoralias", "add"),
]


@pytest.mark.parametrize(("model", "view"), ALLOWED)
def test_curators_open_what_they_curate(curator_client, archive, model, view):
    assert curator_client.get(admin_url(model, view)).status_code == 200


@pytest.mark.parametrize(("model", "view"), FORBIDDEN)
def test_curators_cannot_add_what_the_importer_owns(curator_client, archive, model, view):
    assert curator_client.get(admin_url(model, view)).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:authtoken_tokenproxy_changelist",
    ],
)
def test_curators_cannot_manage_users_groups_or_tokens(curator_client, url):
    assert curator_client.get(reverse(url)).status_code == 403


def test_curators_cannot_delete_articles(curator_client, archive):
    article = Article.objects.first()
    response = curator_client.post(admin_url("article", "delete", article.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_curators_edit_an_article_and_it_is_curated(curator_client, archive):
    article = Article.objects.get(source_name=NILE.stem)
    url = admin_url("article", "change", article.pk)
    topics = set(article.topics.all())
    topic = Topic.objects.create(name="Great Power Rivalry", slug="great-power-rivalry")
    data = change_form_data(curator_client, url, published_on="2024-03-04")
    rows = int(data["topic_links-TOTAL_FORMS"])  # a row added after the article's own
    data.update({"topic_links-TOTAL_FORMS": str(rows + 1), f"topic_links-{rows}-topic": topic.pk})
    assert curator_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.curated_at is not None
    assert set(article.topics.all()) == topics | {topic}
    # The history page names who changed it.
    history = curator_client.get(admin_url("article", "history", article.pk))
    assert history.status_code == 200
    assert b"curator" in history.content
    assert article.history.latest().history_user.username == "curator"


def test_article_change_page_shows_provenance_read_only_and_links_the_api(curator_client, archive):
    article = Article.objects.get(source_name=NILE.stem)
    response = curator_client.get(admin_url("article", "change", article.pk))
    form = response.context["adminform"].form
    for name in ("source_name", "source_sha256", "imported_at", "curated_at", "date_source"):
        assert name not in form.fields  # shown, not editable
    assert article.source_sha256.encode() in response.content
    assert f'href="/api/v1/articles/{article.slug}/"'.encode() in response.content


def test_merge_action_asks_which_author_to_keep_then_merges(curator_client, archive):
    amina = Author.objects.get(name="Amina Warsame")
    twin = Author.objects.create(name="A. Warsame", slug="a-warsame")
    selected = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [amina.pk, twin.pk]}

    page = curator_client.post(admin_url("author"), selected)
    assert page.status_code == 200
    assert [r.pk for r in page.context["records"]] == [amina.pk, twin.pk]  # most articles first
    assert Author.objects.filter(pk=twin.pk).exists()  # nothing merged before the choice

    done = curator_client.post(admin_url("author"), {**selected, "confirm": "yes", "into": twin.pk})
    assert done.status_code == 302
    assert not Author.objects.filter(pk=amina.pk).exists()
    assert AuthorAlias.objects.get(slug="amina-warsame").author == twin
    assert Article.objects.get(source_name=NILE.stem).authors.first() == twin


def test_merge_action_needs_delete_permission(client, archive, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_author", "change_author"])
    )
    client.force_login(editor)
    amina = Author.objects.get(name="Amina Warsame")
    twin = Author.objects.create(name="A. Warsame", slug="a-warsame")
    data = {
        "action": "merge_selected",
        ACTION_CHECKBOX_NAME: [amina.pk, twin.pk],
        "confirm": "yes",
        "into": twin.pk,
    }
    client.post(admin_url("author"), data)
    assert Author.objects.filter(pk=amina.pk).exists()


def test_topic_merge_action(curator_client, archive):
    water = Topic.objects.get(name="Water Security")
    twin = Topic.objects.create(name="Water", slug="water")
    data = {
        "action": "merge_selected",
        ACTION_CHECKBOX_NAME: [water.pk, twin.pk],
        "confirm": "yes",
        "into": water.pk,
    }
    assert curator_client.post(admin_url("topic"), data).status_code == 302
    assert list(Topic.objects.filter(slug__startswith="water")) == [water]


def test_mark_stub_actions(curator_client, archive):
    stubs = list(Article.objects.filter(is_stub=True).values_list("pk", flat=True))
    data = {"action": "mark_not_stub", ACTION_CHECKBOX_NAME: stubs}
    assert curator_client.post(admin_url("article"), data).status_code == 302
    assert not Article.objects.filter(is_stub=True).exists()
    data = {"action": "mark_stub", ACTION_CHECKBOX_NAME: stubs[:1]}
    assert curator_client.post(admin_url("article"), data).status_code == 302
    assert list(Article.objects.filter(is_stub=True).values_list("pk", flat=True)) == stubs[:1]


def test_an_author_saved_in_the_admin_keeps_the_bio_through_a_changed_import(
    curator_client, archive, tmp_path
):
    from django.core.management import call_command

    author = Author.objects.get(name="Amina Warsame")
    url = admin_url("author", "change", author.pk)
    data = change_form_data(curator_client, url, bio="Curated.")
    assert curator_client.post(url, data).status_code == 302
    changed = tmp_path / NILE.name
    changed.write_text(NILE.read_text().replace("resumed this week", "resumed on Monday"))
    call_command("import_articles", str(changed), verbosity=0)
    assert "resumed on Monday" in Article.objects.get(source_name=NILE.stem).body  # it wrote
    author.refresh_from_db()
    assert author.bio == "Curated."
    assert author.history.latest().history_user.username == "curator"


def test_article_list_filters_by_year_country_and_topic(curator_client, archive):
    url = admin_url("article")
    count = lambda query: curator_client.get(url, query).context["cl"].result_count  # noqa: E731
    assert count({"year": "2024"}) == 2
    assert count({"year": "2023"}) == 3
    assert count({"year": "twenty"}) == 12  # not a year: no filter, not an error
    nile = Article.objects.get(source_name=NILE.stem)
    ethiopia = nile.countries.get(code="ET").pk
    assert count({"countries__id__exact": ethiopia}) == ETHIOPIA_ARTICLES
    water = nile.topics.get(name="Water Security").pk
    assert count({"topics__id__exact": water}) == 1


# Query counts: a list page costs the same with one row as with many.

LIST_PAGES = [m._meta.model_name for m in admin.site._registry if m._meta.app_label == "archive"]


def list_queries(client, model: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(admin_url(model)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", LIST_PAGES)
def test_list_page_query_count_does_not_grow_with_rows(admin_client, model):
    from django.core.management import call_command

    call_command("import_articles", str(NILE), verbosity=0)
    few = list_queries(admin_client, model)
    call_command("import_articles", str(SEEDS), verbosity=0)
    many = list_queries(admin_client, model)
    assert few == many, f"{model}: {few} queries with few rows, {many} with more"


def test_curator_add_command_makes_a_staff_user_in_the_group(monkeypatch):
    import io

    from django.contrib.auth.models import User
    from django.core.management import call_command

    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-passphrase\n"))
    call_command("curator_add", "mira", password_stdin=True, stdout=io.StringIO())
    mira = User.objects.get(username="mira")
    assert mira.is_staff and not mira.is_superuser
    assert list(mira.groups.values_list("name", flat=True)) == ["Curators"]
    assert mira.check_password("a-long-enough-passphrase")
    assert mira.has_perm("archive.change_article") and not mira.has_perm("archive.add_article")


@pytest.mark.parametrize(("model", "slug"), [("author", "giorgio-cafiero"), ("topic", None)])
def test_a_record_still_in_use_cannot_be_deleted_in_the_admin(admin_client, archive, model, slug):
    """Django's "cannot delete" page, naming the rows that use it; nothing is removed."""
    Model = {"author": Author, "topic": Topic}[model]
    record = Model.objects.get(slug=slug) if slug else Topic.objects.get(name="Water Security")
    articles_before = list(record.articles.order_by("pk").values_list("pk", flat=True))
    assert articles_before
    url = admin_url(model, "delete", record.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"would require deleting the following protected related objects" in page.content
    admin_client.post(url, {"post": "yes"})
    assert Model.objects.filter(pk=record.pk).exists()
    assert list(record.articles.order_by("pk").values_list("pk", flat=True)) == articles_before


def test_countries_are_neither_added_nor_deleted_in_the_admin(admin_client, archive):
    iran = Country.objects.get(code="IR")
    assert admin_client.get(admin_url("country", "add")).status_code == 403
    assert (
        admin_client.post(admin_url("country", "delete", iran.pk), {"post": "yes"}).status_code
        == 403
    )
    unused = Country.objects.get(code="VA")
    assert (
        admin_client.post(admin_url("country", "delete", unused.pk), {"post": "yes"}).status_code
        == 403
    )
    assert Country.objects.filter(pk__in=[iran.pk, unused.pk]).count() == 2


def test_a_country_is_renamed_but_keeps_its_iso_codes(admin_client, archive):
    """The importer and the list filters know a country by its ISO code: a curator names it."""
    iran = Country.objects.get(code="IR")
    url = admin_url("country", "change", iran.pk)
    data = change_form_data(admin_client, url, name="Islamic Republic of Iran")
    assert "code" not in data and "alpha3" not in data  # shown, not a field of the form
    data.update(code="XI", alpha3="XIR")  # what a hand-made request might send
    assert admin_client.post(url, data).status_code == 302
    iran.refresh_from_db()
    assert (iran.name, iran.code, iran.alpha3) == ("Islamic Republic of Iran", "IR", "IRN")


def test_editing_the_body_and_a_country_row_in_one_save(admin_client, archive):
    """The service recounts mentions from the new text while the inline sets what is tagged:
    one save, no UNIQUE failure, rows as the curator left them with counts from the text."""
    article = Article.objects.get(source_name=NILE.stem)
    url = admin_url("article", "change", article.pk)
    data = change_form_data(admin_client, url)
    body = article.body + "\n\nTurkey and Turkey again watch the talks in Ankara."
    data["body"] = body
    rows = int(data["country_links-TOTAL_FORMS"])
    codes = {data[f"country_links-{n}-country"]: n for n in range(rows)}  # country pk -> row
    egypt = Country.objects.get(code="EG").pk
    data.pop(f"country_links-{codes[egypt]}-tagged", None)  # untag Egypt
    kenya = Country.objects.get(code="KE").pk
    data.update(
        {
            "country_links-TOTAL_FORMS": str(rows + 1),
            f"country_links-{rows}-country": kenya,
            f"country_links-{rows}-tagged": "on",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    links = {
        link.country.code: (link.tagged, link.mentions)
        for link in article.country_links.select_related("country")
    }
    assert links["KE"] == (True, 0)
    assert links["EG"][0] is False and links["EG"][1] > 0
    assert links["TR"] == (False, 3)  # "Turkey", "Turkey", "Ankara": counted from the text


def test_an_article_added_in_the_admin_gets_its_mention_counts(admin_client, db):
    data = {
        "title": "Cairo Talks", "slug": "cairo-talks", "content_type": "commentary",
        "sections": "[]", "body": "Egypt and Ethiopia met in Cairo. Egypt spoke first.",
    }  # fmt: skip
    for prefix in ("authorships", "topic_links", "country_links", "related_links"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    assert admin_client.post(admin_url("article", "add"), data).status_code == 302
    article = Article.objects.get(slug="cairo-talks")
    # Title and body: "Cairo" twice, "Egypt" twice, "Ethiopia" once.
    links = article.country_links.select_related("country")
    assert {link.country.code: link.mentions for link in links} == {"EG": 4, "ET": 1}


@pytest.mark.parametrize("model", ["article", "author"])
@pytest.mark.parametrize("bad", ["abc", "999999", "-1"])
def test_a_history_page_for_no_such_record_is_the_admins_usual_redirect(
    admin_client, archive, model, bad
):
    response = admin_client.get(f"/admin/archive/{model}/{bad}/history/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
