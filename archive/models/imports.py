"""A record of each import run, for the curators' dashboard: when, from where, and what it
did (the summary the command printed)."""

from __future__ import annotations

from django.db import models


class ImportRun(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    source = models.CharField(max_length=500, help_text="The folders or files imported.")
    files = models.PositiveIntegerField()
    summary = models.JSONField(default=dict, help_text="created, updated, …, failed")
    rolled_back = models.BooleanField(default=False, help_text="--atomic and a file failed")

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"import of {self.source} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def outcome(self) -> str:
        if self.rolled_back:
            return "rolled back"
        return f"{self.summary.get('failed', 0)} failed" if self.summary.get("failed") else "ok"


class ReviewItem(models.Model):
    """Something an import saw that a curator should look at: what it warned of, a pair of
    near duplicates, a page it refused. One per (kind, file, message): an import of the same
    file that sees the same again does not add another, and one resolved stays resolved."""

    class Kind(models.TextChoices):
        ENCODING = "encoding", "encoding chosen with doubt"
        COUNTRY = "country", "unknown country tag"
        TRAILER = "trailer", "line not read (a bio, a card?)"
        LEFT_OUT = "left_out", "value left out (past a limit)"
        CLEANED = "cleaned", "characters removed"
        KEPT = "kept", "curated value kept"
        NEAR_DUPLICATE = "near_duplicate", "near duplicate"
        REFUSED = "refused", "page refused"
        OTHER = "other", "other warning"

    class Status(models.TextChoices):
        OPEN = "open", "waiting"
        RESOLVED = "resolved", "resolved"
        DISMISSED = "dismissed", "dismissed"

    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    source_name = models.CharField(max_length=100, help_text="The file it concerns.")
    message = models.CharField(max_length=500)
    article = models.ForeignKey(
        "archive.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="review_items"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["status", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_name", "message"], name="review_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.message}"
