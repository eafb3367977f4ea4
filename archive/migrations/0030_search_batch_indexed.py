"""SQLite: an import indexes each article of its batch once, at the batch's end.

Migration 0007 let an import hold back the authorship triggers while `archive_search_deferred`
holds a row (only inside an import's transaction, so no other connection ever sees it). The
article's own triggers still ran per row: each new article was written into the FTS5 table
with no authors and written again (FTS5 rewrites a whole row to change a column) once its
authors were known, a filled stub was deleted and written there again, and every article,
authorship, topic and country row added a row to the search outbox. While the row is held
these stand aside too, and the importer writes the batch's text and outbox rows in one
statement each (archive.search.sqlite.batch_indexed). Every other write path is unchanged.
PostgreSQL's outbox triggers already run once per statement.
"""

from django.db import migrations

HELD = "WHEN NOT EXISTS (SELECT 1 FROM archive_search_deferred)"
AUTHORS = """(SELECT coalesce(group_concat(a.name, ' '), '') FROM archive_authorship s
    JOIN archive_author a ON a.id = s.author_id WHERE s.article_id = new.id)"""
LINKS = [
    ("archive_authorship", "article_id"),
    ("archive_article_topics", "article_id"),
    ("archive_articlecountry", "article_id"),
]
TABLES = [("archive_article", "id"), *LINKS]


def triggers(condition: str) -> list[str]:
    """The article's text triggers (0003) and the outbox triggers (0012), with `condition`."""
    made = [
        f"""CREATE TRIGGER archive_article_fts_insert AFTER INSERT ON archive_article
        {condition} BEGIN
            INSERT INTO archive_article_fts (rowid, title, authors, body)
            VALUES (new.id, new.title, '', new.body);
        END""",
        f"""CREATE TRIGGER archive_article_fts_update AFTER UPDATE OF title, body
        ON archive_article {condition} BEGIN
            DELETE FROM archive_article_fts WHERE rowid = old.id;
            INSERT INTO archive_article_fts (rowid, title, authors, body)
            VALUES (new.id, new.title, {AUTHORS}, new.body);
        END""",
    ]
    for table, column in TABLES:
        made += [
            f"""CREATE TRIGGER {table}_search_change_insert AFTER INSERT ON {table}
            {condition} BEGIN
                INSERT INTO archive_search_change (article_id) VALUES (new.{column}); END""",
            f"""CREATE TRIGGER {table}_search_change_delete AFTER DELETE ON {table}
            {condition} BEGIN
                INSERT INTO archive_search_change (article_id) VALUES (old.{column}); END""",
            f"""CREATE TRIGGER {table}_search_change_update AFTER UPDATE ON {table}
            {condition} BEGIN
                INSERT INTO archive_search_change (article_id) VALUES (new.{column});
                INSERT INTO archive_search_change (article_id)
                    SELECT old.{column} WHERE old.{column} != new.{column}; END""",
        ]
    return made


DROP = [
    "DROP TRIGGER IF EXISTS archive_article_fts_insert",
    "DROP TRIGGER IF EXISTS archive_article_fts_update",
    *[
        f"DROP TRIGGER IF EXISTS {table}_search_change_{event}"
        for table, _ in TABLES
        for event in ("insert", "delete", "update")
    ],
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "sqlite":
        for statement in statements:
            schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, [*DROP, *triggers(HELD)])


def remove(apps, schema_editor):
    _run(schema_editor, [*DROP, *triggers("")])


class Migration(migrations.Migration):
    dependencies = [("archive", "0029_country_rows_in_rule_order")]
    operations = [migrations.RunPython(install, remove)]
