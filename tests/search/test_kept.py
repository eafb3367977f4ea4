"""The answers kept for an index commit (archive.search.kept): one computation per key, the
least recently used dropped once the answers hold more values than their room."""

from __future__ import annotations

from archive.search.kept import Kept


def test_an_answer_is_computed_once_per_key():
    kept, calls = Kept(room=10), []

    def compute():
        calls.append(1)
        return {"a": 1}

    assert kept.get("k", compute, size=len) == {"a": 1}
    assert kept.get("k", compute, size=len) == {"a": 1}
    assert len(calls) == 1


def test_the_least_recently_used_go_first_when_the_room_is_full():
    kept = Kept(room=10)
    kept.get("old", lambda: list(range(4)), size=len)
    kept.get("used", lambda: list(range(4)), size=len)
    kept.get("old", lambda: "computed again", size=len)  # "old" is now the most recent
    kept.get("new", lambda: list(range(4)), size=len)  # 12 values: one answer must go
    assert len(kept) == 2
    assert kept.get("old", lambda: "computed again", size=len) == [0, 1, 2, 3]
    assert kept.get("used", lambda: "computed again", size=len) == "computed again"


def test_an_answer_larger_than_the_room_is_kept_alone():
    kept = Kept(room=3)
    kept.get("small", lambda: [1], size=len)
    kept.get("large", lambda: list(range(10)), size=len)
    assert len(kept) == 1
    assert kept.get("large", lambda: None, size=len) == list(range(10))
