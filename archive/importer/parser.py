"""Parse the text of one scraped page into an ArticleRecord, by the layout that fits it best
(archive.importer.layouts). Pure: no Django, no I/O."""

from __future__ import annotations

import dataclasses
import unicodedata

from archive.countries import CountryMatcher
from archive.text import plain_spaces, xml_clean

from .caps import record_capped
from .layouts import LAYOUTS
from .records import UTF8, ArticleRecord, Provenance, SourceError


def source_parse(
    text: str, *, matcher: CountryMatcher | None = None, provenance: Provenance = UTF8
) -> ArticleRecord:
    """Parse one page; raise SourceError (one-line reason) for what is not an article."""
    text, removed = xml_clean(normalise(text))
    if removed:  # the file is named beside the warning in the import's report
        provenance = dataclasses.replace(
            provenance,
            warnings=(
                *provenance.warnings,
                f"removed {removed} control character{'s' if removed != 1 else ''} "
                "that XML cannot carry",
            ),
        )
    if not text.strip():
        raise SourceError("empty file")
    return record_capped(layout_for(text).parse(text, matcher=matcher, provenance=provenance))


def layout_for(text: str):
    """The layout that fits the page best; the first listed of equals. With one layout there
    is nothing to choose (and its fit, a scan of the page, is not paid for every page)."""
    if len(LAYOUTS) == 1:
        return LAYOUTS[0]
    fits = [(layout.fit(text), -index) for index, layout in enumerate(LAYOUTS)]
    best, index = max(fits)
    if best <= 0:
        raise SourceError("no known page layout fits the text")
    return LAYOUTS[-index]


def normalise(text: str) -> str:
    """One form for the same page: no BOM, `\\n` line ends, no trailing spaces, NFC, every
    space a plain one and no invisible character (text.plain_spaces): a no-break space inside
    "North Korea" or a zero-width one in a title reads as what a reader sees."""
    text = plain_spaces(unicodedata.normalize("NFC", text.lstrip("\ufeff")))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"
