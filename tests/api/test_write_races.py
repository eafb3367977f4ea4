"""Writes that race an import: a curator's edit changes only its own fields, on the row as it
is now, and a client that read a record before someone else wrote it is told (412)."""

from __future__ import annotations

import json
import threading
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from archive import services
from archive.importer.parser import source_parse
from archive.models import Article, Author
from tests.conftest import NILE


def import_files(*paths) -> None:
    call_command("import_articles", *map(str, paths), verbosity=0)


@pytest.fixture
def changed_nile(tmp_path):
    copy = tmp_path / NILE.name
    copy.write_text(NILE.read_text().replace("resumed this week", "resumed on Monday"))
    return copy


@pytest.mark.django_db
def test_an_edit_from_a_copy_read_before_an_import_keeps_the_import(changed_nile):
    """The API (or the admin) reads the article, an import rewrites it, then the edit lands:
    the edit changes its one field and the imported body stays."""
    import_files(NILE)
    read_before = Article.objects.get(source_name=NILE.stem)
    import_files(changed_nile)

    services.article_update(article=read_before, published_on=date(2024, 5, 1))

    article = Article.objects.get(pk=read_before.pk)
    assert "resumed on Monday" in article.body
    assert article.source_sha256 == source_parse(changed_nile.read_text()).checksum
    assert article.published_on == date(2024, 5, 1)
    assert article.date_source == "curator"


@pytest.mark.django_db
def test_an_author_edit_from_an_earlier_copy_changes_only_its_fields(editor):
    import_files(NILE)
    author = Author.objects.get(slug="daniel-k-osei")
    Author.objects.filter(pk=author.pk).update(honorific="Dr.")  # written since it was read
    services.record_update(record=author, bio="A curator's bio.")
    author.refresh_from_db()
    assert (author.bio, author.honorific) == ("A curator's bio.", "Dr.")
    assert author.curated_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_if_match_with_a_stale_etag_is_412_and_writes_nothing(editor, method):
    import_files(NILE)
    author = Author.objects.get(slug="daniel-k-osei")
    path = f"/api/v1/authors/{author.slug}/"
    etag = editor.get(path).headers["ETag"]
    assert (
        editor.patch(path, {"honorific": "Prof."}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )

    body = {"name": author.name, "bio": "Overwritten."}
    answer = getattr(editor, method)(path, body, format="json", HTTP_IF_MATCH=etag)

    assert answer.status_code == 412, answer.content
    assert "read it again" in answer.json()["detail"]
    author.refresh_from_db()
    assert (author.honorific, author.bio != "Overwritten.") == ("Prof.", True)


@pytest.mark.django_db
def test_if_match_with_the_current_etag_writes_and_answers_the_next_one(editor):
    import_files(NILE)
    slug = Article.objects.get(source_name=NILE.stem).slug
    path = f"/api/v1/articles/{slug}/"
    etag = editor.get(path).headers["ETag"]

    first = editor.patch(path, {"excerpt": "One."}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.content
    assert first.headers["ETag"] == editor.get(path).headers["ETag"] != etag
    second = editor.patch(
        path, {"excerpt": "Two."}, format="json", HTTP_IF_MATCH=first.headers["ETag"]
    )
    assert second.status_code == 200
    assert editor.patch(path, {"excerpt": "*"}, format="json", HTTP_IF_MATCH="*").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_edits_racing_an_import_lose_neither_the_import_nor_the_edit(tmp_path):
    """Threads edit the articles' dates while an import rewrites their bodies. Afterwards
    each article is either the import's (its body from the new file) or, where the edit came
    first, kept as curated (old body): never the old body under an `updated` report, and every
    edit that was answered is in the record."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    from benchmarks.corpus import corpus_write

    old, new = tmp_path / "old", tmp_path / "new"
    corpus_write(old, 120, seed=7, bad_every=10**6)
    old_names = sorted(p.name for p in old.glob("*.txt"))
    new.mkdir()
    for name in old_names:
        text = (old / name).read_text()
        (new / name).write_text(text.replace("\n\n", "\n\nA sentence added later.\n\n", 1))
    import_files(old)
    pks = list(Article.objects.filter(source_name__isnull=False).values_list("pk", flat=True))

    edited: dict[int, date] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(5)

    def edit(share: list[int], day: int):
        try:
            start.wait()
            for pk in share:
                article = Article.objects.get(pk=pk)  # read, as a view reads, then written
                when = date(2020, 1, day)
                services.article_update(article=article, published_on=when)
                edited[pk] = when
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    report = StringIO()

    def run_import():
        try:
            start.wait()
            call_command("import_articles", str(new), as_json=True, stdout=report)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_import)] + [
        threading.Thread(target=edit, args=(pks[i::4], i + 1)) for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    files = json.loads(report.getvalue())["files"]
    outcomes = {f["source_name"]: f["outcome"] for f in files}
    checksums = {Path(n).stem: source_parse((new / n).read_text()).checksum for n in old_names}
    for article in Article.objects.filter(pk__in=pks):
        name = article.source_name
        assert article.published_on == edited[article.pk], name  # no edit lost
        added = "A sentence added later." in article.body
        assert added == (outcomes[name] == "updated"), (name, outcomes[name])
        assert (article.source_sha256 == checksums[name]) == added, name
