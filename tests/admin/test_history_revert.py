"""An article's history tells the truth: every change, its links included, in words with its
actor; and a revert restores the whole version (fields and links) and is recorded."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from archive import services
from archive.models import Article, ArticleCountry, Country, Topic
from tests.conftest import NILE

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def nile(db) -> Article:
    call_command("import_articles", str(NILE), verbosity=0)
    return Article.objects.get(source_name=NILE.stem)


def history_page(client, article: Article) -> str:
    answer = client.get(reverse("admin:archive_article_history", args=[article.pk]))
    assert answer.status_code == 200
    return re.sub(r"\s+", " ", answer.content.decode())


def revert(client, article: Article, version) -> str:
    url = reverse("admin:archive_article_simple_history", args=[article.pk, version.history_id])
    answer = client.post(url, {}, follow=True)
    assert answer.status_code == 200
    return " ".join(str(m) for m in answer.context["messages"])


def created(article: Article):
    return article.history.get(history_type="+")


def test_reverting_a_title_restores_it_and_records_the_revert(curator_client, nile):
    url = reverse("admin:archive_article_change", args=[nile.pk])
    posted = curator_client.post(url, change_form_data(curator_client, url, title="A new title"))
    assert posted.status_code == 302
    assert Article.objects.get(pk=nile.pk).title == "A new title"
    versions = nile.history.count()

    message = revert(curator_client, nile, created(nile))

    article = Article.objects.get(pk=nile.pk)
    assert article.title == created(nile).title
    assert "Reverted" in message and "Title" in message
    assert nile.history.count() == versions + 1
    latest = nile.history.latest()
    assert latest.history_change_reason.startswith("reverted to the version of ")
    assert latest.history_user.username == "curator"
    assert article.curated_at is not None


def test_reverting_a_country_row_restores_its_tag(curator_client, nile):
    before = set(nile.country_links.filter(tagged=True).values_list("country__code", flat=True))
    services.article_update(article=nile, tagged_countries=[Country.objects.get(code="IR")])
    assert set(nile.country_links.filter(tagged=True).values_list("country__code", flat=True)) == {
        "IR"
    }

    message = revert(curator_client, nile, created(nile))

    tagged = set(nile.country_links.filter(tagged=True).values_list("country__code", flat=True))
    assert tagged == before
    assert "Country Iran" in message


def test_reverting_restores_authors_in_order_topics_and_cards(curator_client, nile):
    authors = list(nile.authorships.order_by("position").values_list("author", flat=True))
    topics = set(nile.topics.values_list("pk", flat=True))
    cards = list(nile.related_links.order_by("position").values_list("to_article", flat=True))
    services.article_update(
        article=nile,
        authors=list(reversed([a.author for a in nile.authorships.all()])),
        topics=[Topic.objects.create(name="Other", slug="other")],
        related=[],
    )
    revert(curator_client, nile, created(nile))
    assert list(nile.authorships.order_by("position").values_list("author", flat=True)) == authors
    assert set(nile.topics.values_list("pk", flat=True)) == topics
    assert (
        list(nile.related_links.order_by("position").values_list("to_article", flat=True)) == cards
    )


def test_reverting_to_the_current_version_says_nothing_changed(curator_client, nile):
    message = revert(curator_client, nile, nile.history.latest())
    assert "already matched" in message


def test_history_shows_a_link_change_made_through_the_api_with_its_actor(curator_client, nile):
    user = User.objects.create_superuser("api-client")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    Topic.objects.create(name="Energy Transition", slug="energy-transition")
    answer = api.patch(
        f"/api/v1/articles/{nile.slug}/", {"topics": ["energy-transition"]}, format="json"
    )
    assert answer.status_code == 200, answer.content

    page = history_page(curator_client, nile)
    assert "<strong>Topics:</strong> Regional Diplomacy; Water Security" in page
    assert "Energy Transition" in page
    assert "api-client" in page
    assert "import of " + NILE.stem in page  # the first version's actor
    assert ">None<" not in page and "None</td>" not in page


def test_history_shows_a_tag_ticked_in_the_admin(curator_client, nile):
    url = reverse("admin:archive_article_change", args=[nile.pk])
    data = change_form_data(curator_client, url)
    rows = ArticleCountry.objects.filter(article=nile).order_by("pk")
    untagged = next(i for i, row in enumerate(rows) if not row.tagged)
    prefix = next(k for k in data if k.endswith(f"-{untagged}-country")).removesuffix("-country")
    data[f"{prefix}-tagged"] = "on"
    assert curator_client.post(url, data).status_code == 302

    page = history_page(curator_client, nile)
    name = rows[untagged].country.name
    assert f"<strong>Country {name}:</strong> mentioned &nbsp;&rarr;&nbsp;&nbsp;tagged" in page
    assert "curator" in page
