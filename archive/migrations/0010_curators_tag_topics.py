"""Curators tag articles with topics through the article-topic link model (0009), as they
edit the authorship and country rows."""

from django.db import migrations

from archive.migrations._permissions import group_grant

CODENAMES = [f"{action}_articletopic" for action in ("view", "add", "change", "delete")]


def permissions_grant(apps, schema_editor):
    group_grant(apps, schema_editor, "Curators", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("archive", "0009_referenced_records_protected")]

    operations = [migrations.RunPython(permissions_grant, migrations.RunPython.noop)]
