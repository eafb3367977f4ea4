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
