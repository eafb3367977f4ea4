"""One form for what people type and pages spell: names, slugs and queries are NFKC-normalised,
so that full-width `Ｉran`, a ligature or a compatibility character means what it shows.

Texts (titles, bodies) keep their own characters: NFKC would turn a typographer's `…` into
three dots. Pure: no Django at import, so the parser and its worker processes use it."""

from __future__ import annotations

import re
import unicodedata

# What XML 1.0 cannot carry: C0 controls but tab, line feed and carriage return, lone
# surrogates, U+FFFE and U+FFFF. A text holding one breaks every XML door that shows it (Atom,
# OAI-PMH, GraphML, the sitemap), so no door lets one in and every XML writer drops them.
NOT_XML_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"  # a class's body, as Python's
# re and JSON Schema's patterns (archive.api.schema) both read it; lone surrogates are added
# below only: a schema's pattern naming them is one that generators (schemathesis) ignore
NOT_XML = re.compile(f"[{NOT_XML_CHARACTERS}\ud800-\udfff]")


# Unicode's space separators but the plain space (no-break, thin, narrow no-break, ideographic…),
# and the characters that take no room: zero-width space, word joiner, soft hyphen, BOM,
# direction marks. Zero-width (non-)joiners stay: some scripts spell with them.
SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
INVISIBLES = "\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069"
OTHER_SPACES, INVISIBLE = re.compile(f"[{SPACES}]"), re.compile(f"[{INVISIBLES}]")
EITHER = re.compile(f"[{SPACES}{INVISIBLES}]")  # one scan for the common page with neither


def plain_spaces(text: str) -> str:
    """The text with every space a plain one and no invisible character: as a reader sees it,
    so that a name or a title is read whatever the typesetter put between its words."""
    if text.isascii() or not EITHER.search(text):
        return text
    return INVISIBLE.sub("", OTHER_SPACES.sub(" ", text))


def nfkc(value: str) -> str:
    if value.isascii():
        return value  # the common case, at no cost
    return unicodedata.normalize("NFKC", value)


def xml_unsafe(value: object) -> str | None:
    """Why a text (or a list's text) cannot go into XML ("U+0007 at character 12"), or None
    when it can; anything else is not this rule's question."""
    for text in value if isinstance(value, list) else [value]:
        if isinstance(text, str) and (found := NOT_XML.search(text)):
            return f"U+{ord(found.group()):04X} at character {found.start() + 1}"
    return None


def xml_clean(value: str) -> tuple[str, int]:
    """The text without what XML cannot carry, and how many characters went."""
    return NOT_XML.subn("", value)


def xml_text(value: str) -> str:
    """The text as an XML writer may put it: what is stored from before the doors checked
    (or written straight into the database) cannot stop a feed or a harvest."""
    return NOT_XML.sub("", value) if isinstance(value, str) else value


class QueryNormalizeMiddleware:
    """Every query-string value (API filters, search, the admin's search box) in NFKC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        request.query_as_sent = query  # for protocols whose tokens are exact (OAI-PMH)
        if any(not value.isascii() for values in query.lists() for value in values[1]):
            normalized = query.copy()
            for key, values in query.lists():
                normalized.setlist(key, [nfkc(value) for value in values])
            normalized._mutable = False
            request.GET = normalized
        return self.get_response(request)
