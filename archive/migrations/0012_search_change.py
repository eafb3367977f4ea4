"""The search index's outbox (docs/search.md): triggers add a row naming the article to
`archive_search_change` whenever anything search sees changes, in the same transaction.

Caught: articles (insert, update, delete), their authorship, topic and country rows, and an
author's name (every article of that author). SQLite fires per row; PostgreSQL per statement,
reading the statement's transition tables, so a bulk write adds one INSERT … SELECT."""

import uuid

from django.db import migrations, models

# (table, column naming the article)
LINKS = [
    ("archive_authorship", "article_id"),
    ("archive_article_topics", "article_id"),
    ("archive_articlecountry", "article_id"),
]
TABLES = [("archive_article", "id"), *LINKS]

SQLITE_INSTALL = [
    statement
    for table, column in TABLES
    for statement in (
        f"""CREATE TRIGGER {table}_search_change_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO archive_search_change (article_id) VALUES (new.{column}); END""",
        f"""CREATE TRIGGER {table}_search_change_delete AFTER DELETE ON {table} BEGIN
            INSERT INTO archive_search_change (article_id) VALUES (old.{column}); END""",
        f"""CREATE TRIGGER {table}_search_change_update AFTER UPDATE ON {table} BEGIN
            INSERT INTO archive_search_change (article_id) VALUES (new.{column});
            INSERT INTO archive_search_change (article_id)
                SELECT old.{column} WHERE old.{column} != new.{column}; END""",
    )
] + [
    """CREATE TRIGGER archive_author_search_change AFTER UPDATE OF name ON archive_author
        WHEN old.name IS NOT new.name BEGIN
        INSERT INTO archive_search_change (article_id)
            SELECT article_id FROM archive_authorship WHERE author_id = new.id; END""",
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {table}_search_change_{event}"
    for table, _ in TABLES
    for event in ("insert", "delete", "update")
] + ["DROP TRIGGER IF EXISTS archive_author_search_change"]

PG_INSTALL = [
    """CREATE FUNCTION archive_search_change_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO archive_search_change (article_id)
            SELECT DISTINCT (to_jsonb(n) ->> TG_ARGV[0])::bigint FROM new_rows n;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO archive_search_change (article_id)
            SELECT DISTINCT (to_jsonb(o) ->> TG_ARGV[0])::bigint FROM old_rows o;
        END IF;
        RETURN NULL;
    END $$""",
    *[
        statement
        for table, column in TABLES
        for statement in (
            f"""CREATE TRIGGER {table}_search_change_insert AFTER INSERT ON {table}
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
                EXECUTE FUNCTION archive_search_change_rows('{column}')""",
            f"""CREATE TRIGGER {table}_search_change_delete AFTER DELETE ON {table}
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
                EXECUTE FUNCTION archive_search_change_rows('{column}')""",
            f"""CREATE TRIGGER {table}_search_change_update AFTER UPDATE ON {table}
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
                EXECUTE FUNCTION archive_search_change_rows('{column}')""",
        )
    ],
    """CREATE FUNCTION archive_author_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO archive_search_change (article_id)
        SELECT article_id FROM archive_authorship WHERE author_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER archive_author_search_change AFTER UPDATE OF name ON archive_author
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION archive_author_search_change()""",
]
PG_REMOVE = [
    *[
        f"DROP TRIGGER IF EXISTS {table}_search_change_{event} ON {table}"
        for table, _ in TABLES
        for event in ("insert", "delete", "update")
    ],
    "DROP TRIGGER IF EXISTS archive_author_search_change ON archive_author",
    "DROP FUNCTION IF EXISTS archive_search_change_rows()",
    "DROP FUNCTION IF EXISTS archive_author_search_change()",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def identity_make(apps, schema_editor):
    """This database's token: an index folder that records another one is rebuilt."""
    apps.get_model("archive", "SearchDatabase").objects.create(token=uuid.uuid4().hex)


def install(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REMOVE, "postgresql": PG_REMOVE})


class Migration(migrations.Migration):
    dependencies = [("archive", "0011_text_limit")]

    operations = [
        migrations.CreateModel(
            name="SearchChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("article_id", models.BigIntegerField()),
            ],
            options={"db_table": "archive_search_change"},
        ),
        migrations.CreateModel(
            name="SearchDatabase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32, unique=True)),
            ],
            options={"db_table": "archive_search_database"},
        ),
        migrations.RunPython(identity_make, migrations.RunPython.noop),
        migrations.RunPython(install, remove),
    ]
