"""Equal scores in relevance order: ordered by id, by pages and by cursor, and a page does not
read every tied match (a word in many titles scores the same in each: archive.reads.index)."""

from __future__ import annotations

import random

import pytest

from archive.keyset import Cursor
from archive.models import Article, Publication
from archive.reads import index as reads
from archive.search.engine import SearchIndex

pytestmark = pytest.mark.django_db
TIED = 260


@pytest.fixture
def ties(db):
    """TIED articles whose only match is one title (the same title: the same score), mixed in
    id order with a few that score above them (the word twice) and below (body only)."""
    publication = Publication.objects.create(name="Forum", slug="forum", acronym="F")
    kinds = ["tied"] * TIED + ["above"] * 15 + ["below"] * 40
    random.Random(3).shuffle(kinds)
    for i, kind in enumerate(kinds):
        title = {"tied": "Maritime security", "above": "Security, security"}.get(kind, "Trade")
        body = "A note on harbours and security." if kind == "below" else "A note on harbours."
        Article.objects.create(
            title=title, title_key=f"{kind} {i}", slug=f"{kind}-{i}", publication=publication,
            body=body, word_count=5,
        )  # fmt: skip
    SearchIndex().sync()


def expected_order(results: reads.EngineResults) -> list[tuple[float, int]]:
    """Every match read from the engine at once, ordered by score, then id."""
    everything = results.searcher.search(results.query, limit=10_000, count=False).hits
    ids = results.searcher.fast_field_values("id", [address for _, address in everything])
    return sorted(
        ((score, pk) for pk, (score, _) in zip(ids, everything, strict=True)),
        key=lambda h: (-h[0], h[1]),
    )


class Counting:
    """A searcher that notes the most hits by score one search was asked for."""

    def __init__(self, searcher, seen: list[int]):
        self.searcher, self.seen = searcher, seen

    def search(self, query, limit=10, **kwargs):
        if kwargs.get("order_by_field") is None:
            self.seen[0] = max(self.seen[0], limit)
        return self.searcher.search(query, limit, **kwargs)

    def __getattr__(self, name):
        return getattr(self.searcher, name)


@pytest.fixture
def largest_read(monkeypatch):
    """The most hits by score one search was asked for, while the test runs."""
    seen = [0]
    original = reads.EngineResults.__init__

    def counting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.searcher = Counting(self.searcher, seen)

    monkeypatch.setattr(reads.EngineResults, "__init__", counting)
    return seen


def tie(expected: list[tuple[float, int]]) -> range:
    """The positions of the TIED equal scores."""
    [score] = [s for s in {s for s, _ in expected} if sum(e[0] == s for e in expected) == TIED]
    first = next(i for i, (s, _) in enumerate(expected) if s == score)
    return range(first, first + TIED)


def test_pages_order_equal_scores_by_id_without_reading_every_tie(ties, largest_read):
    results = reads.engine_results({"q": "security"})
    expected = expected_order(results)
    tied = tie(expected)
    assert len({score for score, _ in expected}) == 3  # above, tied, below
    for offset, size in [(0, 20), (20, 20), (7, 13), (tied[0] + 5, 20), (270, 20), (295, 20)]:
        largest_read[0] = 0
        page = reads.engine_results({"q": "security"})[offset : offset + size]
        assert [(hit.score, hit.id) for hit in page] == expected[offset : offset + size]
        if offset + size < tied[TIED // 2]:  # inside the tie: fewer read than it holds
            assert largest_read[0] < TIED, (offset, largest_read[0])


def test_a_cursor_walk_orders_equal_scores_by_id_and_reads_a_page_at_a_time(ties, largest_read):
    results = reads.engine_results({"q": "security"})
    expected = expected_order(results)
    tied = tie(expected)
    walked, position = [], 0
    page = results[0:20]
    while page:
        walked += [(hit.score, hit.id) for hit in page]
        position += len(page)
        cursor = Cursor.decode(results.cursor_at(page[-1], position).encode())
        largest_read[0] = 0
        page = reads.engine_results({"q": "security"}).after(cursor, 20)
        if position + 20 < tied[TIED // 2]:
            assert largest_read[0] < TIED, (position, largest_read[0])
    assert walked == expected
