"""OAI-PMH harvests walk the articles by (datestamp, id): an index for that order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0014_article_text"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["updated_at", "id"], name="article_updated_order"),
        ),
    ]
