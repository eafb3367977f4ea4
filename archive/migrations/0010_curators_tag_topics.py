"""Curators tag articles with topics through the article-topic link model (0009), as they
edit the authorship and country rows."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_articletopic" for action in ("view", "add", "change", "delete")]


def permissions_grant(apps, schema_editor):
    app_config = apps.get_app_config("archive")
    app_config.models_module = True  # permissions are otherwise made after all migrations
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="archive", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name="Curators"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("archive", "0009_referenced_records_protected")]

    operations = [migrations.RunPython(permissions_grant, migrations.RunPython.noop)]
