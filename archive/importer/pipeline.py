"""The import pipeline for one file: read -> decode -> parse -> load, in one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from .loader import Outcome, article_load
from .parser import source_parse
from .reading import source_decode, source_read
from .records import SourceError

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

    def as_dict(self) -> dict:
        return {**asdict(self), "outcome": str(self.outcome)}


def source_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Each file named, and the `*.txt` files of each folder, in name order, lazily."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if not p.name.startswith("."))
        else:
            yield path  # a missing file is reported by file_import, not skipped


def file_import(path: Path, *, force: bool = False, dry_run: bool = False) -> FileReport:
    report = FileReport(path=str(path), source_name=path.stem, outcome=Outcome.FAILED)
    try:
        record = source_parse(source_decode(source_read(path)))
    except SourceError as error:
        report.detail = str(error)
        return report
    except OSError as error:
        report.detail = f"cannot read: {error.strerror or error}"
        return report
    report.warnings = list(record.warnings)
    try:
        with transaction.atomic():
            _import_lock()
            result = article_load(source_name=path.stem, record=record, force=force)
            if dry_run:
                transaction.set_rollback(True)  # report exactly what would happen, keep nothing
    except DatabaseError as error:
        report.detail = "database error: " + " ".join(str(error).split())[:200]
        return report
    report.outcome = result.outcome
    report.detail = result.detail
    report.slug = result.slug
    report.stubs_created = result.stubs_created
    report.stubs_filled = result.stubs_filled
    return report


def _import_lock() -> None:
    """Wait for any other import's file transaction to finish before reading what exists.

    Two runs over the same folder then see each other's committed work (`unchanged`) instead
    of both creating the same author, stub or article. SQLite needs nothing: its writing
    transactions already take the database's write lock at BEGIN (IMMEDIATE mode)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def summarise(reports: Iterable[FileReport]) -> dict[str, int]:
    counts = Counter({key: 0 for key in SUMMARY_KEYS})
    for report in reports:
        counts[str(report.outcome)] += 1
        counts["stubs_created"] += report.stubs_created
        counts["stubs_filled"] += report.stubs_filled
    return {key: counts[key] for key in SUMMARY_KEYS}
