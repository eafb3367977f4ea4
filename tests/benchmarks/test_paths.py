"""The benchmark's request paths are ones the archive answers within its bounds, at any size."""

from __future__ import annotations

import random
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_cursor_paths_resume_after_the_article_at_their_place(client):
    """Each cursor path resumes after the last article of a page in the list's order (dates
    shared, missing ones last): the page it answers is the list's next twenty. The places are
    found without OFFSET (a read of every row before it, seconds a path at a million)."""
    publication = Publication.objects.create(name="A", slug="a")
    Article.objects.bulk_create(
        Article(
            title=f"Piece {i}", title_key=f"piece {i}", slug=f"piece-{i}", body="Text.",
            lead="Text.", published_on=None if i % 7 == 0 else date(2024, 1 + i % 3, 1),
            date_source=DateSource.UNKNOWN if i % 7 == 0 else DateSource.DATELINE,
            publication=publication,
        )
        for i in range(130)
    )  # fmt: skip
    order = list(Article.objects.values_list("slug", flat=True))  # the model's ordering
    with CaptureQueriesContext(connection) as made:
        paths = _door_paths("cursor", 12, random.Random(3), codes=[])
    assert len(paths) == 12
    assert not [q for q in made.captured_queries if "OFFSET" in q["sql"]]  # seconds at a million
    places = set()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, response.content
        got = [item["slug"] for item in response.json()["results"]]
        place = order.index(got[0])
        assert place % 20 == 0 and 20 <= place < 130
        assert got == order[place : place + 20]
        places.add(place)
    assert len(places) > 1
