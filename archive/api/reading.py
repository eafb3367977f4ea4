"""For a viewset whose actions read an article list: the request's list query, its filters
checked once, and the reader that answers it (archive.reads.reader_for)."""

from __future__ import annotations

from archive import selectors
from archive.reads import ArticleReader, reader_for


class ReadsArticles:
    def article_reader(self) -> ArticleReader:
        """The reader of the request's list query; a bad filter value is a 400 first."""
        self.filters_deferred = True
        self.filter_queryset(selectors.article_list())
        return reader_for(self.article_query)
