"""A parsed page fitted to the sizes the archive keeps (archive.limits), as the API holds a
write to them: a title too long refuses the file; a name too long, or links past the count
one page may make, are left out with a warning that names what went. Pure: no Django."""

from __future__ import annotations

from dataclasses import replace

from archive.limits import (
    ACRONYM_MAX_CHARS,
    HONORIFIC_MAX_CHARS,
    NAME_MAX_CHARS,
    RELATED_MAX_ITEMS,
    TITLE_MAX_CHARS,
)

from .records import ArticleRecord, SourceError


def record_capped(record: ArticleRecord) -> ArticleRecord:
    if len(record.title) > TITLE_MAX_CHARS:
        raise SourceError(
            f"title too long: {len(record.title):,} characters (limit {TITLE_MAX_CHARS})"
        )
    warnings = list(record.warnings)

    def fitting(kind: str, items: tuple, too_long) -> tuple:
        kept = tuple(item for item in items if not too_long(item))
        if dropped := len(items) - len(kept):
            warnings.append(f"{dropped} {kind} left out: name longer than the archive keeps")
        if len(kept) > RELATED_MAX_ITEMS:
            warnings.append(
                f"{len(kept) - RELATED_MAX_ITEMS} {kind} left out: "
                f"at most {RELATED_MAX_ITEMS} a page"
            )
        return kept[:RELATED_MAX_ITEMS]

    authors = fitting("authors", record.authors, lambda a: len(a.name) > NAME_MAX_CHARS)
    if any(len(a.honorific) > HONORIFIC_MAX_CHARS for a in authors):
        warnings.append(f"honorific left out: longer than {HONORIFIC_MAX_CHARS} characters")
        authors = tuple(
            replace(a, honorific="") if len(a.honorific) > HONORIFIC_MAX_CHARS else a
            for a in authors
        )
    publication = record.publication
    if publication and len(publication.acronym) > ACRONYM_MAX_CHARS:
        warnings.append(f"publication acronym left out: longer than {ACRONYM_MAX_CHARS}")
        publication = replace(publication, acronym="")
    if publication and len(publication.name) > NAME_MAX_CHARS:
        warnings.append(f"publication left out: name longer than {NAME_MAX_CHARS}")
        publication = None
    if publication and not (publication.name or publication.acronym):
        publication = None
    capped = replace(
        record,
        authors=authors,
        publication=publication,
        topics=fitting("topics", record.topics, lambda t: len(t) > NAME_MAX_CHARS),
        tagged_countries=fitting("countries", record.tagged_countries, lambda c: False),
        related=fitting("cards", record.related, lambda c: len(c.title) > TITLE_MAX_CHARS),
    )
    return (
        capped if warnings == list(record.warnings) else replace(capped, warnings=tuple(warnings))
    )
