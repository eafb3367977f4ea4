"""The outbox is pruned of what every node has applied: its size is bounded by what the nodes
lack (and OUTBOX_KEEP), not by the archive's history; a node that was away while its changes
went is rebuilt, never left stale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from archive import services
from archive.models import Article, SearchChange, SearchDatabase, SearchNode
from archive.search import engine
from archive.search.engine import SearchIndex

pytestmark = pytest.mark.django_db

KEEP = 5


@pytest.fixture(autouse=True)
def small_outbox(monkeypatch):
    monkeypatch.setattr(engine, "OUTBOX_KEEP", KEEP)


def edits(n: int) -> None:
    for number in range(n):
        services.article_create(title=f"Piece {number} {timezone.now().timestamp()}")


def test_one_node_keeps_only_the_newest_changes(tmp_path):
    node = SearchIndex(tmp_path / "a")
    node.sync()
    edits(30)
    node.sync()
    assert SearchChange.objects.count() == KEEP
    assert SearchDatabase.objects.get().pruned_upto > 0
    assert node.check() == []


def test_a_node_behind_holds_back_the_pruning_until_it_has_applied(tmp_path):
    a, b = SearchIndex(tmp_path / "a"), SearchIndex(tmp_path / "b")
    a.sync()
    b.sync()
    held = b.position()
    edits(30)
    a.sync()
    assert SearchChange.objects.filter(id__gt=held).count() == SearchChange.objects.count()
    assert SearchChange.objects.count() >= 30  # all that b lacks is still there
    b.sync()
    assert b.check() == [] and b.position() == a.position()
    edits(30)
    a.sync()
    b.sync()
    assert SearchChange.objects.count() <= 2 * KEEP + 1
    assert a.check() == [] and b.check() == []


def test_a_node_away_past_its_changes_is_rebuilt(tmp_path):
    a, b = SearchIndex(tmp_path / "a"), SearchIndex(tmp_path / "b")
    a.sync()
    b.sync()
    SearchNode.objects.filter(name=b.node).update(seen_at=timezone.now() - timedelta(days=2))
    edits(30)
    a.sync()  # b is not seen lately: its changes go
    assert b.position() < SearchDatabase.objects.get().pruned_upto
    done = b.sync()
    assert done.get("rebuilt") is True
    assert b.check() == []
    assert Article.objects.count() == 30
