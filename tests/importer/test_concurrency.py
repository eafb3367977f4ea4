"""Two imports of the same folder at the same moment leave no duplicate row of any kind."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count

from archive.models import Article, ArticleCountry, Author, Publication, RelatedArticle, Topic
from tests.conftest import HORN, NILE, SEEDS

# serialized_rollback: the rows migrations load (countries, the Curators group) are back
# after any earlier transactional test flushed them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_imports_leave_no_duplicates(source_dir, copy_source):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    for path in [*SEEDS.glob("*.txt"), NILE, HORN]:
        copy_source(path)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            start.wait()
            call_command("import_articles", str(source_dir), stdout=StringIO())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Article.objects.count() == 4 + 8  # 4 pages; 9 cards, one of them filled by a page
    for model, fields in [
        (Article, ["title_key"]),
        (Author, ["name"]),
        (Topic, ["name"]),
        (Publication, ["name"]),
        (ArticleCountry, ["article", "country"]),
        (RelatedArticle, ["from_article", "to_article"]),
    ]:
        duplicates = model.objects.values(*fields).annotate(n=Count("pk")).filter(n__gt=1)
        assert list(duplicates) == [], model.__name__
