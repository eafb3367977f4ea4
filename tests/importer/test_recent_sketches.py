"""The run's sketches written last, kept in memory (archive.importer.duplicates.RecentSketches):
the same pairs as reading every candidate's sketch back, only what committed, and nothing once
another writer has written articles since."""

from __future__ import annotations

import pytest
from django.db import transaction

from archive.importer import duplicates
from archive.importer.duplicates import RecentSketches
from archive.models import Article, NearDuplicate
from tests.conftest import HORN, NILE

from .test_import_command import run
from .test_near_duplicates import NILE_TITLE, TWIN_EDITS, republished

# Real commits: a batch's sketches are kept once it commits (transaction.on_commit); and
# serialized_rollback, as every transactional test here: the next one finds the migrated rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def read_back(monkeypatch) -> list[int]:
    """The article keys whose sketches were read from the database."""
    asked: list[int] = []
    reading = duplicates._sketches

    def recorded(pks):
        asked.extend(pks)
        return reading(pks)

    monkeypatch.setattr(duplicates, "_sketches", recorded)
    return asked


def pairs() -> set[tuple[str, str, float]]:
    return {
        (row.article.source_name, row.other.source_name, row.similarity)
        for row in NearDuplicate.objects.select_related("article", "other")
    }


def test_a_twin_in_a_later_batch_is_compared_from_memory(source_dir, read_back):
    (source_dir / "900_nile.txt").write_text(NILE.read_text())
    (source_dir / "901_horn.txt").write_text(HORN.read_text())
    (source_dir / "902_twin.txt").write_text(
        republished(NILE.read_text(), "The Nile Talks Resume", TWIN_EDITS)
    )
    run(source_dir, batch_size=1, jobs=1)  # a batch, and a transaction, per file
    nile = Article.objects.get(source_name="900_nile")
    assert ("902_twin", "900_nile") in {(a, b) for a, b, _ in pairs()}
    assert nile.pk not in read_back  # its sketch came from the run's memory
    with_memory = pairs()

    NearDuplicate.objects.all().delete()
    Article.objects.all().delete()
    read_back.clear()
    run(source_dir, batch_size=3, jobs=1)  # one batch: every sketch is the batch's own
    assert pairs() == with_memory


@pytest.fixture
def nile(source_dir) -> tuple[Article, bytes]:
    """An imported article and its sketch."""
    (source_dir / "900_nile.txt").write_text(NILE.read_text())
    run(source_dir)
    article = Article.objects.get(source_name="900_nile")
    return article, bytes(article.sketch.minhash)


def test_kept_once_committed_and_not_when_rolled_back(nile):
    article, sketch = nile
    recent = RecentSketches()
    with transaction.atomic():
        recent.kept({article.pk: sketch}, set())
        assert recent.held == {}  # not before the commit
    assert recent.held == {article.pk: sketch}

    other = RecentSketches()
    with transaction.atomic():
        other.kept({article.pk: sketch}, set())
        transaction.set_rollback(True)
    assert other.held == {}


def test_forgotten_when_another_writer_wrote_articles_since(nile):
    article, sketch = nile
    recent = RecentSketches()
    with transaction.atomic():
        recent.kept({article.pk: sketch}, set())
    recent.checked()
    assert article.pk in recent.held  # nobody wrote since

    article.title = NILE_TITLE + " (edited)"
    article.save()  # a new version of an article, as another import's batch makes
    recent.checked()
    assert recent.held == {}


def test_the_oldest_go_first_and_a_deleted_sketch_at_once():
    recent = RecentSketches(size=2)
    with transaction.atomic():
        recent.kept({1: b"a", 2: b"b"}, set())
    with transaction.atomic():
        recent.kept({3: b"c"}, set())
    assert recent.held == {2: b"b", 3: b"c"}
    with transaction.atomic():
        recent.kept({}, {3})
        assert recent.held == {2: b"b"}  # gone before the commit: a read costs no more
