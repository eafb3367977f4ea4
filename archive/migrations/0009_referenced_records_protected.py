"""Records still referenced by articles cannot be deleted (a 409 in the API, Django's
"cannot delete" page in the admin): authors, topics and countries are PROTECTed, and the
article-topic link becomes an explicit model so that its topic side can be.

Only the model state changes: Django emulates on_delete, and the link table keeps its name,
columns and unique pair (no table is rebuilt, so SQLite's search triggers stay)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0008_article_list_order_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="articlecountry",
                    name="country",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="article_links",
                        to="archive.country",
                    ),
                ),
                migrations.AlterField(
                    model_name="authorship",
                    name="author",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="authorships",
                        to="archive.author",
                    ),
                ),
                migrations.CreateModel(
                    name="ArticleTopic",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="topic_links",
                                to="archive.article",
                            ),
                        ),
                        (
                            "topic",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="article_links",
                                to="archive.topic",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "archive_article_topics",
                        "unique_together": {("article", "topic")},
                    },
                ),
                migrations.AlterField(
                    model_name="article",
                    name="topics",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="articles",
                        through="archive.ArticleTopic",
                        to="archive.topic",
                    ),
                ),
            ],
        ),
    ]
