"""The articles' history without indexes on six copied fields (Article.HISTORY_UNINDEXED).

django-simple-history indexes the copy of each indexed field of the article. Versions are only
ever looked up by article (`id`) and by date (`history_date`, and 0016's index of deletions),
never by slug, date published, stub, file, checksum or publication; yet each of those six
indexes took every version written as one more tree to update, and an import writes one or two
versions an article (docs/benchmarks.md, 2026-12-07).

The state says what the models now say. The database drops the indexes it finds on those
columns by introspection, not by name: PostgreSQL has a second (`_like`) index on each text
column. The table is not rebuilt, as AlterField would on SQLite: that would drop 0016's index.
Backwards, one plain index a column again."""

from django.db import migrations, models

TABLE = "archive_historicalarticle"
FIELDS = ["slug", "published_on", "is_stub", "source_name", "source_sha256", "publication"]


def _columns(apps) -> dict[str, str]:
    model = apps.get_model("archive", "HistoricalArticle")
    return {model._meta.get_field(name).column: name for name in FIELDS}


def indexes_drop(apps, schema_editor):
    columns = _columns(apps)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    for name, about in sorted(found.items()):
        if (
            about["index"]
            and not (about["primary_key"] or about["unique"])
            and len(about["columns"]) == 1
            and about["columns"][0] in columns
        ):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def indexes_create(apps, schema_editor):
    model = apps.get_model("archive", "HistoricalArticle")
    for column, name in _columns(apps).items():
        schema_editor.add_index(model, models.Index(fields=[name], name=f"history_{column}"))


class Migration(migrations.Migration):
    dependencies = [("archive", "0032_sketch_bands_eight")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="is_stub",
                    field=models.BooleanField(
                        default=False, help_text="Known only from a card on another article's page."
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="publication",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.publication",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="published_on",
                    field=models.DateField(blank=True, null=True),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="slug",
                    field=models.SlugField(db_index=False, max_length=255),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="source_name",
                    field=models.CharField(blank=True, max_length=100, null=True),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="source_sha256",
                    field=models.CharField(blank=True, max_length=64),
                ),
            ],
            database_operations=[migrations.RunPython(indexes_drop, indexes_create)],
        )
    ]
