"""Publications: the think tanks whose commentary the archive keeps."""

from django.db import models

from archive.limits import ACRONYM_MAX_CHARS, NAME_MAX_CHARS

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
