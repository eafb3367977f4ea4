"""SQLite: an import can hold back the authors column of the search index until its batch ends.

Each authorship row written re-indexed its article's whole text (FTS5 rewrites a row to change
one column): with two authors an imported article was indexed three times, and those triggers
took a third of an import's time. While `archive_search_deferred` holds a row (only ever inside
an import's transaction, so no other connection sees it) the authorship triggers stand aside and
the importer re-indexes each article of the batch once (archive.search.sqlite).
PostgreSQL needs none of this: its authorship triggers run once per statement.
"""

from django.db import migrations

AUTHORS = """(SELECT coalesce(group_concat(a.name, ' '), '') FROM archive_authorship s
    JOIN archive_author a ON a.id = s.author_id WHERE s.article_id = {row}.article_id)"""
EVENTS = (("INSERT", "new"), ("DELETE", "old"), ("UPDATE", "new"))


def triggers(condition: str) -> list[str]:
    return [
        statement
        for event, row in EVENTS
        for statement in (
            f"DROP TRIGGER IF EXISTS archive_authorship_fts_{event.lower()}",
            f"""CREATE TRIGGER archive_authorship_fts_{event.lower()} AFTER {event}
            ON archive_authorship {condition} BEGIN
                UPDATE archive_article_fts SET authors = {AUTHORS.format(row=row)}
                WHERE rowid = {row}.article_id;
            END""",
        )
    ]


INSTALL = [
    "CREATE TABLE archive_search_deferred (id INTEGER PRIMARY KEY)",
    *triggers("WHEN NOT EXISTS (SELECT 1 FROM archive_search_deferred)"),
]
REMOVE = [*triggers(""), "DROP TABLE archive_search_deferred"]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in INSTALL:
            schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in REMOVE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_source_bytes_sha256")]
    operations = [migrations.RunPython(install, remove)]
