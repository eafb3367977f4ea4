"""JSON request bodies, refused with a clear 400 when no record could be written that way."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from archive.limits import JSON_MAX_DEPTH


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a bound on nesting: Python's decoder recurses per level and
    failed with RecursionError (a 500) on a body of ten thousand brackets."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels."
            ) from None
        if _depth_exceeds(data, JSON_MAX_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {JSON_MAX_DEPTH} levels.")
        return data


def _depth_exceeds(data, limit: int) -> bool:
    """Whether containers nest deeper than `limit`, walked without recursion."""
    level = [data]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            for child in (
                item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
            )
        ]
        if not level:
            return False
    return True
