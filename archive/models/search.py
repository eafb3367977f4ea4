"""The search index's outbox: which articles changed, in commit order."""

from django.db import models


class SearchChange(models.Model):
    """An article whose searchable record (text, authors, topics, countries, dates, flags)
    changed. Written by database triggers in the transaction of the change itself (migration
    0012), so that every write path, raw SQL included, is caught and a rolled-back change
    leaves none; each node's index applies the rows in order (archive.search.engine)."""

    id = models.BigAutoField(primary_key=True)
    article_id = models.BigIntegerField()

    class Meta:
        db_table = "archive_search_change"

    def __str__(self) -> str:
        return f"change {self.id}: article {self.article_id}"


class SearchDatabase(models.Model):
    """This database's identity (one row, made by migration 0012): an index records it, so
    that an index folder met by another database is rebuilt, never patched."""

    token = models.CharField(max_length=32, unique=True)

    class Meta:
        db_table = "archive_search_database"

    def __str__(self) -> str:
        return self.token
