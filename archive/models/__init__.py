"""The archive's data model (SPEC §2), one module per area."""

from .articles import Article, ContentType, DateSource, RelatedArticle, slugs_from
from .duplicates import ArticleSketch, NearDuplicate, SketchBand
from .imports import ImportRun, ReviewItem
from .people import Author, AuthorAlias, Authorship
from .publications import Publication, PublicationAlias
from .search import ArticleText, SearchChange, SearchDatabase, SearchNode
from .sources import ArticleSource
from .taxonomy import ArticleCountry, ArticleTopic, Country, Topic, TopicAlias

__all__ = [
    "Article",
    "ArticleCountry",
    "ArticleSketch",
    "ArticleSource",
    "ArticleText",
    "ArticleTopic",
    "Author",
    "AuthorAlias",
    "Authorship",
    "ContentType",
    "Country",
    "DateSource",
    "ImportRun",
    "NearDuplicate",
    "Publication",
    "PublicationAlias",
    "RelatedArticle",
    "ReviewItem",
    "SearchChange",
    "SearchDatabase",
    "SearchNode",
    "SketchBand",
    "Topic",
    "TopicAlias",
    "slugs_from",
]
