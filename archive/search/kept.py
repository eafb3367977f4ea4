"""Answers kept for one commit of the index: the whole archive's count, facets, sort-key steps
and tables are the same answer until the next commit, whose key is new. The least recently
used go first once the kept answers hold more than their room (each answer's size counted in
values: a table's cells; a count or facets count one)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Kept:
    def __init__(self, room: int):
        self.room = room
        self._answers: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()  # gunicorn's threads share a worker's answers

    def get(self, key: Hashable, compute: Callable[[], T], size: Callable[[T], int]) -> T:
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key][0]
        answer = compute()  # outside the lock: two threads may both compute a new answer
        with self._lock:
            if key not in self._answers:
                n = max(1, size(answer))
                self._answers[key] = (answer, n)
                self._held += n
                while self._held > self.room and len(self._answers) > 1:
                    _, (_, dropped) = self._answers.popitem(last=False)
                    self._held -= dropped
        return answer

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._held = 0
