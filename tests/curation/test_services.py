"""Curation services: merging authors and topics, stub verdicts, and what imports keep."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from archive import services
from archive.models import Article, Author, AuthorAlias, Authorship, Topic, TopicAlias
from tests.conftest import NILE, SEEDS

pytestmark = pytest.mark.django_db


def byline(article: Article) -> list[str]:
    return list(article.authorships.order_by("position").values_list("author__name", flat=True))


def import_files(*paths, **options) -> None:
    call_command("import_articles", *map(str, paths), verbosity=0, **options)


@pytest.fixture
def changed_nile(tmp_path):
    """The Nile page with one sentence changed, under its own name: a re-import writes."""
    copy = tmp_path / NILE.name
    copy.write_text(NILE.read_text().replace("resumed this week", "resumed on Monday"))
    return copy


@pytest.fixture
def nile(db) -> Article:
    import_files(NILE)
    return Article.objects.get(source_name=NILE.stem)


def test_author_merge_moves_articles_in_their_order_and_keeps_the_bio(nile):
    amina = Author.objects.get(name="Amina Warsame")
    daniel = Author.objects.get(slug="daniel-k-osei")
    duplicate = Author.objects.create(name="D. K. Osei", slug="d-k-osei")
    other = Article.objects.exclude(pk=nile.pk).first()
    services.authorships_replace(article=other, authors=[amina, duplicate])
    bio = daniel.bio

    assert services.authors_merge(into=duplicate, others=[daniel, duplicate]) == 1

    assert byline(nile) == ["Amina Warsame", "D. K. Osei"]  # second, as Daniel was
    assert byline(other) == ["Amina Warsame", "D. K. Osei"]
    duplicate.refresh_from_db()
    assert duplicate.bio == bio  # it had none; the merged author's bio is kept
    assert duplicate.curated_at is not None
    assert not Author.objects.filter(slug="daniel-k-osei").exists()
    assert AuthorAlias.objects.get(slug="daniel-k-osei").author == duplicate


def test_author_merge_on_a_shared_article_keeps_the_earlier_position(nile):
    amina = Author.objects.get(name="Amina Warsame")
    daniel = Author.objects.get(slug="daniel-k-osei")
    services.authors_merge(into=daniel, others=[amina])
    assert byline(nile) == ["Daniel K. Osei"]
    assert Authorship.objects.get(article=nile).position == 0
    daniel.refresh_from_db()
    assert daniel.bio.startswith("Daniel K. Osei")  # its own bio wins over the merged one


def test_merged_author_stays_merged_when_the_source_changes(nile, changed_nile):
    keep = Author.objects.create(name="Daniel Osei", slug="daniel-osei")
    services.authors_merge(into=keep, others=[Author.objects.get(slug="daniel-k-osei")])
    import_files(changed_nile)
    nile.refresh_from_db()
    assert "resumed on Monday" in nile.body  # the import did write
    assert byline(nile) == ["Amina Warsame", "Daniel Osei"]
    assert not Author.objects.filter(slug="daniel-k-osei").exists()


def test_merging_an_alias_chain_points_every_name_at_the_last_one(nile):
    first = Author.objects.get(slug="daniel-k-osei")
    second = Author.objects.create(name="Dan Osei", slug="dan-osei")
    third = Author.objects.create(name="Daniel Osei", slug="daniel-osei")
    services.authors_merge(into=second, others=[first])
    services.authors_merge(into=third, others=[second])
    aliases = dict(AuthorAlias.objects.values_list("slug", "author__slug"))
    assert aliases == {"daniel-k-osei": "daniel-osei", "dan-osei": "daniel-osei"}


def test_merge_into_itself_alone_changes_nothing(nile):
    daniel = Author.objects.get(slug="daniel-k-osei")
    assert services.authors_merge(into=daniel, others=[daniel]) == 0
    assert byline(nile) == ["Amina Warsame", "Daniel K. Osei"]


def test_topic_merge_tags_every_article_once_and_keeps_the_name_for_imports(nile, changed_nile):
    water = Topic.objects.get(name="Water Security")
    water_again = Topic.objects.create(name="Water", slug="water")
    both = Article.objects.exclude(pk=nile.pk).first()
    both.topics.add(water, water_again)
    only_dup = Article.objects.exclude(pk__in=[nile.pk, both.pk]).first()
    only_dup.topics.add(water_again)

    assert services.topics_merge(into=water_again, others=[water]) == 1

    for article in (nile, both, only_dup):
        waters = article.topics.filter(slug__startswith="water")
        assert list(waters.values_list("slug", flat=True)) == ["water"]
    assert TopicAlias.objects.get(slug="water-security").topic == water_again
    import_files(changed_nile)
    assert set(nile.topics.values_list("slug", flat=True)) == {"water", "regional-diplomacy"}
    assert not Topic.objects.filter(slug="water-security").exists()


def test_marking_stubs_changes_only_those_that_differ_and_marks_them_curated(nile):
    stubs = Article.objects.filter(is_stub=True)
    count = stubs.count()
    assert count > 0
    assert services.articles_mark_stub(articles=Article.objects.all(), is_stub=False) == count
    assert not Article.objects.filter(is_stub=True).exists()
    assert Article.objects.filter(curated_at__isnull=False).count() == count


def test_a_curated_author_bio_survives_a_changed_import(nile, changed_nile):
    daniel = Author.objects.get(slug="daniel-k-osei")
    daniel.bio, daniel.curated_at = "Curated bio.", timezone.now()
    daniel.save()
    import_files(changed_nile)
    daniel.refresh_from_db()
    assert daniel.bio == "Curated bio."


def test_an_uncurated_author_bio_follows_the_latest_import(nile, changed_nile):
    daniel = Author.objects.get(slug="daniel-k-osei")
    daniel.bio = "Old bio."
    daniel.save()
    import_files(changed_nile)
    daniel.refresh_from_db()
    assert daniel.bio.startswith("Daniel K. Osei is")


def test_history_records_imports_and_edits(db):
    import_files(SEEDS)
    article = Article.objects.get(source_name="000_32be84ea6f315b0c")
    services.article_update(article=article, published_on=timezone.localdate())
    kinds = list(article.history.order_by("history_date").values_list("history_type", flat=True))
    assert kinds == ["+", "~"]
    latest = article.history.latest()
    assert latest.date_source == "curator"
    assert latest.prev_record.date_source == "unknown"
