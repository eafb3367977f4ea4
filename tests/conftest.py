"""Shared test fixtures: the real seeds, hand-written variant pages, an imported archive."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SOURCES = ROOT / "fixtures" / "sources"
SEED_000 = SEEDS / "000_32be84ea6f315b0c.txt"
SEED_002 = SEEDS / "002_e62bf4f80456f64a.txt"
NILE = SOURCES / "100_a1b2c3d4e5f60718.txt"
HORN = SOURCES / "101_0f1e2d3c4b5a6978.txt"


@pytest.fixture(autouse=True)
def cache_cleared():
    """Throttle and failure counts start at zero in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def search_index_dir(settings, tmp_path):
    """Each test's own search index folder: the database is rolled back after each test, and
    an index shared between tests would hold what the next one's database does not."""
    from archive.reads import index as reads

    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    yield settings.SEARCH_INDEX_DIR
    reads._readers.clear()  # this process's handles on the test's index


@pytest.fixture
def source_dir(tmp_path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    return folder


@pytest.fixture
def copy_source(source_dir):
    """Copy a source file into a fresh folder, optionally under another name."""

    def copy(path: Path, name: str | None = None) -> Path:
        target = source_dir / (name or path.name)
        shutil.copyfile(path, target)
        return target

    return copy


@pytest.fixture
def imported_seeds(db):
    call_command("import_articles", str(SEEDS), verbosity=0)


@pytest.fixture
def editor(db):
    """An API client with a superuser's token: every write is allowed."""
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    user = User.objects.create_superuser("editor")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def debian_tool():
    """A Debian command-line tool's path (jing, xmllint): the test is skipped without it,
    unless ARCHIVE_REQUIRE_TOOLS=1 (as in CI) makes that a failure."""

    def find(name: str, package: str) -> str:
        path = shutil.which(name)
        if path is None:
            message = f"no {name} on PATH (apt-get install {package})"
            if os.environ.get("ARCHIVE_REQUIRE_TOOLS") == "1":
                pytest.fail(message)
            pytest.skip(message)
        return path

    return find
