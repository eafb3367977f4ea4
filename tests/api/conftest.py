"""Fixtures of the API tests: a small archive of three publications' pages, and the two
answerers of a list query (the search index, the database standing in for it)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import HORN, NILE, SEEDS


@pytest.fixture
def archive(db):
    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)


@pytest.fixture(params=["index", "database"])
def answered_by(request, settings):
    """Run the test twice: as the index answers, and as the database does without it."""
    if request.param == "database":
        settings.ARTICLE_READER = "database"
    return request.param
