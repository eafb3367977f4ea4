"""The rules for deriving an article from its page that more than one part of the archive
applies (the parser, the loader, the models, the services behind the API and the admin): one
home for each. Pure: no Django, no I/O.

RULES_VERSION names the rules an article was derived by (Article.rules_version). Bump it when
a change to the parser, the country matcher or its data (archive/reference/) changes what a
page yields: `import_articles --reparse` then derives every article again from its stored
source, and each import says how many articles older rules derived.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

RULES_VERSION = 4
RULES_HISTORY = {
    1: "the first slice",
    2: "country rules as data (aliases, regions, other places, people), names with particles, "
    "legacy encodings by the page's evidence",
    3: "each body's MinHash sketch, to find near duplicates (archive.similarity)",
}


EXCERPT_CHARS = 300


@lru_cache(maxsize=65_536)  # a batch folds each card's title several times
def title_key(title: str) -> str:
    """A title folded so that the same title on a card and on its page compare equal."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    folded = folded.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    folded = re.sub(r"[\u2010-\u2015]", "-", folded)
    return " ".join(folded.split()).rstrip(".… ")


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The text cut at a word before `limit` characters, with an ellipsis: an excerpt."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return cut + "…"


# Where an article's date comes from (models.DateSource's values).
DATELINE, CARD, CURATOR, UNKNOWN = "dateline", "card", "curator", "unknown"
Dated = tuple[date | None, str]  # (published_on, date_source)


def date_from_page(current: Dated, dateline: date | None) -> Dated:
    """An article's date once its page is read: the page's dateline; without one, a date a
    card or a curator gave stays, and one an earlier dateline gave goes."""
    if dateline:
        return dateline, DATELINE
    day, source = current
    return (None, UNKNOWN) if source == DATELINE or day is None else current


def date_from_card(current: Dated, card_date: date | None) -> Dated:
    """An article's date once a card on another page names it: the card's, if it had none."""
    day, _ = current
    return (card_date, CARD) if card_date and day is None else current


def date_by_curator(day: date | None) -> Dated:
    """A date a curator set (or cleared) by hand."""
    return (day, CURATOR) if day else (None, UNKNOWN)


PARAGRAPH_BREAK = "\n\n"  # between an article body's paragraphs and headings


def body_join(blocks: Sequence[str]) -> str:
    """A body from its paragraphs and headings, as an article keeps it."""
    return PARAGRAPH_BREAK.join(blocks)


def body_blocks(body: str) -> list[str]:
    """A body's paragraphs and headings (body_join's inverse)."""
    return body.split(PARAGRAPH_BREAK)


@dataclass(frozen=True)
class Block:
    """A block of an article's body: a heading, or a paragraph with its number (from 1) and
    the heading it is under. A paragraph's anchor (`#p3`) is its id on the article's page."""

    text: str
    number: int | None = None  # None: a heading
    section: str | None = None

    @property
    def anchor(self) -> str | None:
        return f"p{self.number}" if self.number else None


def body_paragraphs(body: str, sections: Sequence[str]) -> list[Block]:
    """The body's headings and numbered paragraphs, split where the importer joins them: a
    block that is one of the sections' headings is a heading, the rest paragraphs."""
    headings, section, number, found = set(sections), None, 0, []
    for text in (block.strip() for block in body_blocks(body)):
        if not text:
            continue
        if text in headings:
            section = text
            found.append(Block(text))
        else:
            number += 1
            found.append(Block(text, number, section))
    return found


def mention_texts(title: str, body: str) -> list[str]:
    """The texts whose country names count as mentions: the title, and each paragraph and
    heading of the body."""
    return [title, *body_blocks(body)]


def country_links(
    tagged: Sequence[str], mentions: Mapping[str, int]
) -> list[tuple[str, bool, int]]:
    """(code, tagged, mentions) for each country an article is tagged with or names: the
    tagged first, in the order of the Country: line, then the named, most named first."""
    named = sorted(mentions, key=lambda code: (-mentions[code], code))
    return [
        (code, code in tagged, mentions.get(code, 0)) for code in dict.fromkeys([*tagged, *named])
    ]
