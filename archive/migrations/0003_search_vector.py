"""Full-text search indexes, kept current by triggers on every write path.

SQLite: an FTS5 table (title, authors, body) with the porter stemmer. It holds its own copy of
the text rather than being external-content: its `authors` column comes from other tables, and
an external-content index can only forget a row given the exact values it indexed, which a
trigger on authorship no longer has.

PostgreSQL: a stored tsvector on the article (title and authors weight A, body C), GIN-indexed.
"""

import django.contrib.postgres.search
from django.db import migrations

AUTHORS_OF = """(SELECT coalesce({agg}, '') FROM archive_authorship s
    JOIN archive_author a ON a.id = s.author_id WHERE s.article_id = {article})"""

SQLITE_AUTHORS = AUTHORS_OF.format(agg="group_concat(a.name, ' ')", article="{article}")
SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE archive_article_fts USING fts5(
        title, authors, body, tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"""INSERT INTO archive_article_fts (rowid, title, authors, body)
        SELECT id, title, {SQLITE_AUTHORS.format(article="archive_article.id")}, body
        FROM archive_article""",
    """CREATE TRIGGER archive_article_fts_insert AFTER INSERT ON archive_article BEGIN
        INSERT INTO archive_article_fts (rowid, title, authors, body)
        VALUES (new.id, new.title, '', new.body);
    END""",
    f"""CREATE TRIGGER archive_article_fts_update AFTER UPDATE OF title, body ON archive_article
    BEGIN
        DELETE FROM archive_article_fts WHERE rowid = old.id;
        INSERT INTO archive_article_fts (rowid, title, authors, body)
        VALUES (new.id, new.title, {SQLITE_AUTHORS.format(article="new.id")}, new.body);
    END""",
    """CREATE TRIGGER archive_article_fts_delete AFTER DELETE ON archive_article BEGIN
        DELETE FROM archive_article_fts WHERE rowid = old.id;
    END""",
    *[
        f"""CREATE TRIGGER archive_authorship_fts_{event.lower()} AFTER {event}
        ON archive_authorship BEGIN
            UPDATE archive_article_fts
            SET authors = {SQLITE_AUTHORS.format(article=f"{row}.article_id")}
            WHERE rowid = {row}.article_id;
        END"""
        for event, row in (("INSERT", "new"), ("DELETE", "old"), ("UPDATE", "new"))
    ],
    f"""CREATE TRIGGER archive_author_fts_update AFTER UPDATE OF name ON archive_author BEGIN
        UPDATE archive_article_fts
        SET authors = {SQLITE_AUTHORS.format(article="archive_article_fts.rowid")}
        WHERE rowid IN (SELECT article_id FROM archive_authorship WHERE author_id = new.id);
    END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS archive_author_fts_update",
    *[f"DROP TRIGGER IF EXISTS archive_authorship_fts_{e}" for e in ("insert", "delete", "update")],
    "DROP TRIGGER IF EXISTS archive_article_fts_delete",
    "DROP TRIGGER IF EXISTS archive_article_fts_update",
    "DROP TRIGGER IF EXISTS archive_article_fts_insert",
    "DROP TABLE IF EXISTS archive_article_fts",
]

PG_INSTALL = [
    # Parameters are prefixed: in SQL functions a same-named column would win over them.
    f"""CREATE FUNCTION archive_article_search_vector(p_id bigint, p_title text, p_body text)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english', coalesce(p_title, '')), 'A')
            || setweight(to_tsvector('english',
                   {AUTHORS_OF.format(agg="string_agg(a.name, ' ')", article="p_id")}), 'A')
            || setweight(to_tsvector('english', coalesce(p_body, '')), 'C')
    $$""",
    """CREATE FUNCTION archive_article_search_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := archive_article_search_vector(NEW.id, NEW.title, NEW.body);
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER archive_article_search BEFORE INSERT OR UPDATE OF title, body
        ON archive_article FOR EACH ROW EXECUTE FUNCTION archive_article_search_row()""",
    """CREATE FUNCTION archive_authorship_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE archive_article SET search_vector = archive_article_search_vector(id, title, body)
        WHERE id IN (SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION archive_authorship_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE archive_article SET search_vector = archive_article_search_vector(id, title, body)
        WHERE id IN (SELECT article_id FROM new_rows);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION archive_authorship_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE archive_article SET search_vector = archive_article_search_vector(id, title, body)
        WHERE id IN (SELECT article_id FROM old_rows);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER archive_authorship_search_insert AFTER INSERT ON archive_authorship
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION archive_authorship_search_insert()""",
    """CREATE TRIGGER archive_authorship_search_update AFTER UPDATE ON archive_authorship
        REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION archive_authorship_search()""",
    """CREATE TRIGGER archive_authorship_search_delete AFTER DELETE ON archive_authorship
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION archive_authorship_search_delete()""",
    """CREATE FUNCTION archive_author_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE archive_article SET search_vector = archive_article_search_vector(id, title, body)
        WHERE id IN (SELECT article_id FROM archive_authorship WHERE author_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER archive_author_search AFTER UPDATE OF name ON archive_author
        FOR EACH ROW EXECUTE FUNCTION archive_author_search()""",
    """UPDATE archive_article
        SET search_vector = archive_article_search_vector(id, title, body)""",
    """CREATE INDEX archive_article_search_vector_gin ON archive_article
        USING gin (search_vector)""",
]
PG_REMOVE = [
    "DROP INDEX IF EXISTS archive_article_search_vector_gin",
    "DROP TRIGGER IF EXISTS archive_author_search ON archive_author",
    *[
        f"DROP TRIGGER IF EXISTS archive_authorship_search_{e} ON archive_authorship"
        for e in ("insert", "update", "delete")
    ],
    "DROP TRIGGER IF EXISTS archive_article_search ON archive_article",
    "DROP FUNCTION IF EXISTS archive_author_search()",
    "DROP FUNCTION IF EXISTS archive_authorship_search()",
    "DROP FUNCTION IF EXISTS archive_authorship_search_insert()",
    "DROP FUNCTION IF EXISTS archive_authorship_search_delete()",
    "DROP FUNCTION IF EXISTS archive_article_search_row()",
    "DROP FUNCTION IF EXISTS archive_article_search_vector(bigint, text, text)",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REMOVE, "postgresql": PG_REMOVE})


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_load_countries")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(install, remove),
    ]
