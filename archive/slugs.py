"""Slugs: the one rule that makes a record's slug from its name or title. Pure but for Django's
slugify: the importer, the services and the API's serializers all make slugs here."""

from __future__ import annotations

from functools import lru_cache

from django.utils.text import slugify


@lru_cache(maxsize=65_536)  # an import asks it for the same names again and again
def slug_base(name: str, kind: str = "article") -> str:
    """The slug a record's name or title gives; a name with nothing to make one of ("؟")
    gives its kind's ("article", "author", "topic"). The one rule for every record."""
    return slugify(name)[:240].strip("-") or kind


def slug_free(base: str, taken: set[str]) -> str:
    """`base`, or the first of `base-2`, `base-3`… that is not taken."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
