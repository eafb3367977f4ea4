"""Records an article's description is made from: its authors, topics, publication and
countries. Renaming one changes what its articles' citations, feeds and OAI-PMH records say,
so the articles' `updated_at` moves with it: harvesters asking what changed since a date are
told."""

from django.apps import apps
from django.db import models
from django.utils import timezone


class DescribesArticles(models.Model):
    """A named record whose new name is a change to each of its articles."""

    ARTICLE_LINK = ""  # the Article lookup that names this record, e.g. "authors"

    curated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by a curator's edit (admin or API); imports then keep what it says.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        manager = type(self)._default_manager
        renamed = (
            self.pk is not None and manager.filter(pk=self.pk).exclude(name=self.name).exists()
        )
        super().save(*args, **kwargs)
        if renamed:
            articles_touch(**{self.ARTICLE_LINK: self})


def articles_touch(**lookup) -> int:
    """Mark the articles matching `lookup` as changed now; returns how many."""
    article = apps.get_model("archive", "Article")
    return article.objects.filter(**lookup).update(updated_at=timezone.now())
