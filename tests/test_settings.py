"""Settings: the database comes from DATABASE_URL; SQLite runs in WAL mode."""

from __future__ import annotations

from config.settings.base import BASE_DIR, database_from_env


def test_unset_or_empty_database_url_is_the_sqlite_file(monkeypatch):
    for value in (None, ""):
        if value is None:
            monkeypatch.delenv("DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("DATABASE_URL", value)
        config = database_from_env()
        assert config["ENGINE"] == "django.db.backends.sqlite3"
        assert config["NAME"] == str(BASE_DIR / "db.sqlite3")


def test_postgres_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5433/archive")
    config = database_from_env()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "archive")


def test_sqlite_connections_use_wal_and_foreign_keys(monkeypatch, tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    settings_dict = {**database_from_env(), "TIME_ZONE": None, "AUTOCOMMIT": True}
    wrapper = DatabaseWrapper(settings_dict, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        wrapper.close()
