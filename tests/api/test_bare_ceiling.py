"""The benchmark's ceiling (benchmarks/bare_wsgi.py) answers the article list with the archive's
own JSON, so that the two are compared on the same work."""

from __future__ import annotations

import pytest
from django.db import connection

from benchmarks import bare_wsgi

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the ceiling reads a SQLite file")
@pytest.mark.parametrize("page", [1, 2])
def test_the_bare_list_is_the_archives_list(api, imported_seeds, monkeypatch, page):
    monkeypatch.setattr(bare_wsgi, "PAGE", 5)  # the seeds' nine articles over two pages
    ours = api.get("/api/v1/articles/", {"page": page, "page_size": 5}).json()
    connection.ensure_connection()
    bare = bare_wsgi.answer(connection.connection, page, "http://testserver")
    assert bare["count"] == ours["count"] == 9
    assert bare["results"] == ours["results"]
