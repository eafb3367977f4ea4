"""Frozen records: the contract between the parser (pure) and the loader (database)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from archive.text import nfkc


class SourceError(ValueError):
    """A source file that cannot be imported; the message is a one-line reason."""


class _Names:
    """Names in NFKC (archive.text), whichever page spelled them."""

    NAMES: tuple[str, ...] = ()

    def __post_init__(self):
        for name in self.NAMES:
            object.__setattr__(self, name, nfkc(getattr(self, name)))


@dataclass(frozen=True)
class PublicationRecord(_Names):
    NAMES = ("name", "acronym")
    name: str = ""
    acronym: str = ""


@dataclass(frozen=True)
class AuthorRecord(_Names):
    NAMES = ("name", "honorific")
    name: str
    honorific: str = ""
    bio: str = ""


@dataclass(frozen=True)
class CardRecord:
    """Another article of the same publication, as a card on this page shows it."""

    title: str
    published_on: date | None = None
    excerpt: str = ""
    country: str | None = None  # ISO alpha-2 of the card's country label, when it names one
    kind: str = ""  # the card's content type as labelled, lower-cased ("commentary")


@dataclass(frozen=True)
class Provenance:
    """How a page's text came from its file: the encoding its bytes were read in, what reading
    them warned of, and the bytes as the archive keeps them (archive.stored)."""

    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    stored: bytes = field(default=b"", repr=False)


NOT_SKETCHED = b""
UTF8 = Provenance()  # a text given as such: nothing to say of its bytes


@dataclass(frozen=True)
class ArticleRecord:
    title: str
    checksum: str  # sha256 of the normalised text: BOM, line ends and encoding don't count
    body: str  # paragraphs and headings, blank-line separated
    lead: str
    excerpt: str
    word_count: int
    sections: tuple[str, ...] = ()
    published_on: date | None = None
    publication: PublicationRecord | None = None
    authors: tuple[AuthorRecord, ...] = ()
    topics: tuple[str, ...] = ()
    tagged_countries: tuple[str, ...] = ()  # ISO alpha-2, in the order of the Country: line
    mentions: tuple[tuple[str, int], ...] = ()  # (ISO alpha-2, count), most mentioned first
    related: tuple[CardRecord, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    encoding: str = field(default="utf-8", compare=False)  # of the source file's bytes
    # The file's bytes as the archive keeps them (archive.stored), made where the
    # page is parsed, a worker process, rather than by the one process that writes.
    stored: bytes = field(default=b"", compare=False, repr=False)
    layout: str = field(default="", compare=False)  # the page layout that read it (layouts)
    # The body's MinHash sketch (archive.similarity), made by the worker process that parsed
    # the page; None for a body too short to sketch; NOT_SKETCHED when parsed in the writing
    # process, which sketches only the pages it writes (workers.sketch_of).
    sketch: bytes | None = field(default=b"", compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "topics", tuple(nfkc(topic) for topic in self.topics))


def text_checksum(text: str) -> str:
    """ArticleRecord.checksum: the digest of a page's normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
