"""Publications: the think tanks whose commentary the archive keeps."""

from django.db import models

from .describing import DescribesArticles


class Publication(DescribesArticles):
    ARTICLE_LINK = "publication"
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    acronym = models.CharField(max_length=20, blank=True, db_index=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name
