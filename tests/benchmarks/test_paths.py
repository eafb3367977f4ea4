"""The benchmark's request paths are ones the archive answers within its bounds, at any size."""

from __future__ import annotations

import random
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from archive.api.files import BIBLIOGRAPHY_MAX
from archive.models import Article, DateSource, Publication
from benchmarks.paths import _door_paths

pytestmark = pytest.mark.django_db


def test_a_day_holding_more_than_a_bibliography_is_cut_by_publication():
    """At a million articles one day holds more than a bibliography takes: the generator
    narrows a window to one day of one publication (it had looked for a smaller window for
    ever)."""
    day = date(2024, 3, 1)
    publications = [Publication.objects.create(name=n, slug=n.lower()) for n in "ABCDE"]
    Article.objects.bulk_create(
        Article(
            title=f"Piece {i}", title_key=f"piece {i}", slug=f"piece-{i}", body="Text.",
            lead="Text.", published_on=day, date_source=DateSource.DATELINE,
            publication=publications[i % 5],
        )
        for i in range(2 * BIBLIOGRAPHY_MAX + 30)
    )  # fmt: skip
    paths = _door_paths("bibliography", 5, random.Random(1), codes=[])
    assert len(paths) == 5
    for path in paths:
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        window = Article.objects.filter(
            published_on__range=(query["published_after"], query["published_before"]),
            publication__slug=query["publication"],
        )
        assert 0 < window.count() <= BIBLIOGRAPHY_MAX
