"""The import's progress moves while a batch is written, not a batch at a time."""

from __future__ import annotations

import itertools

import pytest

from archive.importer import pacing
from archive.importer.pacing import FIRST_GUESS, BatchPacing
from archive.importer.pipeline import FIRST_BATCH_FILES, import_files, source_files
from archive.models import Article
from benchmarks.corpus import corpus_write


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(pacing.time, "monotonic", clock)
    return clock


def test_a_batch_moves_by_the_share_of_time_its_points_took_last_time(clock):
    shown = []
    paced = BatchPacing(shown.append)
    paced.batch(10)
    paced.reached("read")  # the first batch goes by the first guess
    assert shown == [pytest.approx(10 * FIRST_GUESS["read"])]
    clock.now += 2
    paced.reached("read")
    clock.now += 6
    paced.reached("written")
    clock.now += 2
    paced.committed()
    assert shown[-1] == 10
    # Learned: "read" at 2 of 10 seconds, "written" at 8 of 10.
    paced.batch(20)
    paced.reached("read")
    assert shown[-1] == pytest.approx(10 + 20 * 0.2)
    paced.reached("written", 0.5)  # halfway from "read" to "written"
    assert shown[-1] == pytest.approx(10 + 20 * (0.2 + 0.6 * 0.5))
    paced.reached("written")
    assert shown[-1] == pytest.approx(10 + 20 * 0.8)
    paced.committed()
    assert shown[-1] == 30


def test_what_is_shown_never_goes_back(clock):
    shown = []
    paced = BatchPacing(shown.append)
    paced.batch(100)
    paced.reached("compared")  # late in the first guess
    paced.reached("read")  # earlier: the bar stays
    paced.reached("decided", 0.5)
    paced.committed()
    assert shown == sorted(set(shown)) and shown[-1] == 100


def test_a_point_the_last_batch_did_not_pass_keeps_its_share(clock):
    paced = BatchPacing(lambda files: None)
    paced.batch(5)
    clock.now += 1
    paced.reached("read")  # an idle batch: nothing written
    clock.now += 1
    paced.committed()
    assert paced.shares["read"] == 0.5
    assert paced.shares["written"] == FIRST_GUESS["written"]


@pytest.mark.django_db
def test_the_bar_moves_on_while_a_batch_is_written_and_is_whole_at_its_commit(tmp_path):
    corpus = tmp_path / "corpus"
    corpus_write(corpus, 160, seed=5, bad_every=0)
    files = source_files([corpus])
    seen = []  # (files shown, whole articles written so far, in this transaction)

    def on_progress(done: float) -> None:
        seen.append((done, Article.objects.filter(source_name__isnull=False).count()))

    reports = list(import_files(files, batch_size=50, jobs=1, on_progress=on_progress))
    assert len(reports) == len(files) == 160
    shown = [done for done, _ in seen]
    assert shown == sorted(set(shown)) and shown[-1] == 160
    # The first batch is small, so the first files are done soon; the others are whole.
    ends = [FIRST_BATCH_FILES, FIRST_BATCH_FILES + 50, FIRST_BATCH_FILES + 100, 160]
    assert set(ends) <= set(shown)
    written_at = {done: written for done, written in seen}
    # Within a batch, the bar moved on after the batch's articles were written (the count
    # at that moment is already the count at the batch's end) and before it showed them.
    for start, end in itertools.pairwise(ends):
        moved = [done for done, written in seen if start < done < end]
        assert moved, (start, end)
        assert any(written_at[end] == written > written_at[start] for done, written in seen
                   if start < done < end), (start, end, seen)  # fmt: skip
