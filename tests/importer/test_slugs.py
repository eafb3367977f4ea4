"""Numbered slugs (`base-2`, `base-3`…) for titles already taken, by the importer and the
services alike (archive.models.slugs_from), read through the slug's index."""

from __future__ import annotations

import pytest
from django.db import connection

from archive.models import Article, slugs_from
from archive.services import unique_slug

pytestmark = pytest.mark.django_db

# Slugs beside `gulf-talks` that share its first letters but are none of its numbered forms.
NEIGHBOURS = ["gulf-talks-extra", "gulf-talksx", "gulf-talk", "gulf_talks-2", "gulf-talks.2"]


def articles(*slugs: str) -> None:
    for slug in slugs:
        Article.objects.create(title=slug, slug=slug, body="Text.", lead="Text.")


def test_the_taken_slugs_of_a_base_are_it_and_its_numbered_forms():
    articles("gulf-talks", "gulf-talks-2", "gulf-talks-4", *NEIGHBOURS)
    assert sorted(slugs_from("gulf-talks")) == [
        "gulf-talks", "gulf-talks-2", "gulf-talks-4", "gulf-talks-extra",
    ]  # fmt: skip
    assert unique_slug("Gulf talks") == "gulf-talks-3"


def test_an_import_numbers_a_title_already_taken(source_dir):
    """A second page under the same title (another file, other words) takes the first free
    numbered slug, past a neighbour that only looks numbered."""
    from tests.conftest import NILE

    from .test_import_command import run

    (source_dir / NILE.name).write_bytes(NILE.read_bytes())
    run(source_dir)
    first = Article.objects.get(source_name=NILE.stem)
    articles(f"{first.slug}-2", f"{first.slug}-2x")
    text = NILE.read_text(encoding="utf-8")
    (source_dir / "200_other_page.txt").write_text(
        text.replace(" of ", " for ", 3), encoding="utf-8"
    )
    run(source_dir)
    assert Article.objects.get(source_name="200_other_page").slug == f"{first.slug}-3"


def test_the_taken_slugs_are_read_through_the_slug_index():
    """Not every article: SQLite's LIKE ignores case and cannot use the index."""
    if connection.vendor == "postgresql":  # a test's few rows: a scan would be cheaper
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = slugs_from("gulf-talks").explain()
    assert "SCAN archive_article" not in plan and "Seq Scan" not in plan, plan
