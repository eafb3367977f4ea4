"""The bytes each article was last imported from, kept compressed: the archive keeps its
originals (as Paperless-ngx does), so that `import_articles --reparse` derives articles again
with no file on disk, and the provenance of every value can be shown."""

from __future__ import annotations

from django.db import models

from archive import stored


class ArticleSource(models.Model):
    article = models.OneToOneField(
        "archive.Article", on_delete=models.CASCADE, primary_key=True, related_name="source_file"
    )
    data = models.BinaryField(help_text="The file's bytes, compressed (archive.stored).")
    size = models.PositiveIntegerField(help_text="The file's size in bytes, uncompressed.")

    def __str__(self) -> str:
        return f"source of article {self.article_id} ({self.size:,} bytes)"

    def original(self) -> bytes:
        return stored.original(self.data, self.size)
