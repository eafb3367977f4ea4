"""Answers kept for one commit of the index: the whole archive's count, facets, sort-key steps
and tables are the same answer until the next commit, whose key is new. The least recently
used go first once the kept answers hold more values than their room (a count is one value; a
table, its cells; facets, every value's count), so a busy index's old commits age out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def values_in(answer: object) -> int:
    """The values an answer holds: a dict's, a list's or a tuple's items counted through."""
    if isinstance(answer, dict):
        return sum(values_in(value) for value in answer.values())
    if isinstance(answer, list | tuple):
        return sum(values_in(value) for value in answer)
    return 1


class Kept:
    def __init__(self, room: int):
        self.room = room
        self._answers: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()  # gunicorn's threads share a worker's answers

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key][0]
        answer = compute()  # outside the lock: two threads may both compute a new answer
        size = max(1, values_in(answer))
        with self._lock:
            if key not in self._answers:
                self._answers[key] = (answer, size)
                self._held += size
                while self._held > self.room and len(self._answers) > 1:
                    _, (_, dropped) = self._answers.popitem(last=False)
                    self._held -= dropped
        return answer

    def __len__(self) -> int:
        return len(self._answers)
