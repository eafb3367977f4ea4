"""The archive's data model (SPEC §2), one module per area."""

from .articles import Article, ContentType, DateSource, RelatedArticle
from .people import Author, Authorship
from .publications import Publication
from .taxonomy import ArticleCountry, Country, Topic

__all__ = [
    "Article",
    "ArticleCountry",
    "Author",
    "Authorship",
    "ContentType",
    "Country",
    "DateSource",
    "Publication",
    "RelatedArticle",
    "Topic",
]
