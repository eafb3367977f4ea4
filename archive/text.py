"""One form for what people type and pages spell: names, slugs and queries are NFKC-normalised,
so that full-width `Ｉran`, a ligature or a compatibility character means what it shows.

Texts (titles, bodies) keep their own characters: NFKC would turn a typographer's `…` into
three dots. Pure: no Django at import, so the parser and its worker processes use it."""

from __future__ import annotations

import unicodedata


def nfkc(value: str) -> str:
    if value.isascii():
        return value  # the common case, at no cost
    return unicodedata.normalize("NFKC", value)


class QueryNormalizeMiddleware:
    """Every query-string value (API filters, search, the admin's search box) in NFKC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if any(not value.isascii() for values in query.lists() for value in values[1]):
            normalized = query.copy()
            for key, values in query.lists():
                normalized.setlist(key, [nfkc(value) for value in values])
            normalized._mutable = False
            request.GET = normalized
        return self.get_response(request)
