"""The import pipeline: read -> decode -> parse -> load, a batch of files per transaction."""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from archive import stored
from archive.models import Article, ArticleSource
from archive.rules import RULES_VERSION

from .duplicates import RecentSketches
from .existing import last_imports
from .loader import BatchLoader, Outcome, SourceItem
from .pacing import BatchPacing, Pace, pace_nowhere
from .reading import SourceFile, source_read
from .records import SourceError
from .workers import Parsers

# Key of the PostgreSQL advisory lock that makes concurrent imports take turns, file by file.
IMPORT_LOCK_KEY = 0x41524348  # "ARCH"

SUMMARY_KEYS = (
    "created",
    "updated",
    "unchanged",
    "kept",
    "duplicate",
    "stubs_created",
    "stubs_filled",
    "near_duplicates",  # files whose article is nearly the same as another's
    "failed",
)


@dataclass
class FileReport:
    path: str
    source_name: str
    outcome: Outcome
    detail: str = ""
    slug: str = ""
    stubs_created: int = 0
    stubs_filled: int = 0
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""  # the source's, as the importer read it
    changed: list[str] | None = None  # derived again by newer rules: the kinds that changed
    # The articles nearly the same as this file's (archive.similarity): slug, similarity.
    near_duplicates: list[tuple[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**asdict(self), "outcome": str(self.outcome)}


class SourceFiles:
    """The files to import, in order, and how many there are, held compactly: for each folder
    walked, its entries' paths relative to it as strings; each SourceFile is made as it is
    reached. (A Path object per file held about 500 bytes: 600 MB of an import of 1,000,000
    files, before its first batch.)"""

    def __init__(self, groups: list[tuple[Path | None, Path | list[str], set[str]]]):
        # (None, a file named, ∅) or (a folder, its entries, those not plain regular files)
        self._groups = groups

    def __len__(self) -> int:
        return sum(1 if folder is None else len(names) for folder, names, _ in self._groups)

    def __iter__(self) -> Iterator[SourceFile]:
        for folder, names, odd in self._groups:
            if folder is None:
                yield SourceFile(names)  # a missing file is reported by import_files
            else:
                yield from (
                    SourceFile(folder / name, folder=folder, plain=name not in odd)
                    for name in names
                )


def source_files(paths: Iterable[Path]) -> SourceFiles:
    """Each file named, and the `*.txt` entries of each folder, in name order.

    A folder walk enters no symbolic link to a folder; every `*.txt` entry it meets is
    listed, so that one which is not a regular file, or links out of the folder, is refused
    by name (source_read) rather than skipped or followed. What the walk saw of each entry
    (its type, from the directory itself) spares reading a regular file's kind again."""
    groups: list[tuple[Path | None, Path | list[str], set[str]]] = []
    for path in paths:
        if not path.is_dir():
            groups.append((None, path, set()))
            continue
        found, odd = _walk(path)
        if any(os.sep in name for name in found):  # as paths sort: part by part
            found.sort(key=lambda name: name.split(os.sep))
        else:
            found.sort()
        groups.append((path, found, odd))
    return SourceFiles(groups)


def _walk(top: Path) -> tuple[list[str], set[str]]:
    """The `*.txt` entries under `top` (paths relative to it), and those that are not a
    regular file or are a symbolic link. Like os.walk: no link to a folder is entered, and a
    folder that cannot be read is passed over."""
    found: list[str] = []
    odd: set[str] = set()
    folders = [""]
    while folders:
        inside = folders.pop()
        try:
            with os.scandir(os.path.join(top, inside)) as entries:
                for entry in entries:
                    name = os.path.join(inside, entry.name) if inside else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(name)
                    if entry.name.endswith(".txt") and not entry.name.startswith("."):
                        found.append(name)
                        if not entry.is_file(follow_symlinks=False):
                            odd.add(name)
        except OSError:
            continue
    return found, odd


BATCH_FILES = 500
BATCH_BYTES = 32 * 1024 * 1024  # a batch of large files is cut short: memory stays bounded
# The first batch is small enough to be parsed in-process (workers.POOL_THRESHOLD) while the
# workers start: its files are done, and a progress bar moving, within a second.
FIRST_BATCH_FILES = 48


@dataclass
class _Source:
    """One file as read: its bytes and their digest, or why it could not be read."""

    path: Path
    data: bytes = b""
    digest: str = ""
    error: str = ""

    @property
    def source_name(self) -> str:
        return self.path.stem


def import_files(
    paths: Iterable[Path | _Source],
    *,
    force: bool = False,
    dry_run: bool = False,
    jobs: int = 1,
    batch_size: int = BATCH_FILES,
    on_progress: Callable[[float], None] = lambda files: None,
) -> Iterator[FileReport]:
    """A report for each file, in order. Files go in batches of `batch_size`, one transaction
    each; while one batch is written, worker processes parse the next. `on_progress` is
    called with the files done so far, often within a batch (archive.importer.pacing), so a
    progress bar moves on while a batch is written, not a batch at a time."""
    load = partial(
        _load,
        force=force,
        dry_run=dry_run,
        pacing=BatchPacing(on_progress),
        recent_sketches=RecentSketches(),
    )
    statistics = _StatisticsAsTablesDouble(dry_run=dry_run)
    with Parsers(jobs) as parsers, _collector_held_back(), _checkpoints_spaced():
        pending = None
        for batch in _batches(paths, batch_size):
            prepared = _prepare(batch, parsers, force=force)
            if pending is not None:
                yield from statistics.counting(load(*pending))
            pending = prepared
        if pending is not None:
            yield from load(*pending)


# SQLite copies its write-ahead log into the database file when the log passes this many
# pages (1,000 by default): a batch writes more, so the same hot pages of each index were
# copied again after nearly every batch.
IMPORT_WAL_PAGES = 16_384  # 64 MiB of 4 KiB pages


@contextmanager
def _checkpoints_spaced() -> Iterator[None]:
    """On SQLite, the log copied into the database every IMPORT_WAL_PAGES pages during the
    run (this connection only), then as before."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA wal_autocheckpoint={IMPORT_WAL_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(before)}")


@contextmanager
def _collector_held_back() -> Iterator[None]:
    """CPython's cyclic garbage collector, held back for the run: what was made before it
    (Django, the models, the parsers) is frozen out of its scans, and it runs every 50,000
    new objects instead of every 700. A batch makes many short-lived objects and few cycles;
    the collector rescanning the same long-lived ones took a tenth of the main process's time
    (10,000 generated files, docs/benchmarks.md)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class StoredSources:
    """The stored source of each article that older rules derived (archive.rules), as files
    to import: `import_articles --reparse`, with no file on disk. Read a chunk at a time."""

    def __init__(self, chunk: int = 200, *, pks: Iterable[int] | None = None):
        """Every article of older rules, or those of `pks` that have a stored source."""
        self.chunk = chunk
        chosen = Article.objects.filter(source_file__isnull=False)
        if pks is None:
            chosen = chosen.filter(rules_version__lt=RULES_VERSION)
        else:
            chosen = chosen.filter(pk__in=pks)  # a list or a queryset (a subquery)
        self.pks = list(chosen.order_by("pk").values_list("pk", flat=True))

    def __len__(self) -> int:
        return len(self.pks)

    def __iter__(self) -> Iterator[_Source]:
        for start in range(0, len(self.pks), self.chunk):
            rows = ArticleSource.objects.filter(article_id__in=self.pks[start : start + self.chunk])
            for name, kept, size in rows.order_by("pk").values_list(
                "article__source_name", "data", "size"
            ):
                path = Path(f"{name}.txt")
                try:
                    data = stored.original(kept, size)
                except stored.StoredSourceError as error:
                    yield _Source(path, error=str(error))
                    continue
                yield _Source(path, data=data, digest=hashlib.sha256(data).hexdigest())


def older_rules() -> dict[str, int]:
    """How many articles older rules derived, and how many of those have no stored source
    (imported before sources were kept: import their files again)."""
    older = Article.objects.filter(rules_version__lt=RULES_VERSION)
    return {
        "older_rules": older.count(),
        "older_rules_without_source": older.filter(source_file__isnull=True).count(),
    }


def _batches(paths: Iterable[Path | _Source], size: int) -> Iterator[list[_Source]]:
    batch: list[_Source] = []
    held = 0
    limit = min(size, FIRST_BATCH_FILES)
    for path in paths:
        batch.append(path if isinstance(path, _Source) else _source_read(path))
        held += len(batch[-1].data)
        if len(batch) >= limit or held >= BATCH_BYTES:
            yield batch
            batch, held, limit = [], 0, size
    if batch:
        yield batch


def _source_read(source: SourceFile | Path) -> _Source:
    if not isinstance(source, SourceFile):
        source = SourceFile(Path(source))
    path = source.path
    try:
        data = source_read(source)
    except SourceError as error:
        return _Source(path, error=str(error))
    except OSError as error:
        return _Source(path, error=f"cannot read: {error.strerror or error}")
    return _Source(path, data=data, digest=hashlib.sha256(data).hexdigest())


def _prepare(batch: list[_Source], parsers: Parsers, *, force: bool):
    """Start parsing the files whose bytes differ from their last import's.

    Read ahead of the batch's transaction only to spare parsing; the loader reads the digests
    again inside it, where what happens to each file is decided."""
    readable = [source for source in batch if not source.error]
    seen = last_imports({s.source_name for s in readable})
    # --force re-derives every file from its text, unchanged bytes or not; and so do newer
    # rules than those that derived its article.
    to_parse = [
        s
        for s in readable
        if force or s.source_name not in seen or not seen[s.source_name].holds(s.digest)
    ]
    return batch, to_parse, parsers.submit([source.data for source in to_parse])


def _load(
    batch,
    to_parse,
    parsed,
    *,
    force: bool,
    dry_run: bool,
    pacing: BatchPacing,
    recent_sketches: RecentSketches | None = None,
) -> Iterator[FileReport]:
    pacing.batch(len(batch))
    records = {}
    for source, record in zip(to_parse, parsed.results(), strict=True):
        records[id(source)] = record
    reports: list[FileReport] = []
    items: list[tuple[FileReport, SourceItem]] = []
    for source in batch:
        report = FileReport(
            path=str(source.path), source_name=source.source_name, outcome=Outcome.FAILED
        )
        reports.append(report)
        record = records.get(id(source))
        if source.error or isinstance(record, SourceError):
            report.detail = source.error or str(record)
            continue
        items.append((report, SourceItem(source.source_name, source.digest, source.data, record)))
    write = partial(_write, force=force, dry_run=dry_run, recent_sketches=recent_sketches)
    try:
        write(items, pace=pacing.reached)
    except DatabaseError:
        # Something in the batch broke a constraint: write its files one at a time, so that
        # the others land and the one that failed is named.
        for report, item in items:
            try:
                write([(report, item)])
            except DatabaseError as error:
                report.detail = "database error: " + " ".join(str(error).split())[:200]
    pacing.committed()
    yield from reports


def _write(
    items: list[tuple[FileReport, SourceItem]],
    *,
    force: bool,
    dry_run: bool,
    pace: Pace = pace_nowhere,
    recent_sketches: RecentSketches | None = None,
) -> None:
    if not items:
        return
    with transaction.atomic():
        _import_lock()
        loader = BatchLoader(
            [item for _, item in items], force=force, recent_sketches=recent_sketches
        )
        pace("read")
        results = loader.load(pace)
        if dry_run:
            transaction.set_rollback(True)  # report exactly what would happen, keep nothing
    for (report, item), result in zip(items, results, strict=True):
        report.outcome = result.outcome
        report.detail = result.detail
        report.slug = result.slug
        report.stubs_created = result.stubs_created
        report.stubs_filled = result.stubs_filled
        report.warnings = [*(item.record.warnings if item.record else ()), *result.kept]
        report.encoding = item.record.encoding if item.record else ""
        report.changed = result.changed
        report.near_duplicates = result.near_duplicates


def _import_lock() -> None:
    """Wait for any other import's batch transaction to finish before reading what exists.

    Two runs over the same folder then see each other's committed work (`unchanged`) instead
    of both creating the same author, stub or article. SQLite needs nothing: its writing
    transactions already take the database's write lock at BEGIN (IMMEDIATE mode)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


# The tables an import fills, whose statistics it leaves stale. A batch also looks each of them
# up by long lists of keys while the import fills them (articles by title and checksum, a
# rewritten article's old links, band keys, authors by key): with no statistics, PostgreSQL
# (autovacuum off, or not yet come by) guessed each list matched most of the table and read it
# whole, every batch, so the import slowed as the archive grew. Their statistics are
# refreshed as the run's writes double (_StatisticsAsTablesDouble), and once more at the end.
IMPORTED_TABLES = (
    "archive_article",
    "archive_author",
    "archive_authorship",
    "archive_article_topics",
    "archive_articlecountry",
    "archive_relatedarticle",
    "archive_articlesketch",
    "archive_sketchband",
)


class _StatisticsAsTablesDouble:
    """Refreshes the planner's statistics of IMPORTED_TABLES each time the articles the run
    has written double (after 1, then 2, 4, 8, … batches' worth of a cold import), and never
    while it writes nothing: an unchanged re-run's tables are as they were analysed, and a
    dry run's writes are rolled back."""

    def __init__(self, *, dry_run: bool = False) -> None:
        self.written, self.due = 0, 1
        self.kept = (Outcome.CREATED, Outcome.UPDATED) if not dry_run else ()

    def counting(self, reports: Iterator[FileReport]) -> Iterator[FileReport]:
        for report in reports:
            self.written += report.outcome in self.kept
            yield report
        if self.written >= self.due:
            planner_statistics_refresh(vacuum=False)
            self.due = 2 * self.written


def memory_release() -> None:
    """Give back what SQLite's page cache holds for this connection (up to its cache_size, 64
    MiB): after an import, the index is fed by reading every article once, in order, and
    needs none of it."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA shrink_memory")


def planner_statistics_refresh(tables=IMPORTED_TABLES, *, vacuum: bool = True) -> None:
    """After an import wrote rows to PostgreSQL: bring the planner's statistics up to date.

    Freshly bulk-loaded tables have none, and no visibility map for index-only scans: a list
    page sorted the whole table (88 ms at 10,000 articles) instead of walking the list's index
    (1.3 ms) until autovacuum came by. VACUUM cannot run inside a transaction (`--atomic`,
    tests); ANALYZE alone can. SQLite is left alone: no plan measured here changed when it
    had statistics (PRAGMA optimize), so gathering them is work an import need not do."""
    if connection.vendor != "postgresql":
        return
    command = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {', '.join(tables)}")
