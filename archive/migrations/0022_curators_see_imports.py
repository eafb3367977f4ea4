"""Curators see the record of import runs (0021) that their dashboard lists; only the
importer writes it."""

from django.db import migrations

from archive.migrations._permissions import group_grant


def permissions_grant(apps, schema_editor):
    group_grant(apps, schema_editor, "Curators", ["view_importrun"])


class Migration(migrations.Migration):
    dependencies = [("archive", "0021_import_runs")]

    operations = [migrations.RunPython(permissions_grant, migrations.RunPython.noop)]
