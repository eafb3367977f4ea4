"""The answers kept for an index commit (archive.search.kept): one computation per key, the
least recently used dropped once the answers hold more values than their room, every answer
counted by the values it holds (a busy index's old commits must not pile up)."""

from __future__ import annotations

from archive.search.kept import Kept, values_in


def test_an_answer_is_computed_once_per_key():
    kept, calls = Kept(room=10), []

    def compute():
        calls.append(1)
        return {"a": 1}

    assert kept.get("k", compute) == {"a": 1}
    assert kept.get("k", compute) == {"a": 1}
    assert len(calls) == 1


def test_the_least_recently_used_go_first_when_the_room_is_full():
    kept = Kept(room=10)
    kept.get("old", lambda: list(range(4)))
    kept.get("used", lambda: list(range(4)))
    kept.get("old", lambda: "computed again")  # "old" is now the most recent
    kept.get("new", lambda: list(range(4)))  # 12 values: one answer must go
    assert len(kept) == 2
    assert kept.get("old", lambda: "computed again") == [0, 1, 2, 3]
    assert kept.get("used", lambda: "computed again") == "computed again"


def test_an_answer_larger_than_the_room_is_kept_alone():
    kept = Kept(room=3)
    kept.get("small", lambda: [1])
    kept.get("large", lambda: list(range(10)))
    assert len(kept) == 1
    assert kept.get("large", lambda: None) == list(range(10))


def test_facets_count_every_value_they_hold():
    facets = (12, {"country": {1: 8, 2: 3, 3: 2}, "year": {2023: 3, 2024: 3}})
    assert values_in(facets) == 6
    assert values_in({(1, 2023): 4, (1, 2024): 1}) == 2  # a table's cells
    assert values_in(7) == 1  # a count


def test_commits_passing_leave_no_more_than_the_room():
    """Each commit's facets are a new key; the old ones are never asked again and must go."""
    kept = Kept(room=100)
    for commit in range(1_000):
        kept.get((commit, "count"), lambda: 99_002)
        kept.get((commit, "facets"), lambda: (99_002, {"country": dict.fromkeys(range(30), 5)}))
    assert len(kept) <= 2 * (100 // 32 + 1)  # a count and facets (31 values) a commit
    assert kept.get((999, "facets"), lambda: None) is not None  # the newest is still kept
