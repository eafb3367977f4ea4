"""The Curators group (SPEC §6): exactly what curation in the admin needs.

Curators correct and enrich records. They change articles but neither add nor delete them (the
importer owns that); they add, change, merge and delete authors and topics, edit the authorship,
country and card rows of an article, rename publications and look up countries.
"""

from django.db import migrations

from archive.migrations._permissions import permissions_made

GROUP = "Curators"
PERMISSIONS = {
    "article": ["view", "change"],
    "authorship": ["view", "add", "change", "delete"],
    "articlecountry": ["view", "add", "change", "delete"],
    "relatedarticle": ["view", "add", "change", "delete"],
    "author": ["view", "add", "change", "delete"],
    "authoralias": ["view"],
    "topic": ["view", "add", "change", "delete"],
    "topicalias": ["view"],
    "publication": ["view", "change"],
    "country": ["view"],
}


def curators_create(apps, schema_editor):
    permissions_made(apps, schema_editor)  # otherwise made after all migrations run
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="archive", codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions not found: {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(permissions)


def curators_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_curation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(curators_create, curators_delete)]
