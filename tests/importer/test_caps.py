"""One page cannot multiply every later read: the importer holds a page to the sizes the API
holds a write to (archive.limits), leaving out what is past them with a warning that says so,
and refusing a title longer than any database keeps (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from contextlib import suppress
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.limits import RELATED_MAX_ITEMS, TITLE_MAX_CHARS
from archive.models import Article, Publication, Topic
from tests.conftest import NILE

pytestmark = pytest.mark.django_db

CARD = "\n\nCard Title Number {n}\n\nFebruary 12, 2024\n\nA card's excerpt about the matter...\n"


def imported(source_dir, text: str) -> dict:
    (source_dir / NILE.name).write_text(text)
    out = StringIO()
    with suppress(CommandError):  # a failed file: its report says why
        call_command("import_articles", str(source_dir), as_json=True, stdout=out)
    [report] = json.loads(out.getvalue())["files"]
    return report


def test_a_page_naming_thousands_of_topics_keeps_the_first_hundred(source_dir):
    topics = ", ".join(f"Topic {n}" for n in range(5_000))
    report = imported(
        source_dir, NILE.read_text().replace("Issue: Water Security, Regional Diplomacy",
                                             f"Issue: {topics}")
    )  # fmt: skip
    assert report["outcome"] == "created"
    assert Topic.objects.count() == RELATED_MAX_ITEMS
    assert f"4900 topics left out: at most {RELATED_MAX_ITEMS} a page" in report["warnings"]


def test_a_page_with_thousands_of_cards_makes_at_most_a_hundred_stubs(source_dir):
    cards = "".join(CARD.format(n=n) for n in range(1_000))
    text = NILE.read_text().replace(
        "Country: Egypt, Ethiopia, Sudan\n", "Country: Egypt, Ethiopia, Sudan\n" + cards, 1
    )
    report = imported(source_dir, text)
    assert report["outcome"] == "created"
    article = Article.objects.get(source_name=NILE.stem)
    assert article.related_links.count() == RELATED_MAX_ITEMS
    assert any("cards left out" in w for w in report["warnings"])


def test_an_acronym_longer_than_the_archive_keeps_is_left_out_alike_on_every_database(
    source_dir,
):
    long = "HPI" + "X" * 28  # 31 characters: SQLite stored it, PostgreSQL refused the file
    text = NILE.read_text().replace("Updates from HPI.", f"Updates from {long}.")
    report = imported(source_dir, text)
    assert report["outcome"] == "created", report
    assert not Publication.objects.filter(acronym=long).exists()
    assert any("acronym left out" in w for w in report["warnings"])


def test_a_title_longer_than_the_archive_keeps_refuses_the_file(source_dir):
    title = "Water Diplomacy on the Nile: Cairo and Addis Ababa Try Again"
    long = title + " and again" * 60
    report = imported(source_dir, NILE.read_text().replace(title, long))
    assert report["outcome"] == "failed"
    assert f"(limit {TITLE_MAX_CHARS})" in report["detail"]
    assert not Article.objects.exists()
