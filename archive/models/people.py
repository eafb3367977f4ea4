"""Authors and the ordered authorship that links them to articles."""

from django.db import models
from simple_history.models import HistoricalRecords

from archive.limits import HONORIFIC_MAX_CHARS, NAME_MAX_CHARS

from .aliases import Alias
from .describing import DescribesArticles
from .validators import xml_text


class Author(DescribesArticles):
    ARTICLE_LINK = "authors"
    name = models.CharField(max_length=NAME_MAX_CHARS, validators=[xml_text])
    slug = models.SlugField(max_length=200, unique=True)
    honorific = models.CharField(
        max_length=HONORIFIC_MAX_CHARS,
        blank=True,
        validators=[xml_text],
        help_text="For example “Dr.”",
    )
    bio = models.TextField(
        blank=True,
        validators=[xml_text],
        help_text="The latest bio paragraph seen on an article.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuthorAlias(Alias):
    """A name merged into another author: imports that meet it credit that author."""

    target_field = "author"
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name_plural = "author aliases"


class Authorship(models.Model):
    article = models.ForeignKey(
        "archive.Article", on_delete=models.CASCADE, related_name="authorships"
    )
    # PROTECT: deleting an author would silently strip them from their articles; merge instead.
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_article_author"),
        ]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.author}"  # the byline's order, from 1
