"""An index in the article list's order (newest first, undated last, then title and id).

A page of the list is then a walk along this index, reading no row it does not show: the page's
keys come from the index alone, however deep the page (archive.api.pagination). Before it, SQLite
sorted every row up to the page's end: 38 ms for page 200 of 10,000 articles.
SQLite's DESC already puts NULLs last; PostgreSQL's must be told.
"""

from django.db import migrations

COLUMNS = {"sqlite": "published_on DESC", "postgresql": "published_on DESC NULLS LAST"}


def install(apps, schema_editor):
    first = COLUMNS[schema_editor.connection.vendor]
    schema_editor.execute(
        f"CREATE INDEX archive_article_list_order ON archive_article ({first}, title, id)",
        params=None,
    )


def remove(apps, schema_editor):
    schema_editor.execute("DROP INDEX archive_article_list_order", params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0007_search_authors_deferred")]
    operations = [migrations.RunPython(install, remove)]
