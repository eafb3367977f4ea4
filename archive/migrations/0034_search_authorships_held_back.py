"""PostgreSQL: an import batch holds back the authorships' search triggers (migration 0003).

Those triggers make the vector of each article whose authors change again, its whole text, and
write its row once more. An import batch writes its links before the rows they link
(archive.importer.writing), and each of those rows is then inserted, or updated in its title
and body, with its own trigger making the vector with its authors there: the authorships'
triggers only repeated it (a card's stub was written twice when its page filled it). While the
transaction's `archive.search_authors_held` setting is `on` (archive.search.postgres
.batch_indexed) they stand aside; every other write is as before. SQLite has its own (0030).
"""

from django.db import migrations

HELD = "IF current_setting('archive.search_authors_held', true) = 'on' THEN RETURN NULL; END IF;"
VECTOR = "UPDATE archive_article SET search_vector = archive_article_search_vector(id, title, body)"
FUNCTIONS = {
    "archive_authorship_search": "SELECT article_id FROM new_rows "
    "UNION SELECT article_id FROM old_rows",
    "archive_authorship_search_insert": "SELECT article_id FROM new_rows",
    "archive_authorship_search_delete": "SELECT article_id FROM old_rows",
}


def functions(held: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {held}
            {VECTOR} WHERE id IN ({rows});
            RETURN NULL;
        END $$"""
        for name, rows in FUNCTIONS.items()
    ]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0033_history_fewer_indexes")]

    operations = [migrations.RunPython(_run(functions(HELD)), _run(functions("")))]
