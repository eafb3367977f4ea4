"""The article list's order: newest first, undated last, then the last added (it was the title).

The search index orders by integer keys and breaks ties by id (archive.search.engine); the
database orders alike, so that a page is the same whichever answers. The index of migration 0008
follows the new order, so a page the database serves is still a walk along an index.
"""

from django.db import migrations, models

COLUMNS = {"sqlite": "published_on DESC", "postgresql": "published_on DESC NULLS LAST"}


def index_order(*columns: str):
    def run(apps, schema_editor):
        first = COLUMNS[schema_editor.connection.vendor]
        schema_editor.execute("DROP INDEX archive_article_list_order", params=None)
        schema_editor.execute(
            "CREATE INDEX archive_article_list_order ON archive_article "
            f"({', '.join([first, *columns])})",
            params=None,
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0012_search_change")]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": [
                    models.OrderBy(models.F("published_on"), descending=True, nulls_last=True),
                    "-id",
                ]
            },
        ),
        migrations.RunPython(index_order("id DESC"), index_order("title", "id")),
    ]
