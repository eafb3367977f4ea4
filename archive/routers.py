"""Database routing: the cache table goes to the `cache` database when there is one (SQLite
deployments, see settings), everything else to `default`; tables that the database keeps by
itself are never dumped, loaded or migrated."""

from __future__ import annotations

from django.conf import settings

CACHE_APP = "django_cache"  # the app label of Django's DatabaseCache entries


class CacheRouter:
    def _for(self, model):
        if model._meta.app_label == CACHE_APP and "cache" in settings.DATABASES:
            return "cache"
        return None

    db_for_read = db_for_write = lambda self, model, **hints: self._for(model)  # noqa: E731

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if "cache" not in settings.DATABASES:
            return None
        return (db == "cache") == (app_label == CACHE_APP)


class KeptByTheDatabase:
    """An unmanaged model (SQLite's full-text table, models.ArticleText) is read through the
    ORM but kept by triggers: dumpdata and loaddata pass it by (a load would write its rows
    twice), and migrations have nothing to do for it."""

    def allow_migrate(self, db, app_label, model_name=None, model=None, **hints):
        if model is not None and not model._meta.managed:
            return False
        return None
