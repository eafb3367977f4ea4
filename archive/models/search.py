"""The search index's outbox (which articles changed, in commit order), and SQLite's full-text
table as the ORM reads it."""

from django.db import models
from django.db.models import Lookup


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
    pruned_upto = models.BigIntegerField(
        default=0,
        help_text="The outbox holds no change up to this id: an index whose position is "
        "below it lacks changes it can no longer read, and is rebuilt.",
    )

    class Meta:
        db_table = "archive_search_database"

    def __str__(self) -> str:
        return self.token


class SearchNode(models.Model):
    """A node whose index applies the outbox, and how far it has: the outbox keeps what some
    node seen lately still lacks, and no more (archive.search.engine.outbox_prune)."""

    name = models.CharField(max_length=300, unique=True, help_text="host:index folder")
    position = models.BigIntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        db_table = "archive_search_node"

    def __str__(self) -> str:
        return f"{self.name} at change {self.position}"


class MatchField(models.TextField):
    """An FTS5 table's hidden column named after the table: `field__match=expression` is its
    MATCH, and the column is the first argument of bm25(), snippet() and highlight()."""


@MatchField.register_lookup
class Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ArticleText(models.Model):
    """SQLite only: the FTS5 table of each article's title, authors and body (migration 0003,
    kept by triggers), so that a search joins it by the ORM's own means. Never written here,
    never read on PostgreSQL (which keeps `Article.search_vector` instead)."""

    article = models.OneToOneField(
        "Article", primary_key=True, db_column="rowid", db_constraint=False,
        on_delete=models.DO_NOTHING, related_name="text_entry",
    )  # fmt: skip
    entry = MatchField(db_column="archive_article_fts")

    class Meta:
        managed = False
        db_table = "archive_article_fts"

    def __str__(self) -> str:
        return f"text of article {self.article_id}"
