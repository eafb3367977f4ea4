"""`manage.py import_articles [PATH …]`: import scraped article pages (SPEC §4)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from archive.importer import rederive
from archive.importer.loader import Outcome
from archive.importer.pipeline import (
    BATCH_FILES,
    SUMMARY_KEYS,
    FileReport,
    StoredSources,
    import_files,
    memory_release,
    older_rules,
    planner_statistics_refresh,
    source_files,
)
from archive.importer.review import review_items_record
from archive.models import ImportRun
from archive.rules import RULES_VERSION
from archive.search.engine import SearchIndex

NOTEWORTHY = {Outcome.FAILED, Outcome.KEPT, Outcome.DUPLICATE}
RATE_EVERY = 0.25  # seconds between updates of the progress bar's files/s


class Command(BaseCommand):
    help = "Import article pages from files or folders (default: seeds/)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders of *.txt")
        parser.add_argument(
            "--force", action="store_true", help="overwrite articles a curator has edited"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report, write nothing"
        )
        parser.add_argument(
            "--atomic", action="store_true", help="one transaction: any failure, nothing written"
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the report as JSON"
        )
        parser.add_argument(
            "--reparse",
            action="store_true",
            help="derive again, from their stored sources, the articles older rules derived "
            "(curated ones are kept unless --force); takes no paths",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that parse while this one writes (default: one per core; 1: none)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_FILES,
            help=f"files per transaction (default {BATCH_FILES})",
        )

    def handle(
        self, *args, paths, force, dry_run, atomic, as_json, jobs, batch_size, reparse, **options
    ):
        self.verbosity = options["verbosity"]
        if jobs < 1 or batch_size < 1:
            raise CommandError("--jobs and --batch-size must be at least 1")
        if reparse and paths:
            raise CommandError("--reparse reads the stored sources: give it no paths")
        if reparse:
            files = StoredSources()
        else:
            paths = paths or [Path(settings.ARCHIVE_SEEDS_DIR)]
            files = source_files(paths)  # names only; contents are read a batch at a time
            if not files:
                raise CommandError(f"no source files in {', '.join(map(str, paths))}")
        # Every report only when all are printed; otherwise the ones worth a line, and counts.
        self.keep_all = as_json or self.verbosity > 1
        run = {"force": force, "dry_run": dry_run, "jobs": jobs, "batch_size": batch_size}
        started = timezone.now()
        total = len(files)

        if atomic:
            with transaction.atomic():
                reports, summary = self._run(files, run, quiet=as_json)
                if summary["failed"] or dry_run:
                    transaction.set_rollback(True)
        else:
            reports, summary = self._run(files, run, quiet=as_json)
        # What the run held for itself goes before the index is fed (its own peak): the list
        # of files (about 95 MB for a million) and SQLite's page cache.
        del files
        memory_release()

        rolled_back = atomic and summary["failed"] > 0
        if not dry_run:
            source = "--reparse" if reparse else ", ".join(map(str, paths))
            done = ImportRun.objects.create(
                started_at=started, finished_at=timezone.now(), source=source[:500],
                files=total, summary=summary, rolled_back=rolled_back,
            )  # fmt: skip
            review_items_record(done, reports)  # for curators: the admin's review queue
        written = summary["created"] + summary["updated"] + summary["stubs_created"]
        if written and not dry_run and not rolled_back:
            planner_statistics_refresh()
        if not dry_run and not rolled_back:
            # The search index takes the import's changes in bulk, not at the next search.
            SearchIndex().sync()
        if as_json:
            self.stdout.write(
                self._json(reports, summary, dry_run=dry_run, rolled_back=rolled_back)
            )
        else:
            self._print(reports, summary, dry_run=dry_run, rolled_back=rolled_back)
        if summary["failed"]:
            raise CommandError(f"{summary['failed']} of {total} files failed", returncode=1)

    def _run(self, files, run, *, quiet) -> tuple[list[FileReport], dict[str, int]]:
        show_progress = self.stdout.isatty() and not quiet
        reports = []
        counts = Counter({key: 0 for key in SUMMARY_KEYS})
        self.rederived, self.changes = 0, Counter({kind: 0 for kind in rederive.KINDS})
        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            disable=not show_progress,
            transient=True,
        ) as progress:
            task = progress.add_task("import", total=len(files), rate="")
            rate_shown = [0.0]

            def on_progress(done: float) -> None:
                progress.update(task, completed=done)
                # rich's speed walks every sample it keeps: four times a second, not per file
                # (per file it was 8 % of a 10,000-file import, with no bar to show). Drawn at
                # once, so that the count shown moves within a batch, not only between them.
                if (now := time.monotonic()) - rate_shown[0] >= RATE_EVERY:
                    rate_shown[0] = now
                    speed = progress.tasks[task].speed
                    rate = f"{speed:,.0f} files/s" if speed else ""
                    progress.update(task, rate=rate, refresh=True)

            step = on_progress if show_progress else lambda done: None
            for report in import_files(files, on_progress=step, **run):
                counts[str(report.outcome)] += 1
                counts["stubs_created"] += report.stubs_created
                counts["stubs_filled"] += report.stubs_filled
                counts["near_duplicates"] += bool(report.near_duplicates)
                if report.changed is not None:  # derived again by newer rules
                    self.rederived += 1
                    self.changes.update(report.changed)
                if (
                    self.keep_all
                    or report.outcome in NOTEWORTHY
                    or report.warnings
                    or report.near_duplicates
                ):
                    reports.append(report)
        return reports, {key: counts[key] for key in SUMMARY_KEYS}

    def _print(self, reports, summary, *, dry_run, rolled_back) -> None:
        for report in reports:
            if report.outcome in NOTEWORTHY or self.verbosity > 1:
                line = f"{report.outcome:>9}  {Path(report.path).name}"
                line += f": {report.detail}" if report.detail else ""
                style = self.style.ERROR if report.outcome == Outcome.FAILED else self.style.WARNING
                self.stdout.write(style(line) if report.outcome in NOTEWORTHY else line)
            for warning in report.warnings:  # what the parser could not read, never lost
                self.stdout.write(
                    self.style.WARNING(f"  warning  {Path(report.path).name}: {warning}")
                )
            for slug, alike in report.near_duplicates:  # for a curator to merge
                self.stdout.write(
                    self.style.WARNING(
                        f"  near duplicate  {Path(report.path).name}: {report.slug} is nearly "
                        f"the same as {slug} (similarity {alike:.2f})"
                    )
                )
        parts = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in summary.items())
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{parts}")
        for line in self._rules_lines():
            self.stdout.write(self.style.WARNING(line) if "older" in line else line)
        if rolled_back:
            self.stdout.write(self.style.ERROR("--atomic: a file failed, so nothing was written"))

    def _rules_lines(self) -> list[str]:
        """What newer rules changed in the articles derived again; how many older ones
        derived and what brings them up to date."""
        lines = []
        if self.rederived:
            kinds = ", ".join(f"{kind} {n}" for kind, n in self.changes.items())
            lines.append(f"derived again by rules {RULES_VERSION}: {self.rederived} articles; "
                         f"changed: {kinds}")  # fmt: skip
        older = older_rules()
        if older["older_rules"]:
            line = (f"{older['older_rules']} articles derived by older rules: import_articles "
                    "--reparse derives them again")  # fmt: skip
            if older["older_rules_without_source"]:
                line += (f" ({older['older_rules_without_source']} with no stored source: "
                         "import their files again)")  # fmt: skip
            lines.append(line)
        return lines

    def _json(self, reports, summary, *, dry_run, rolled_back) -> str:
        return json.dumps(
            {
                "dry_run": dry_run,
                "rolled_back": rolled_back,
                "summary": summary,
                "rules_version": RULES_VERSION,
                "derived_again": {"articles": self.rederived, "changed": dict(self.changes)},
                **older_rules(),
                "files": [report.as_dict() for report in reports],
            },
            ensure_ascii=False,
            indent=2,
        )
