"""How far an import has got, in files, while a batch is still being written.

A batch's files are all written in one transaction, so none is done before the batch is. A
progress bar moved only then would stand still for the whole of each batch's writes. Instead
the batch's work reports named points as it passes them (`reached("decided", part)` as each
file is decided, then one for each group of writes), and each point stands for the share of
the batch's time at which the previous batch reached it: the bar moves as evenly as the
batches take the same time, and shows the whole batch only once it is committed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Until a batch has been timed: about where a cold batch of generated pages passes each
# point (what exists read, each file decided, the writes, near duplicates).
FIRST_GUESS = {
    "read": 0.13,
    "decided": 0.25,
    "links": 0.35,
    "created": 0.62,
    "articles": 0.67,
    "sources": 0.73,
    "written": 0.81,
    "compared": 0.95,
}


Pace = Callable[..., None]  # reached(point, part=1.0)


def pace_nowhere(point: str, part: float = 1.0) -> None:
    """For work no progress bar follows."""


class BatchPacing:
    """Turns a batch's named points into files shown as done: `show(files)` is called with
    the run's files done so far (a float, never less than the last shown)."""

    def __init__(self, show: Callable[[float], None]):
        self.show = show
        self.shares = dict(FIRST_GUESS)
        self.done = 0.0  # files of the batches already committed
        self.shown = 0.0
        self.batch(0)

    def batch(self, files: int) -> None:
        """A batch of `files` begins."""
        self.files = files
        self.started = time.monotonic()
        self.times: dict[str, float] = {}
        self.previous = ""  # the last point reached whole, whose share a part starts from

    def reached(self, point: str, part: float = 1.0) -> None:
        """`part` of the work up to `point` is done (1.0: the point itself)."""
        since = self.shares.get(self.previous, 0.0)
        share = max(self.shares.get(point, since), since)
        self._show(self.done + self.files * (since + (share - since) * part))
        if part >= 1.0:
            self.times[point] = time.monotonic() - self.started
            self.previous = point

    def committed(self) -> None:
        """The batch is written: every file of it is done, and its times are learned."""
        self.done += self.files
        self._show(self.done)
        took = time.monotonic() - self.started
        if took > 0:  # a point this batch did not pass keeps the share it had
            self.shares.update({point: at / took for point, at in self.times.items()})
        self.batch(0)

    def _show(self, files: float) -> None:
        if files > self.shown:
            self.shown = files
            self.show(files)
