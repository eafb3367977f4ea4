"""Granting a group model permissions from a data migration (not a migration itself: its name
starts with an underscore)."""

from django.contrib.auth.management import create_permissions


def permissions_made(apps, schema_editor) -> None:
    """Make the archive's model permissions now: Django makes a new model's only after all
    migrations have run."""
    app_config = apps.get_app_config("archive")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None


def group_grant(apps, schema_editor, group: str, codenames: list[str]) -> None:
    """Give the group these archive permissions."""
    permissions_made(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="archive", codename__in=codenames
    )
    for found in Group.objects.filter(name=group):
        found.permissions.add(*permissions)
