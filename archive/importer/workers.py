"""Decode and parse files in worker processes while the main process writes to the database.

Pure like the parser: a worker imports no Django, so it starts with `spawn` in a fraction of
a second and shares nothing (no connection, no thread) with the process that started it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import replace

from archive import stored
from archive.similarity import signature

from .parser import source_parse
from .reading import source_decoded
from .records import NOT_SKETCHED, ArticleRecord, Provenance, SourceError

# Below this many files a batch is parsed in-process: starting workers would cost more.
POOL_THRESHOLD = 64


def page_parse(data: bytes, *, sketch: bool = False) -> ArticleRecord:
    """A file's bytes as a record, with the encoding they were read in (and any doubt about
    it); SourceError for what is not an article. With `sketch`, its body's MinHash sketch
    too (a worker's parse: the writing process sketches only what it writes, sketch_of)."""
    decoded = source_decoded(data)
    doubts = (decoded.doubt,) if decoded.doubt else ()
    provenance = Provenance(decoded.encoding, doubts, stored.compressed(data))
    record = source_parse(decoded.text, provenance=provenance)
    return replace(record, sketch=signature(record.body)) if sketch else record


def sketch_of(record: ArticleRecord) -> bytes | None:
    """The record's sketch, made now if its parse did not make it."""
    return signature(record.body) if record.sketch == NOT_SKETCHED else record.sketch


def bytes_parse(data: bytes, sketch: bool = False) -> ArticleRecord | SourceError:
    try:
        return page_parse(data, sketch=sketch)
    except SourceError as error:
        return error


def _worker_parse(data: bytes) -> ArticleRecord | SourceError:
    return bytes_parse(data, sketch=True)


class Parsed:
    """What `Parsers.submit` returns: the results, in order, when asked for."""

    def __init__(self, datas: Sequence[bytes], pending=None):
        self._datas = datas
        self._pending = pending

    def results(self) -> Iterator[ArticleRecord | SourceError]:
        """Each file's result as soon as it is ready, in order."""
        if self._pending is not None:
            yield from self._pending
        else:
            yield from map(bytes_parse, self._datas)

    def get(self) -> list[ArticleRecord | SourceError]:
        return list(self.results())


class Parsers:
    """`jobs` worker processes, started the first time a batch is worth them; 1 = in-process."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool = None

    def submit(self, datas: Sequence[bytes]) -> Parsed:
        if self.jobs <= 1 or len(datas) < POOL_THRESHOLD:
            return Parsed(datas)
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs)
        chunk = max(1, len(datas) // (self.jobs * 4))
        return Parsed(datas, self._pool.imap(_worker_parse, datas, chunksize=chunk))

    def __enter__(self) -> Parsers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
