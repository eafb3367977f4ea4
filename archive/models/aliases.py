"""What curators' merges leave behind: the old slugs, still pointing at the record kept."""

from django.db import models


class Alias(models.Model):
    """The slug of a record merged into another; imports that meet it use the other.

    Subclasses add the foreign key to the record kept and name it in `target_field`."""

    target_field: str

    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        abstract = True
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.slug} → {getattr(self, self.target_field)}"
