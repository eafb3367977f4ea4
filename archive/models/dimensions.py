"""The records an article list is counted and filtered by, each declared once: its model and
the fields shown, its link table, and the search index's field of its ids. The facets
(selectors), the database's table counts (table_counts), the index's facets, counts and
filters (reads.index, reads.index_counts) all read it; the names are archive.tables'."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from .people import Author, Authorship
from .publications import Publication
from .taxonomy import ArticleCountry, ArticleTopic, Country, Topic


@dataclass(frozen=True)
class Dimension:
    name: str
    model: type[models.Model]
    shown: tuple[str, str]  # the label and the name shown; equal counts go by the label
    index_field: str  # the search index's field holding the records' ids (search.engine)
    link: type[models.Model] | None  # the link table, or None: a column of the article
    column: str  # the record's id, in the link table or the article

    @property
    def from_article(self) -> str:
        """The path from an article to the record's id, for the ORM."""
        if self.link is None:
            return self.column
        related = self.link._meta.get_field("article").remote_field.related_name
        return f"{related}__{self.column}"


RECORDS = {
    d.name: d
    for d in (
        Dimension("country", Country, ("code", "name"), "country_ids",
                  ArticleCountry, "country_id"),
        Dimension("topic", Topic, ("slug", "name"), "topic_ids", ArticleTopic, "topic_id"),
        Dimension("author", Author, ("slug", "name"), "author_ids", Authorship, "author_id"),
        Dimension("publication", Publication, ("slug", "name"), "publication",
                  None, "publication_id"),
    )
}  # fmt: skip
