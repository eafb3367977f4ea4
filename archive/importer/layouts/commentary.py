"""The commentary page layout (SPEC §1), the first the importer knows: how well a page fits
it, and the page's text as an ArticleRecord. Pure: no Django, no I/O.

Any part may be missing: breadcrumb, title, dateline, body (paragraphs and section headings),
disclaimer, `Issue:`/`Country:` tags, cards for other articles, one bio per author, footer.
Everything after the body is the "trailer".
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from dateutil import parser as dateparser

from archive.countries import CountryMatcher, country_matcher
from archive.limits import TEXT_MAX_CHARS
from archive.rules import EXCERPT_CHARS, body_join, mention_texts, shorten, title_key

from ..records import (
    UTF8,
    ArticleRecord,
    AuthorRecord,
    CardRecord,
    Provenance,
    PublicationRecord,
    SourceError,
    text_checksum,
)

# "•" as scraped; "*", "-" or "?" where a re-encoding lost it (cp1252 has no "•" fallback).
BULLET = re.compile(r"^\s*[•·▪‣►›»*?\-–]\s*(?P<text>\S.*)$")
DISCLAIMER = re.compile(
    r"^The views (?:and opinions )?expressed in this \w+ are those of the authors?\b.*?"
    r"(?:views|position|policy|policies) of (?:the )?(?P<name>[^.]+?)\.?$",
    re.IGNORECASE,
)
FOOTER = re.compile(
    r"^Subscribe to (?:Receive )?(?:the )?Latest Updates from (?P<acronym>\S+?)\.?$", re.IGNORECASE
)
TAG = re.compile(r"^(?P<key>Issues?|Topics?|Countr(?:y|ies))\s*:\s*(?P<values>.*)$", re.IGNORECASE)
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# DATELINE's forms, in parts.
DATE_PARTS = re.compile(
    r"^(?:(?P<m1>[A-Za-z]+)\.? (?P<d1>\d{1,2}),? (?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2}) (?P<m2>[A-Za-z]+)\.?,? (?P<y2>\d{4})|(?P<iso>\d{4}-\d{2}-\d{2}))$"
)
MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# A weekday before a dateline's date ("Friday, December 13, 2024"); the date alone decides.
WEEKDAY = re.compile(
    r"^(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday)?\.?,?\s+",
    re.IGNORECASE,
)
DATELINE = re.compile(
    rf"^(?:{MONTHS} \d{{1,2}},? \d{{4}}|\d{{1,2}} {MONTHS},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})$",
    re.IGNORECASE,
)
HONORIFICS = {
    "dr",
    "prof",
    "professor",
    "ambassador",
    "amb",
    "gen",
    "general",
    "col",
    "colonel",
    "mr",
    "ms",
    "mrs",
    "sir",
    "dame",
    "rev",
    "sheikh",
    "hon",
    "lt",
    "maj",
    "capt",
    "adm",
    "h.e",
}
NAME_PARTICLES = {
    "al",
    "al-",
    "el",
    "bin",
    "ibn",
    "bint",
    "de",
    "da",
    "di",
    "del",
    "van",
    "von",
    "der",
    "den",
    "du",
    "la",
    "le",
    "abu",
    "ben",
    "y",
}
NOT_NAME_STARTS = {
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "his",
    "her",
    "their",
    "a",
    "an",
    "in",
    "on",
    "at",
    "as",
    "for",
    "our",
    "we",
    "there",
    "what",
}
# Words that make a capitalised run an organisation's or a place's name, not a person's.
ORGANISATION_WORDS = frozenset(
    [
        "Airport",
        "Airways",
        "Airlines",
        "University",
        "College",
        "Institute",
        "Authority",
        "Ministry",
        "Council",
        "Company",
        "Corporation",
        "Bank",
        "Fund",
        "Agency",
        "Center",
        "Centre",
        "Forum",
        "Foundation",
        "Group",
        "Team",
        "Department",
        "Office",
        "Committee",
        "Commission",
        "Organization",
        "Organisation",
        "Association",
        "Party",
        "Government",
        "Army",
        "Navy",
        "Program",
        "Programme",
        "Project",
        "Initiative",
        "Review",
        "Times",
        "Post",
        "News",
        "Port",
        "Railway",
        "Railways",
    ]
)
# A title's last word that ends in its own period: an initialism ("U.S.", "U.A.E.") or a short
# abbreviation ("Inc.", "Jr.").
ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|St)\.)$")
# A generational suffix set off by commas ("Thomas R. Avery, Jr., is"): kept, the commas not.
SUFFIX = re.compile(r",\s*(?P<suffix>Jr\.|Sr\.|II|III|IV)\s*,?\s*$")
BIO_VERB = re.compile(r"\s(?:is|was|serves|served|has been|holds|leads|directs)\s")
FINAL_PUNCTUATION = ".!?;:,…"
CLOSERS = "\"'”’)]»"
OPENERS = "\"'“‘([«"  # what may open a heading before its first word
ELLIPSIS = ("…", "...")


NAME = "commentary"
# The parts that mark a page of this layout, wherever they are: each found adds to its fit.
MARKS = (DISCLAIMER, FOOTER, TAG)


def fit(text: str) -> float:
    """How well a (normalised) page fits this layout: 0.25 for any text, the layout being
    the one pages without marks fall to, and a quarter more for each kind of mark found (a
    disclaimer, a footer, tag lines, a card) — 1.0 with three."""
    lines = [line.strip() for line in text.split("\n")]
    kinds = sum(any(mark.match(line) for line in lines) for mark in MARKS)
    if kinds < 3:
        kinds += _first_card([line for line in lines if line]) is not None
    return 0.25 + 0.25 * kinds


def parse(
    text: str, *, matcher: CountryMatcher | None = None, provenance: Provenance = UTF8
) -> ArticleRecord:
    """Parse one normalised page; raise SourceError (one-line reason) for what is not an
    article."""
    matcher = matcher or country_matcher()
    warnings = list(provenance.warnings)

    lines = text.split("\n")
    crumbs, lines = _take_breadcrumb(lines)
    start = _first_trailer_line(lines)
    blocks = _blocks(lines[:start])
    trailer = [line.strip() for line in lines[start:] if line.strip()]

    title, blocks = _take_title(crumbs, blocks)
    published_on = None
    if blocks and _is_date(blocks[0]):
        published_on = _parse_date(blocks[0])
        blocks = blocks[1:]

    has_disclaimer = any(DISCLAIMER.match(line) for line in trailer)
    body_bios: list[AuthorRecord] = []
    if not has_disclaimer:
        # Without a disclaimer to mark where the body ends, bios may trail the body itself.
        while len(blocks) > 1 and (bio := _bio(blocks[-1], matcher)):
            body_bios.insert(0, bio)
            blocks = blocks[:-1]
    if not blocks:
        raise SourceError("no body: nothing follows the title")
    if not trailer and not body_bios and _ends_mid_sentence(blocks[-1]):
        raise SourceError("truncated: the text stops mid-sentence and nothing follows the body")

    heading_at = {
        i
        for i, block in enumerate(blocks)
        if 0 < i < len(blocks) - 1 and _is_heading(block) and not _is_heading(blocks[i + 1])
    }
    sections = [blocks[i] for i in sorted(heading_at)]
    paragraphs = [block for i, block in enumerate(blocks) if i not in heading_at]
    lead = paragraphs[0] if paragraphs else blocks[0]
    body = body_join(blocks)
    if len(body) > TEXT_MAX_CHARS:
        raise SourceError(f"too long: {len(body):,} characters of text (limit {TEXT_MAX_CHARS:,})")

    tail = _parse_trailer(trailer, matcher, warnings)
    authors = _unique_authors(body_bios + tail["authors"])
    mentions = matcher.count(mention_texts(title, body))
    return ArticleRecord(
        title=title,
        checksum=text_checksum(text),
        body=body,
        lead=lead,
        excerpt=shorten(lead, EXCERPT_CHARS),
        word_count=len(body.split()),
        sections=tuple(sections),
        published_on=published_on,
        publication=tail["publication"],
        authors=tuple(authors),
        topics=tuple(tail["topics"]),
        tagged_countries=tuple(tail["countries"]),
        mentions=tuple(sorted(mentions.items(), key=lambda item: (-item[1], item[0]))),
        related=tuple(tail["cards"]),
        warnings=tuple(warnings),
        encoding=provenance.encoding,
        stored=provenance.stored,
        layout=NAME,
    )


def _take_breadcrumb(lines: list[str]) -> tuple[list[str], list[str]]:
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    crumbs = []
    while index < len(lines) and (match := BULLET.match(lines[index])):
        crumbs.append(match["text"].strip())
        index += 1
    return crumbs, lines[index:]


def _first_trailer_line(lines: list[str]) -> int:
    """Where the body ends: at the first mark (disclaimer, footer, tag line), or on a page
    with none, at the first card (SPEC §1: any part may be missing, and cards are cards)."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if DISCLAIMER.match(stripped) or FOOTER.match(stripped) or TAG.match(stripped):
            return index
    filled = [(index, line.strip()) for index, line in enumerate(lines) if line.strip()]
    card = _first_card([line for _, line in filled])
    return len(lines) if card is None else filled[card][0]


def _first_card(filled: list[str]) -> int | None:
    """Which of these non-blank lines opens the first card, past the title and the body's
    first paragraph; None if none does."""
    return next((n for n in range(2, len(filled)) if _opens_card(filled[n : n + 4])), None)


def _opens_card(lines: list[str]) -> bool:
    """Whether these lines begin a card of either shape whose excerpt is cut off (a body's
    paragraph never ends in an ellipsis before a title and a date)."""
    lines = lines + [""] * (4 - len(lines))
    dated = _is_card_title(lines[0]) and _is_date(lines[1]) and lines[2].endswith(ELLIPSIS)
    labelled = (
        _is_label(lines[0])
        and _is_card_title(lines[1])
        and _is_kind(lines[2])
        and lines[3].endswith(ELLIPSIS)
    )
    return dated or labelled


def _blocks(lines: list[str]) -> list[str]:
    """Paragraphs: runs of non-blank lines, joined."""
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _take_title(crumbs: list[str], blocks: list[str]) -> tuple[str, list[str]]:
    crumb_title = next((c for c in reversed(crumbs) if c.casefold() != "home"), None)
    if crumb_title:
        if blocks and title_key(blocks[0]) == title_key(crumb_title):
            return blocks[0], blocks[1:]
        return crumb_title, blocks
    if blocks and _is_title(blocks[0]):
        return blocks[0], blocks[1:]
    raise SourceError("no title: no breadcrumb and the first line is not a title")


def _is_title(line: str) -> bool:
    return 0 < len(line) <= 300 and not line.endswith(".") and not _is_date(line)


def _is_card_title(line: str) -> bool:
    """A card's title, which may end in an abbreviation's period ("… and the U.S.")."""
    if line.endswith(".") and ABBREVIATION_END.search(line):
        line = line[:-1]
    return _is_title(line)


def _is_date(line: str) -> bool:
    return bool(DATELINE.match(_without_weekday(line)))


def _without_weekday(line: str) -> str:
    return WEEKDAY.sub("", line.strip(), count=1)


@lru_cache(maxsize=4096)  # pages of one publication repeat the same few date formats
def _parse_date(line: str) -> date | None:
    """A dateline's date: read from its parts when it has one of DATELINE's forms (dateutil
    took a seventh of the time a page's parse took), else by dateutil; None if no such day."""
    if parts := DATE_PARTS.match(_without_weekday(line)):
        try:
            if parts["iso"]:
                return date.fromisoformat(parts["iso"])
            month = MONTH_NUMBERS[(parts["m1"] or parts["m2"])[:3].casefold()]
            return date(int(parts["y1"] or parts["y2"]), month, int(parts["d1"] or parts["d2"]))
        except (KeyError, ValueError):
            return None
    try:
        return dateparser.parse(line.strip()).date()
    except (ValueError, OverflowError):
        return None


def _ends_with_punctuation(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in FINAL_PUNCTUATION


def _is_heading(block: str) -> bool:
    """A short line without final punctuation, starting like a heading."""
    return (
        len(block) <= 120
        and len(block.split()) <= 15
        and (start := block.lstrip(OPENERS)[:1]) != ""
        and (start.isupper() or start.isdigit())
        and not _ends_with_punctuation(block)
    )


def _ends_mid_sentence(block: str) -> bool:
    return not _ends_with_punctuation(block)  # an article never ends on a heading


def _bio(line: str, matcher: CountryMatcher) -> AuthorRecord | None:
    """`[Dr. ]Full Name is …` -> the author; None if the line is not a bio."""
    if line.endswith(ELLIPSIS):
        return None  # a card's cut-off excerpt, however bio-like it starts
    verb = BIO_VERB.search(line[:120])
    if not verb:
        return None
    tokens = SUFFIX.sub(r" \g<suffix>", line[: verb.start()]).split()
    honorifics = []
    while tokens and tokens[0].rstrip(".").casefold() in HONORIFICS:
        honorifics.append(tokens.pop(0))
    words = [token for token in tokens if token.casefold() not in NAME_PARTICLES]
    if not 2 <= len(tokens) <= 9 or not 1 <= len(words) <= 5:  # "Tamim bin Hamad Al Thani"
        return None
    if tokens[0].casefold() in NOT_NAME_STARTS:
        return None
    if not all(_is_name_token(token) for token in tokens) or not _capitalised(tokens[-1]):
        return None
    name = " ".join(tokens)
    if matcher.resolve(name) or ORGANISATION_WORDS & set(tokens):
        return None  # "Saudi Arabia is …", "Qatar Investment Authority is …": not a person
    if matcher.names_a_country(name, line):
        return None  # "Doha International Airport is …" names a place ("Jordan Whitaker" not)
    honorific = " ".join(h if h.endswith(".") or len(h) > 4 else h + "." for h in honorifics)
    return AuthorRecord(name=name, honorific=honorific, bio=line)


# A particle joined to the name it belongs to: al-Marri, el-Sisi, bin-Talal, d'Estaing.
JOINED_PARTICLE = re.compile(r"^(?:al|el|ad|an|as|ash|at|az|ul|bin|ben|ibn|abu|d|l)[-'’](?=[A-Z])")


def _is_name_token(token: str) -> bool:
    if token.casefold() in NAME_PARTICLES:
        return True
    if token.endswith((",", ";", ":")):
        return False
    return _capitalised(token)


def _capitalised(token: str) -> bool:
    """A name's word: capitalised ("Marri", "McAllister", "O'Neill"), or a particle joined to
    a capitalised one ("al-Marri")."""
    word = token.lstrip("(\"“'")
    return word[:1].isupper() or JOINED_PARTICLE.sub("", word)[:1].isupper()


def _unique_authors(authors: list[AuthorRecord]) -> list[AuthorRecord]:
    seen: dict[str, AuthorRecord] = {}
    for author in authors:
        seen.setdefault(author.name.casefold(), author)
    return list(seen.values())


def _parse_trailer(lines: list[str], matcher: CountryMatcher, warnings: list[str]) -> dict:
    publication_name = acronym = ""
    topics: list[str] = []
    countries: list[str] = []
    rest: list[str] = []
    for line in lines:
        if match := DISCLAIMER.match(line):
            publication_name = publication_name or match["name"].strip()
        elif match := FOOTER.match(line):
            acronym = acronym or match["acronym"].strip()
        elif match := TAG.match(line):
            values = [v.strip() for v in re.split(r"[,;]", match["values"]) if v.strip()]
            if match["key"].casefold().startswith("countr"):
                for value in values:
                    if code := matcher.resolve(value):
                        countries.append(code)
                    else:
                        warnings.append(f"unknown country tag {value!r}")
            else:
                topics.extend(values)
        else:
            rest.append(line)
    cards, authors = _cards_and_bios(rest, matcher, warnings)
    publication = (
        PublicationRecord(name=publication_name, acronym=acronym)
        if publication_name or acronym
        else None
    )
    return {
        "publication": publication,
        "topics": list(dict.fromkeys(topics)),
        "countries": list(dict.fromkeys(countries)),
        "cards": cards,
        "authors": authors,
    }


def _cards_and_bios(
    lines: list[str], matcher: CountryMatcher, warnings: list[str]
) -> tuple[list[CardRecord], list[AuthorRecord]]:
    """Cards come in two shapes, `title / date / excerpt` and `label / title / kind / excerpt`;
    bios are paragraphs between or after them. Cards are tried first: their excerpts can open
    like a bio ("X University is …")."""
    cards: dict[str, CardRecord] = {}
    authors: list[AuthorRecord] = []

    def at(i: int) -> str:
        return lines[i] if i < len(lines) else ""

    def excerpt_at(i: int) -> str:
        line = at(i)
        if not line or _is_date(line) or _is_date(at(i + 1)) or _bio(line, matcher):
            return ""
        if _is_kind(at(i + 2)) and _is_label(line):
            return ""  # the next card's label
        return line

    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_card_title(line) and _is_date(at(i + 1)):
            excerpt = excerpt_at(i + 2)
            card = CardRecord(title=line, published_on=_parse_date(at(i + 1)), excerpt=excerpt)
            i += 3 if excerpt else 2
        elif _is_label(line) and _is_card_title(at(i + 1)) and _is_kind(at(i + 2)):
            excerpt = excerpt_at(i + 3)
            card = CardRecord(
                title=at(i + 1),
                excerpt=excerpt,
                country=matcher.resolve(line),
                kind=at(i + 2).casefold(),
            )
            i += 4 if excerpt else 3
        else:
            if bio := _bio(line, matcher):
                authors.append(bio)
            else:
                warnings.append(f"unrecognised line after the body: {shorten(line, 60)!r}")
            i += 1
            continue
        key = title_key(card.title)
        cards[key] = _merge_cards(cards[key], card) if key in cards else card
    return list(cards.values()), authors


def _merge_cards(first: CardRecord, second: CardRecord) -> CardRecord:
    return CardRecord(
        title=first.title,
        published_on=first.published_on or second.published_on,
        excerpt=max(first.excerpt, second.excerpt, key=len),
        country=first.country or second.country,
        kind=first.kind or second.kind,
    )


def _is_label(line: str) -> bool:
    """A card's country or region label: a few capitalised words."""
    return 0 < len(line) <= 40 and len(line.split()) <= 4 and _is_heading(line)


def _is_kind(line: str) -> bool:
    """A card's content type ("Commentary", "Policy Analysis")."""
    words = line.split()
    return (
        0 < len(words) <= 3
        and len(line) <= 30
        and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)  # "Op-Ed"
    )
