"""Publications: the think tanks whose commentary the archive keeps."""

from django.db import models

from archive.limits import ACRONYM_MAX_CHARS, NAME_MAX_CHARS

from .aliases import Alias
from .describing import DescribesArticles
from .validators import xml_text


class Publication(DescribesArticles):
    ARTICLE_LINK = "publication"
    name = models.CharField(max_length=NAME_MAX_CHARS, validators=[xml_text])
    slug = models.SlugField(max_length=200, unique=True)
    acronym = models.CharField(
        max_length=ACRONYM_MAX_CHARS, blank=True, db_index=True, validators=[xml_text]
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class PublicationAlias(Alias):
    """A publication merged into another: imports that meet its name (by slug) or its acronym
    credit that publication."""

    target_field = "publication"
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="aliases")
    acronym = models.CharField(max_length=ACRONYM_MAX_CHARS, blank=True, db_index=True)

    class Meta(Alias.Meta):
        verbose_name_plural = "publication aliases"
