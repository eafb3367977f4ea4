"""For a viewset whose actions read an article list: the request's list query, its filters
checked once, and the reader that answers it (archive.reads.reader_for)."""

from __future__ import annotations

from django_filters.utils import translate_validation

from archive.reads import ArticleQuery, ArticleReader, QueryInvalid, reader_for

from .guards import QueryParamGuard


class ReadsArticles:
    def article_reader(self) -> ArticleReader:
        """The reader of the request's list query: its parameters checked by the guard (none
        unknown, repeated or too long), its filters validated into an ArticleQuery by their
        own definitions (a 400 with the reasons), and reader_for's choice."""
        QueryParamGuard().filter_queryset(self.request, None, self)
        try:
            query = ArticleQuery.asked(self.request.query_params, self.filterset_class)
        except QueryInvalid as invalid:
            raise translate_validation(invalid.errors) from None
        return reader_for(query)
