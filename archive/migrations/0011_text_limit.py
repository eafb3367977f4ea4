"""An article's lead and body are at most archive.limits.TEXT_MAX_CHARS long, as the importer
already refuses longer pages: the API's serializer and the admin's form read the limit here.

State only: a TextField's max_length changes no column, and SQLite would otherwise rebuild the
table (losing its search triggers)."""

from django.db import migrations, models

LIMIT = 500000


def text_field():
    return models.TextField(blank=True, max_length=LIMIT)


class Migration(migrations.Migration):
    dependencies = [("archive", "0010_curators_tag_topics")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name=model, name=name, field=text_field())
                for model in ("article", "historicalarticle")
                for name in ("body", "lead")
            ]
        )
    ]
