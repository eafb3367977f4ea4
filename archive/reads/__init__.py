"""The article lists every door reads: one query value (ArticleQuery), one reader interface
with the search index and the database behind it (readers.py), and the one place the reader
is chosen (reader_for)."""

from __future__ import annotations

from .choice import reader_for
from .query import ArticleQuery, QueryInvalid
from .readers import ArticleReader, DatabaseReader, IndexReader

__all__ = [
    "ArticleQuery",
    "ArticleReader",
    "QueryInvalid",
    "DatabaseReader",
    "IndexReader",
    "reader_for",
]
