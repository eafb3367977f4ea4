"""Near duplicates: each imported article's MinHash sketch, its band keys (which articles to
compare: archive.similarity), and the pairs found nearly the same, for curators to merge."""

from __future__ import annotations

from django.db import models


class ArticleSketch(models.Model):
    article = models.OneToOneField(
        "archive.Article", on_delete=models.CASCADE, primary_key=True, related_name="sketch"
    )
    minhash = models.BinaryField(help_text="The body's MinHash sketch (archive.similarity).")

    def __str__(self) -> str:
        return f"sketch of article {self.article_id}"


class SketchBand(models.Model):
    """One band key of an article's sketch: articles sharing a key are compared."""

    article = models.ForeignKey("archive.Article", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [
            # A common key's newest holders, read from the index alone (importer.duplicates).
            models.Index(fields=["key", "-article"], name="sketch_band_key_newest"),
        ]

    def __str__(self) -> str:
        return f"band {self.key} of article {self.article_id}"


class NearDuplicate(models.Model):
    """Two articles whose texts are nearly the same; a pair is kept both ways round, so that
    each article's are found by its own key."""

    article = models.ForeignKey(
        "archive.Article", on_delete=models.CASCADE, related_name="near_duplicates"
    )
    other = models.ForeignKey("archive.Article", on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(help_text="Estimated Jaccard similarity of their shingles.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "other"], name="near_duplicate_once"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("other")), name="near_duplicate_of_another"
            ),
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} ~ {self.other_id} ({self.similarity:.2f})"
