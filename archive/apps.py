"""App configuration for the archive."""

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Commentary archive"
    default_auto_field = "django.db.models.BigAutoField"
