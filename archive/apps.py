"""App configuration for the archive."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Commentary archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from archive import budget  # noqa: F401  (installs the SQLite deadline check)

        post_migrate.connect(cache_tables_create, sender=self)


def cache_tables_create(sender, using="default", verbosity=1, **kwargs):
    """After `migrate`: the shared cache's table (settings.CACHES) in whichever database the
    router gives it, so that `make migrate` is the only set-up step."""
    from django.conf import settings
    from django.core.management import call_command

    for alias in settings.DATABASES:
        call_command("createcachetable", database=alias, verbosity=0)
