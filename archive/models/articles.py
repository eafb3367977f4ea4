"""Articles, whole or known only from a card (stubs), and the related-article links."""

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive import rules
from archive.limits import TEXT_MAX_CHARS, TITLE_MAX_CHARS
from archive.rules import title_key

from .validators import xml_text


class DateSource(models.TextChoices):
    DATELINE = rules.DATELINE, "dateline"
    CARD = rules.CARD, "card on another article"
    CURATOR = rules.CURATOR, "curator"
    UNKNOWN = rules.UNKNOWN, "unknown"


class ContentType(models.TextChoices):
    COMMENTARY = "commentary", "Commentary"
    ANALYSIS = "analysis", "Analysis"
    REPORT = "report", "Report"
    INTERVIEW = "interview", "Interview"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


class VersionLinks(models.Model):
    """What an article's version linked to, beside its own columns (archive.history): its
    history then shows link changes, and a revert restores them."""

    links = models.JSONField(
        null=True,
        blank=True,
        help_text="authors, topics and related articles by id, in order; countries as "
        "[id, tagged]. Empty: the links were not written by this change (as the version before).",
    )

    class Meta:
        abstract = True


# The article's indexed fields whose copies in its history are not indexed (Article.history).
HISTORY_UNINDEXED = [
    "slug",
    "published_on",
    "is_stub",
    "source_name",
    "source_sha256",
    "publication",
]


class Article(models.Model):
    publication = models.ForeignKey(
        "archive.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    title = models.CharField(max_length=TITLE_MAX_CHARS, validators=[xml_text])
    title_key = models.CharField(
        max_length=500,
        db_index=True,
        editable=False,
        help_text="The title folded for matching cards to articles.",
    )
    slug = models.SlugField(max_length=255, unique=True)
    published_on = models.DateField(null=True, blank=True, db_index=True)
    date_source = models.CharField(
        max_length=10, choices=DateSource.choices, default=DateSource.UNKNOWN
    )
    lead = models.TextField(blank=True, max_length=TEXT_MAX_CHARS, validators=[xml_text])
    body = models.TextField(blank=True, max_length=TEXT_MAX_CHARS, validators=[xml_text])
    sections = models.JSONField(default=list, blank=True, validators=[xml_text])
    excerpt = models.TextField(blank=True, validators=[xml_text])
    word_count = models.PositiveIntegerField(default=0)
    content_type = models.CharField(
        max_length=20, choices=ContentType.choices, default=ContentType.COMMENTARY
    )
    is_stub = models.BooleanField(
        default=False, db_index=True, help_text="Known only from a card on another article's page."
    )
    source_name = models.CharField(max_length=100, unique=True, null=True, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # Nullable so that adding it is an ALTER TABLE on SQLite, not a rebuilt table that would
    # lose the search index triggers.
    source_bytes_sha256 = models.CharField(  # noqa: DJ001
        max_length=64,
        null=True,
        blank=True,
        editable=False,
        help_text="The file's bytes as last imported: an unchanged file is known without parsing.",
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    # Nullable, as source_bytes_sha256: empty for an article written by hand.
    rules_version = models.SmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The importer's rules that derived it (archive.importer.rules.RULES_VERSION).",
    )
    # Nullable, as rules_version: an article written by hand, or imported before it was kept.
    layout = models.CharField(  # noqa: DJ001
        max_length=40,
        null=True,
        blank=True,
        editable=False,
        help_text="The page layout that read its source (archive.importer.layouts).",
    )
    curated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by a curator's edit (admin or API); imports then keep what it says.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL's full-text index, kept by a trigger (migration 0003); unused on SQLite,
    # whose index is the FTS5 table archive_article_fts.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    authors = models.ManyToManyField(
        "archive.Author", through="archive.Authorship", related_name="articles", blank=True
    )
    topics = models.ManyToManyField(
        "archive.Topic", through="archive.ArticleTopic", related_name="articles", blank=True
    )
    countries = models.ManyToManyField(
        "archive.Country", through="archive.ArticleCountry", related_name="articles", blank=True
    )
    related = models.ManyToManyField(
        "self",
        through="archive.RelatedArticle",
        through_fields=("from_article", "to_article"),
        symmetrical=False,
        related_name="cited_by",
        blank=True,
    )

    # Who changed what and when: imports, API writes and admin edits alike.
    history = HistoricalRecords(
        bases=[VersionLinks],
        excluded_fields=[
            "search_vector",
            "title_key",
            "source_bytes_sha256",
            "rules_version",
            "layout",
        ],  # fmt: skip,
        # simple-history indexes each indexed field's copy too; nothing looks versions up by
        # these (only by article, and by date: migration 0016), and each index made every
        # version an import writes a random write into one more tree (migration 0033).
        no_db_index=HISTORY_UNINDEXED,
    )

    class Meta:
        # Newest first, undated last; the same day, the last added first. The search index
        # orders alike (archive.search.engine.Entry.sort_keys).
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        indexes = [
            # OAI-PMH harvests walk the articles by (datestamp, id) (archive/oai/records.py).
            models.Index(fields=["updated_at", "id"], name="article_updated_order"),
            # Every import ends by counting the articles older rules derived (few or none):
            # without it, a scan of every article's row, bodies and all.
            models.Index(fields=["rules_version"], name="article_rules_version"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(published_on__isnull=True, date_source="unknown")
                    | (Q(published_on__isnull=False) & ~Q(date_source="unknown"))
                ),
                name="article_date_matches_date_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Derived here so that every write path (import, API, admin) keeps it; cards match
        # their articles by it.
        self.title_key = title_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("api:article-detail", kwargs={"slug": self.slug})


class RelatedArticle(models.Model):
    """An ordered link from an article to one shown in a card on its page."""

    from_article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    to_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="cited_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["from_article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"], name="unique_related_article"
            ),
            models.CheckConstraint(
                condition=~Q(from_article=F("to_article")), name="related_article_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"card {self.position + 1}: {self.to_article}"


def slugs_from(base: str) -> models.QuerySet:
    """The slugs taken among `base` and its numbered forms `base-2`, `base-3`… (slugs.slug_free),
    read through the slug's index on either database. SQLite's LIKE ignores case, so a prefix
    match could not use the index and read every article (0.2 s at 100,000): its slugs compare
    byte by byte, so the range from `base-` to `base.` is exactly that prefix. PostgreSQL's
    LIKE has the slug's pattern index (a range there would follow the column's collation)."""
    if connection.vendor == "sqlite":
        numbered = Q(slug__gte=f"{base}-", slug__lt=f"{base}.")
    else:
        numbered = Q(slug__startswith=f"{base}-")
    return Article.objects.filter(Q(slug=base) | numbered).order_by().values_list("slug", flat=True)
