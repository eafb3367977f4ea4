"""The search index (tantivy) stays exact: after a rebuild, and after every write path once
synced, `check` finds no difference; a crash between commit and position loses nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from archive import services
from archive.models import Article, Author, Topic
from archive.search.engine import SearchIndex
from tests.conftest import HORN, NILE, SEED_000, SEEDS

pytestmark = pytest.mark.django_db


def command(*args) -> str:
    out = io.StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def archive(db):
    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)


def test_rebuild_then_check_finds_no_difference(archive):
    assert command("rebuild").startswith(f"indexed {Article.objects.count()} articles")
    assert command("check").splitlines()[-1] == "0 differences"


def test_check_without_an_index_says_how_to_make_one(db):
    with pytest.raises(CommandError, match="run `search_index rebuild`"):
        command("check")


def test_every_write_path_is_caught_up_by_sync(archive):
    index = SearchIndex()
    index.rebuild()
    article = Article.objects.get(source_name=SEED_000.stem)
    author = Author.objects.filter(articles__isnull=False).first()
    topic = Topic.objects.create(name="Energy", slug="energy")
    # A service edit, a rename seen by other articles, a merge, raw SQL, a deletion.
    services.article_update(article=article, body=article.body + "\n\nA closing paragraph.")
    Author.objects.filter(pk=author.pk).update(name="Renamed Author")
    services.article_update(article=article, topics=[topic])
    other = Topic.objects.create(name="Energy Security", slug="energy-security")
    services.article_update(article=Article.objects.get(source_name=NILE.stem), topics=[other])
    services.topics_merge(into=topic, others=[other])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_article SET is_stub = NOT is_stub WHERE id = %s", [article.pk]
        )
    Article.objects.filter(source_name=HORN.stem).delete()

    stale = index.check()
    assert stale, "the writes changed what the index should hold"
    with pytest.raises(CommandError, match="differs"):
        command("check", "--as-is")  # as it is, the index lags
    done = index.sync()
    assert done["articles"] >= 3 and done["position"] == index.position()
    assert index.check() == []
    assert command("check").splitlines()[-1] == "0 differences"


def test_a_crash_after_commit_before_the_position_is_recorded_loses_nothing(archive, monkeypatch):
    index = SearchIndex()
    index.rebuild()
    article = Article.objects.get(source_name=SEED_000.stem)
    services.article_update(article=article, title="After The Crash")

    def crash(position):
        raise SystemExit("killed between commit and position")

    monkeypatch.setattr(index, "_position_write", crash)
    with pytest.raises(SystemExit):
        index.sync()
    monkeypatch.undo()
    restarted = SearchIndex()  # a new process: the position is the old one
    assert restarted.sync()["articles"] >= 1
    assert restarted.check() == []


def test_an_index_of_another_database_is_rebuilt(archive, tmp_path):
    index = SearchIndex()
    index.rebuild()
    index._position_write(10**9)  # past every change this database has
    assert index.sync().get("rebuilt") is True
    assert index.check() == []


def test_an_index_built_from_another_database_is_rebuilt_not_patched(archive):
    index = SearchIndex()
    index.rebuild()
    index._position_write(index.position(), token="another-database")
    assert index.sync().get("rebuilt") is True
    assert index.database() != "another-database" and index.check() == []
