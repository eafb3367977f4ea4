"""Topics and countries, and how strongly each article concerns a country."""

from django.db import models

from archive.limits import NAME_MAX_CHARS

from .aliases import Alias
from .describing import DescribesArticles
from .validators import xml_text


class Topic(DescribesArticles):
    ARTICLE_LINK = "topics"
    name = models.CharField(max_length=NAME_MAX_CHARS, validators=[xml_text])
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


class ArticleTopic(models.Model):
    """An article tagged with a topic (the `Issue:` line). A topic still in use cannot be
    deleted: it is merged into another instead."""

    article = models.ForeignKey(
        "archive.Article", on_delete=models.CASCADE, related_name="topic_links"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="article_links")

    class Meta:
        # The table, and its unique pair, that Django made for the plain many-to-many.
        db_table = "archive_article_topics"
        unique_together = [("article", "topic")]

    def __str__(self) -> str:
        return str(self.topic)


class Country(DescribesArticles):
    """An ISO 3166-1 country; the rows come from pycountry (see the data migration)."""

    ARTICLE_LINK = "countries"

    name = models.CharField(max_length=200, validators=[xml_text])
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
    # PROTECT: countries are reference data; one in use is never deleted from under articles.
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="article_links")
    tagged = models.BooleanField(default=False, help_text="Named on the article's Country: line.")
    mentions = models.PositiveIntegerField(
        default=0, help_text="How often the title and body name the country."
    )

    class Meta:
        # rules.country_links: the tagged first, in the order of the Country: line (the order
        # they were written in), then the named, most named first (archive.page_sql alike).
        ordering = [
            "-tagged",
            models.Case(models.When(tagged=True, then="id"), default=models.Value(0)),
            "-mentions",
            "country__code",
        ]
        verbose_name_plural = "article countries"
        constraints = [
            models.UniqueConstraint(fields=["article", "country"], name="unique_article_country"),
        ]
        indexes = [
            # `min_mentions`: one country's articles named at least so often, read from the
            # index alone (39 -> 25 ms at 100,000 articles on SQLite).
            models.Index(
                fields=["country", "mentions", "article"], name="article_country_strength"
            ),
        ]

    def __str__(self) -> str:
        """In words, as a curator reads the row: "Iran — tagged, 44 mentions"."""
        named = f"{self.mentions} mention{'s' if self.mentions != 1 else ''}"
        how = ", ".join(
            part
            for part in ("tagged" if self.tagged else "", named if self.mentions else "")
            if part
        )
        return f"{self.country.name} — {how or 'linked'}"
