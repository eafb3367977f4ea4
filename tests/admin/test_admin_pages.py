"""Every model's admin list loads, searches and filters for a superuser."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from archive.models import Article

from .conftest import change_form_data

pytestmark = pytest.mark.django_db

ARCHIVE_MODELS = [m for m in admin.site._registry if m._meta.app_label == "archive"]


@pytest.fixture
def staff(admin_client):
    return admin_client


def test_every_archive_model_is_registered():
    names = {m.__name__ for m in ARCHIVE_MODELS}
    assert names == {
        "Article",
        "ArticleCountry",
        "Author",
        "AuthorAlias",
        "Authorship",
        "Country",
        "ImportRun",
        "Publication",
        "PublicationAlias",
        "RelatedArticle",
        "ReviewItem",
        "Topic",
        "TopicAlias",
    }


@pytest.mark.parametrize("model", ARCHIVE_MODELS, ids=lambda m: m.__name__)
def test_changelist_loads_and_searches(staff, imported_seeds, model):
    url = reverse(f"admin:archive_{model._meta.model_name}_changelist")
    assert staff.get(url).status_code == 200
    assert staff.get(url, {"q": "Iran"}).status_code == 200


def test_article_search_finds_by_author_name(staff, imported_seeds):
    response = staff.get(reverse("admin:archive_article_changelist"), {"q": "Katzman"})
    assert response.context["cl"].result_count == 1


def test_article_list_filters(staff, imported_seeds):
    url = reverse("admin:archive_article_changelist")
    assert staff.get(url, {"is_stub__exact": "1"}).context["cl"].result_count == 7
    assert staff.get(url, {"has_date": "no"}).context["cl"].result_count == 6


def test_saving_an_article_in_the_admin_marks_it_curated(staff, imported_seeds):
    article = Article.objects.get(source_name="000_32be84ea6f315b0c")
    url = reverse("admin:archive_article_change", args=[article.pk])
    data = change_form_data(staff, url, title="A curated title", published_on="2023-02-20")
    before = timezone.now()
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "A curated title"
    assert article.title_key == "a curated title"
    # The date's source follows from who set it; curators do not pick it.
    assert (article.published_on.isoformat(), article.date_source) == ("2023-02-20", "curator")
    assert article.curated_at >= before


def test_clearing_the_date_in_the_admin_makes_its_source_unknown(staff, imported_seeds):
    article = Article.objects.filter(date_source="card").first()
    url = reverse("admin:archive_article_change", args=[article.pk])
    assert staff.post(url, change_form_data(staff, url, published_on="")).status_code == 302
    article.refresh_from_db()
    assert (article.published_on, article.date_source) == (None, "unknown")


def test_editing_the_body_in_the_admin_recounts_country_mentions(staff, imported_seeds):
    article = Article.objects.get(source_name="000_32be84ea6f315b0c")
    url = reverse("admin:archive_article_change", args=[article.pk])
    body = "Chile and Peru met. Chile left."
    data = change_form_data(staff, url, title="Notes", body=body)
    assert staff.post(url, data).status_code == 302
    mentions = dict(
        article.country_links.filter(mentions__gt=0).values_list("country__code", "mentions")
    )
    assert mentions == {"CL": 2, "PE": 1}
    article.refresh_from_db()
    assert article.word_count == 6


def test_an_article_added_in_the_admin_can_be_matched_by_a_card(staff, db):
    """title_key is derived on save, so cards on imported pages find hand-made articles."""
    data = {
        "title": "Made In The Admin", "slug": "made-in-the-admin", "date_source": "unknown",
        "content_type": "commentary", "sections": "[]", "word_count": "0",
    }  # fmt: skip
    for prefix in ("authorships", "topic_links", "country_links", "related_links"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    assert staff.post(reverse("admin:archive_article_add"), data).status_code == 302
    assert Article.objects.get(slug="made-in-the-admin").title_key == "made in the admin"


def test_a_browser_posting_crlf_text_changes_nothing(staff, imported_seeds):
    """Browsers send textarea text with CRLF; saving untouched text must not rewrite it."""
    article = Article.objects.get(source_name="000_32be84ea6f315b0c")
    body = article.body
    url = reverse("admin:archive_article_change", args=[article.pk])
    data = change_form_data(staff, url)
    data.update({name: data[name].replace("\n", "\r\n") for name in ("lead", "body", "excerpt")})
    assert staff.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == body
    assert article.history.latest().diff_against(article.history.earliest()).changed_fields == [
        "curated_at"
    ]
