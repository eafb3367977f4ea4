"""Backup and restore: the whole archive dumped with `dumpdata`, loaded into an emptied
database with `loaddata`, serves the same API responses, byte for byte."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from archive.models import Article, Author, Topic
from tests.conftest import HORN, NILE, SEEDS

pytestmark = pytest.mark.django_db

# What `docs/reliability.md` tells operators to run. XML, not JSON: Django's JSON encoder cuts
# timestamps to milliseconds, so a JSON backup would not give back the same `imported_at`.
BACKUP_APPS = ["archive", "auth", "authtoken"]
BACKUP_OPTIONS = [*BACKUP_APPS, "--format=xml", "--natural-foreign"]


def responses(paths: list[str]) -> dict[str, bytes]:
    cache.clear()  # nothing may answer from a cache
    client = APIClient()
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        answers[path] = response.content
    return answers


def archive_paths() -> list[str]:
    paths = [
        "/api/v1/articles/?page_size=100",
        "/api/v1/articles/?q=Iran",
        "/api/v1/articles/?country=EG&ordering=-published_on",
        "/api/v1/articles/facets/",
        "/api/v1/authors/",
        "/api/v1/topics/",
        "/api/v1/publications/",
        "/api/v1/countries/?page_size=100",
        "/api/v1/countries/?page_size=100&page=3",
    ]
    paths += [
        f"/api/v1/articles/{slug}/" for slug in Article.objects.values_list("slug", flat=True)
    ]
    paths += [f"/api/v1/authors/{slug}/" for slug in Author.objects.values_list("slug", flat=True)]
    paths += [f"/api/v1/topics/{slug}/" for slug in Topic.objects.values_list("slug", flat=True)]
    return paths


def test_dump_and_load_into_an_empty_database_gives_the_same_responses(tmp_path):
    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)
    paths = archive_paths()
    before = responses(paths)
    backup = tmp_path / "archive.xml.gz"
    call_command("dumpdata", *BACKUP_OPTIONS, output=str(backup), verbosity=0)

    # Empty every table the backup covers, children first.
    models = [m for m in apps.get_models() if m._meta.app_label in BACKUP_APPS and m._meta.managed]
    with connection.constraint_checks_disabled():
        for model in models:
            model._base_manager.all()._raw_delete(connection.alias)
    assert Article.objects.count() == 0
    assert responses(["/api/v1/articles/"])["/api/v1/articles/"] != before[paths[0]]

    call_command("loaddata", str(backup), verbosity=0)
    after = responses(paths)
    assert [path for path in paths if after[path] != before[path]] == []
    assert len(paths) > 20


SHAREABLE_OPTIONS = [
    "archive", "--format=xml", "--natural-foreign",
    "--exclude", "archive.HistoricalArticle", "--exclude", "archive.HistoricalAuthor",
]  # fmt: skip


def test_the_shareable_dump_holds_no_credentials_and_restores_the_same_answers(tmp_path):
    """docs/reliability.md's dump without users, password hashes or tokens."""
    import gzip

    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)
    user = User.objects.create_superuser("editor", password="a-password-to-hide-2026")
    token = Token.objects.create(user=user).key
    paths = archive_paths()
    before = responses(paths)
    backup = tmp_path / "archive.xml.gz"
    call_command("dumpdata", *SHAREABLE_OPTIONS, output=str(backup), verbosity=0)
    with gzip.open(backup, "rt") as dump:
        text = dump.read()
    assert token not in text and user.password not in text and "editor" not in text
    assert 'model="auth.' not in text and 'model="authtoken.' not in text
    # SQLite's full-text table is kept by triggers: a load of its rows would index each twice.
    assert 'model="archive.articletext"' not in text and 'model="archive.article"' in text

    models = [m for m in apps.get_models() if m._meta.app_label == "archive" and m._meta.managed]
    with connection.constraint_checks_disabled():
        for model in models:
            model._base_manager.all()._raw_delete(connection.alias)
    call_command("loaddata", str(backup), verbosity=0)
    after = responses(paths)
    assert [path for path in paths if after[path] != before[path]] == []
