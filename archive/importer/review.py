"""The review queue (models.ReviewItem): what an import warned of, the near duplicates it
found and the pages it refused, each made a record curators see, resolve or dismiss. Written
once per run from its reports; an item already there (the same kind, file and message) is not
added again, so a re-import neither duplicates nor reopens it."""

from __future__ import annotations

from collections.abc import Iterable

from archive.models import Article, ImportRun, ReviewItem

from .pipeline import FileReport

# A warning's kind, by how the importer words it (its first words): one table, read in order.
KINDS = [
    ("encoding uncertain", ReviewItem.Kind.ENCODING),
    ("unknown country tag", ReviewItem.Kind.COUNTRY),
    ("unrecognised line", ReviewItem.Kind.TRAILER),
    ("removed ", ReviewItem.Kind.CLEANED),
    ("kept the curated", ReviewItem.Kind.KEPT),
]
LEFT_OUT = " left out"


def kind_of(warning: str) -> str:
    for start, kind in KINDS:
        if warning.startswith(start):
            return kind
    return ReviewItem.Kind.LEFT_OUT if LEFT_OUT in warning else ReviewItem.Kind.OTHER


def review_items_record(run: ImportRun, reports: Iterable[FileReport]) -> int:
    """The run's reports as review items; returns how many were new."""
    wanted = []
    for report in reports:
        found = [(kind_of(warning), warning) for warning in report.warnings]
        found += [
            (ReviewItem.Kind.NEAR_DUPLICATE, f"nearly the same as {slug} ({alike:.0%})")
            for slug, alike in report.near_duplicates
        ]
        if report.outcome == "failed":
            found.append((ReviewItem.Kind.REFUSED, report.detail or "refused"))
        wanted += [(report.source_name, report.slug, kind, text[:500]) for kind, text in found]
    if not wanted:
        return 0
    slugs = {slug for _, slug, _, _ in wanted if slug}
    articles = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    before = ReviewItem.objects.count()
    ReviewItem.objects.bulk_create(
        [
            ReviewItem(
                kind=kind,
                source_name=name[:100],
                message=text,
                article_id=articles.get(slug),
                import_run=run,
            )  # fmt: skip
            for name, slug, kind, text in wanted
        ],
        ignore_conflicts=True,  # one per (kind, file, message): review_item_once
    )
    return ReviewItem.objects.count() - before
