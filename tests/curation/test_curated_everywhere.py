"""One rule, every door: an edit through the API or the admin marks any record curated, and an
import without --force keeps a curated value (an author's bio) and says so."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Author, Country, Publication, Topic
from tests.admin.conftest import change_form_data
from tests.conftest import NILE

pytestmark = pytest.mark.django_db

DANIEL = "daniel-k-osei"


def import_page(path, **options) -> dict:
    out = StringIO()
    call_command("import_articles", str(path), as_json=True, stdout=out, **options)
    return json.loads(out.getvalue())["files"][0]


@pytest.fixture
def changed_nile(tmp_path):
    """The Nile page with another sentence and a new bio for Daniel K. Osei."""
    copy = tmp_path / NILE.name
    text = NILE.read_text().replace("resumed this week", "resumed on Monday")
    copy.write_text(text.replace("a former diplomat.", "a former ambassador."))
    return copy


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/api/v1/authors/{DANIEL}/", {"bio": "Set by a client."}),
        ("/api/v1/topics/water-security/", {"name": "Water security"}),
        ("/api/v1/publications/PUBLICATION/", {"website": "https://example.org/"}),
        ("/api/v1/countries/IR/", {"name": "Iran (Islamic Republic of)"}),
    ],
)
def test_an_api_edit_marks_any_record_curated(editor, path, body):
    import_page(NILE)
    publication = Publication.objects.get()
    answer = editor.patch(path.replace("PUBLICATION", publication.slug), body, format="json")
    assert answer.status_code == 200, answer.content
    curated = {
        "authors": Author.objects.get(slug=DANIEL),
        "topics": Topic.objects.get(slug="water-security"),
        "publications": Publication.objects.get(),
        "countries": Country.objects.get(code="IR"),
    }[path.split("/")[3]]
    assert curated.curated_at is not None


@pytest.mark.parametrize("model", ["topic", "publication"])
def test_an_admin_save_marks_topics_and_publications_curated(admin_client, model):
    import_page(NILE)
    record = Topic.objects.first() if model == "topic" else Publication.objects.get()
    url = reverse(f"admin:archive_{model}_change", args=[record.pk])
    answer = admin_client.post(url, change_form_data(admin_client, url, name=f"{record} (edited)"))
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.curated_at is not None


def test_a_bio_set_through_the_api_survives_an_import_that_says_it_kept_it(editor, changed_nile):
    import_page(NILE)
    answer = editor.patch(f"/api/v1/authors/{DANIEL}/", {"bio": "Set by a client."}, format="json")
    assert answer.status_code == 200

    report = import_page(changed_nile)

    assert report["outcome"] == "updated"
    assert Author.objects.get(slug=DANIEL).bio == "Set by a client."
    assert any(
        "kept the curated bio of Daniel K. Osei" in warning for warning in report["warnings"]
    )


def test_force_gives_the_author_the_pages_bio_again(editor, changed_nile):
    import_page(NILE)
    editor.patch(f"/api/v1/authors/{DANIEL}/", {"bio": "Set by a client."}, format="json")
    import_page(changed_nile, force=True)
    author = Author.objects.get(slug=DANIEL)
    assert author.bio.endswith("a former ambassador.")
    assert author.curated_at is None
