"""Topics and countries, and how strongly each article concerns a country."""

from django.db import models

from .aliases import Alias


class Topic(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TopicAlias(Alias):
    """A topic merged into another: imports that meet its name tag that topic."""

    target_field = "topic"
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name_plural = "topic aliases"


class Country(models.Model):
    """An ISO 3166-1 country; the rows come from pycountry (see the data migration)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    code = models.CharField("ISO alpha-2", max_length=2, unique=True)
    alpha3 = models.CharField("ISO alpha-3", max_length=3, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ArticleCountry(models.Model):
    """A country an article is tagged with, mentions, or both."""

    article = models.ForeignKey(
        "archive.Article", on_delete=models.CASCADE, related_name="country_links"
    )
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="article_links")
    tagged = models.BooleanField(default=False, help_text="Named on the article's Country: line.")
    mentions = models.PositiveIntegerField(
        default=0, help_text="How often the title and body name the country."
    )

    class Meta:
        ordering = ["-tagged", "-mentions", "country__name"]
        verbose_name_plural = "article countries"
        constraints = [
            models.UniqueConstraint(fields=["article", "country"], name="unique_article_country"),
        ]

    def __str__(self) -> str:
        return f"{self.country.code} in {self.article_id}"
