"""Serializers: explicit field lists, brief nested objects, read-only fields marked (SPEC §5)."""

from __future__ import annotations

from operator import attrgetter

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, RegexValidator, URLValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.validators import UniqueValidator

from archive import selectors, services
from archive.countries import country_code
from archive.limits import RELATED_MAX_ITEMS
from archive.links import slug_urls
from archive.models import (
    Article,
    ArticleCountry,
    Author,
    Authorship,
    Country,
    Publication,
    RelatedArticle,
    Topic,
)
from archive.rules import body_paragraphs
from archive.search.query import highlight_html
from archive.slugs import slug_base
from archive.text import nfkc, xml_unsafe

from .selection import SelectableFields


class WriteSerializer(serializers.ModelSerializer):
    """Values must arrive in the JSON type the schema gives: DRF alone would store the number
    0 as "0" and take an object {} for an empty list."""

    # Names and slugs are read in NFKC (archive.text): full-width `Ｉran` is `Iran`.
    NFKC_FIELDS = ("name", "slug", "acronym", "honorific")

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = {
                key: nfkc(value) if key in self.NFKC_FIELDS and isinstance(value, str) else value
                for key, value in data.items()
            }
            errors = {}
            for name, field in self.fields.items():
                expected = None if field.read_only else _type_mismatch(field, data.get(name))
                if expected:
                    errors[name] = [f"Expected {expected}."]
                elif not field.read_only and (unsafe := xml_unsafe(data.get(name))):
                    errors[name] = [f"Holds a character XML cannot carry ({unsafe}); remove it."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _type_mismatch(field: serializers.Field, value) -> str | None:
    """The JSON type the field needs, when the value is not of it; None when it is (or is
    absent or null, which are the field's own questions)."""
    if value is None:
        return None
    if isinstance(field, serializers.CharField | serializers.RelatedField):
        return None if isinstance(value, str) else "a string"
    if isinstance(field, serializers.ListField | serializers.ManyRelatedField):
        strings = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return None if strings else "a list of strings"
    return None


class PublicationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["slug", "name", "acronym"]


class AuthorshipSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="author.slug")
    name = serializers.CharField(source="author.name")
    honorific = serializers.CharField(source="author.honorific")

    class Meta:
        model = Authorship
        fields = ["slug", "name", "honorific"]


class TopicBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class ArticleCountrySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="country.code")
    name = serializers.CharField(source="country.name")

    class Meta:
        model = ArticleCountry
        fields = ["code", "name", "tagged", "mentions"]


class RelatedArticleSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="to_article.slug")
    title = serializers.CharField(source="to_article.title")
    published_on = serializers.DateField(source="to_article.published_on", allow_null=True)
    is_stub = serializers.BooleanField(source="to_article.is_stub")

    class Meta:
        model = RelatedArticle
        fields = ["slug", "title", "published_on", "is_stub"]


class SourceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="source_name", allow_null=True)
    sha256 = serializers.CharField(source="source_sha256")

    class Meta:
        model = Article
        fields = ["name", "sha256", "imported_at"]


class ArticleListSerializer(SelectableFields, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail", lookup_field="slug")
    highlight = serializers.SerializerMethodField(
        help_text="With `q`: a passage of the body, HTML-escaped, matched words in <mark>."
    )
    hits = serializers.SerializerMethodField(
        help_text="With `q`: the paragraphs holding a searched word or phrase, in order: each "
        "one's number, its anchor on the article's page, and the heading it is under."
    )
    publication = PublicationBriefSerializer(allow_null=True)
    authors = AuthorshipSerializer(source="authorships", many=True)
    topics = TopicBriefSerializer(many=True)
    countries = ArticleCountrySerializer(source="country_links", many=True)

    class Meta:
        model = Article
        fields = [
            "slug", "url", "title", "publication", "published_on", "date_source",
            "content_type", "is_stub", "word_count", "authors", "topics", "countries", "excerpt",
            "highlight", "hits",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_highlight(self, article) -> str | None:
        return highlight_html(getattr(article, "search_snippet", None))

    @extend_schema_field(
        {
            "type": "array",
            "nullable": True,
            "items": {
                "type": "object",
                "properties": {
                    "paragraph": {"type": "integer"},
                    "anchor": {"type": "string"},
                    "section": {"type": "string", "nullable": True},
                },
                "required": ["paragraph", "anchor", "section"],
            },
        }
    )
    def get_hits(self, article) -> list | None:
        hits = getattr(article, "search_hits", None)
        if hits is None:
            return None
        return [{"paragraph": b.number, "anchor": b.anchor, "section": b.section} for b in hits]

    def to_representation(self, article):
        """The declared fields, built directly: DRF's field-by-field walk through five nested
        serializers took 15 of a page's 22 ms (docs/benchmarks.md). The declared fields still
        give the schema, and tests/api/test_representation.py holds the two to the same output."""
        getters = self.__dict__.get("_getter_map")
        if getters is None:  # once per serializer: the list's child serves every row
            getters = self._getters()
            if (chosen := self.chosen(list(getters))) is not None:  # `fields`, `omit`
                getters = {name: getters[name] for name in chosen}
            self._getter_map = getters
        return {name: value(article) for name, value in getters.items()}

    def _getters(self) -> dict:
        url = self._article_url()
        return {
            "slug": attrgetter("slug"),
            "url": lambda a: url(a.slug),
            "title": attrgetter("title"),
            "publication": lambda a: _publication(a.publication),
            "published_on": lambda a: _iso_date(a.published_on),
            "date_source": attrgetter("date_source"),
            "content_type": attrgetter("content_type"),
            "is_stub": attrgetter("is_stub"),
            "word_count": attrgetter("word_count"),
            "authors": lambda a: self._links(a)["authors"],
            "topics": lambda a: self._links(a)["topics"],
            "countries": lambda a: self._links(a)["countries"],
            "excerpt": attrgetter("excerpt"),
            "highlight": self.get_highlight,
            "hits": self.get_hits,
        }

    with_related = False  # the detail's cards too

    def _links(self, article: Article) -> dict:
        """The article's link rows, read for it alone when the view did not attach a page's
        (an answer to a write): all of them at once, the detail's cards included."""
        rows = getattr(article, "link_rows", None)
        if rows is None or (self.with_related and "related" not in rows):
            selectors.article_links_attach([article], related=self.with_related)
        return article.link_rows

    def _article_url(self):
        """slug -> the article's absolute URL, reversing the route once rather than per row."""
        return slug_urls("api:article-detail", self.context.get("request"))


class ParagraphSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="From 1, headings not counted.")
    anchor = serializers.CharField(help_text="The paragraph's id on the article's page.")
    url = serializers.URLField(help_text="The paragraph on the article's page.")
    section = serializers.CharField(allow_null=True, help_text="The heading it is under.")
    text = serializers.CharField()


class NearDuplicateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    similarity = serializers.FloatField(
        help_text="Estimated share of the two texts' three-word shingles in common (0-1)."
    )


class ArticleDetailSerializer(ArticleListSerializer):
    with_related = True
    related = RelatedArticleSerializer(source="related_links", many=True)
    duplicates_of = serializers.SerializerMethodField(
        help_text="Articles whose text is nearly the same as this one's (flagged at import, "
        "for curators to merge), most alike first."
    )
    source = SourceSerializer(source="*")
    paragraphs = serializers.SerializerMethodField()

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields, "lead", "body", "sections", "paragraphs",
            "related", "duplicates_of", "source",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(NearDuplicateSerializer(many=True))
    def get_duplicates_of(self, article) -> list[dict]:
        return self._links(article)["duplicates_of"]

    @extend_schema_field(ParagraphSerializer(many=True))
    def get_paragraphs(self, article) -> list[dict]:
        """The body's paragraphs as the article's page numbers and anchors them."""
        page = slug_urls("article-page", self.context.get("request"))(article.slug)
        return [
            {
                "number": block.number,
                "anchor": block.anchor,
                "url": f"{page}#{block.anchor}",
                "section": block.section,
                "text": block.text,
            }
            for block in body_paragraphs(article.body, article.sections)
            if block.number
        ]

    def _getters(self) -> dict:
        return {
            **super()._getters(),
            "lead": attrgetter("lead"),
            "body": attrgetter("body"),
            "sections": attrgetter("sections"),
            "paragraphs": self.get_paragraphs,
            "related": lambda a: self._links(a)["related"],
            "duplicates_of": self.get_duplicates_of,
            "source": lambda a: {
                "name": a.source_name,
                "sha256": a.source_sha256,
                "imported_at": _iso_datetime(a.imported_at),
            },
        }


def _publication(publication: Publication | None) -> dict | None:
    if publication is None:
        return None
    return {"slug": publication.slug, "name": publication.name, "acronym": publication.acronym}


def _iso_date(value) -> str | None:
    return None if value is None else value.isoformat()


_DATETIME = serializers.DateTimeField()


def _iso_datetime(value) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


class NamedBySlugField(serializers.SlugRelatedField):
    """A related record named by its slug. Unlike DRF's, "" is refused rather than read as null,
    and a NUL names nothing (PostgreSQL would refuse even to look it up)."""

    def canonical(self, name: str) -> str:
        """A name as it is stored (NFKC; a country's code, upper-cased)."""
        name = nfkc(name)
        return country_code(name) if self.slug_field == "code" else name

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().run_validation(data)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = self.canonical(data)
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)

    @classmethod
    def many_init(cls, *args, **kwargs):
        """DRF's own many_init, making a NamedBySlugsField rather than a ManyRelatedField."""
        list_kwargs = {k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS}
        return NamedBySlugsField(child_relation=cls(*args, **kwargs), **list_kwargs)


class NamedBySlugsField(serializers.ManyRelatedField):
    """A list of records named by slug (or code), at most RELATED_MAX_ITEMS (the schema's
    maxItems), all looked up in one query: one query per name let a body of 20,000 names
    hold a worker for 27 s. Repeated names count once; unknown ones are named in the error."""

    def __init__(self, *args, **kwargs):
        # The validator gives the schema its maxItems; the limit itself is checked first
        # thing in to_internal_value, before any name is looked up.
        super().__init__(*args, validators=[MaxLengthValidator(RELATED_MAX_ITEMS)], **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        canonical = self.child_relation.canonical
        names = list(dict.fromkeys(canonical(n) if isinstance(n, str) else n for n in data))
        if len(names) > RELATED_MAX_ITEMS:
            raise serializers.ValidationError(
                f"At most {RELATED_MAX_ITEMS} items, got {len(names)}.", code="max_length"
            )
        if not names and not self.allow_empty:
            self.fail("empty")
        child = self.child_relation
        for name in names:
            if not isinstance(name, str) or name == "" or "\x00" in name:
                child.fail("invalid")
        field = child.slug_field
        found = {
            getattr(r, field): r for r in child.get_queryset().filter(**{f"{field}__in": names})
        }
        missing = [name for name in names if name not in found]
        if missing:
            raise serializers.ValidationError(
                [f"No record with {field} {name!r}." for name in missing[:10]],
                code="does_not_exist",
            )
        return [found[name] for name in names]


class ArticleWriteSerializer(WriteSerializer):
    """Create or edit an article by hand; related records are named by slug or ISO code.

    Answers with the article in detail. An edit marks the article curated, so later imports
    keep it as it is."""

    slug = serializers.SlugField(
        max_length=255, required=False,
        validators=[UniqueValidator(queryset=Article.objects.all())],
    )  # fmt: skip
    publication = NamedBySlugField(
        slug_field="slug", queryset=Publication.objects.all(), required=False, allow_null=True
    )
    authors = NamedBySlugField(
        slug_field="slug", queryset=Author.objects.all(), many=True, required=False
    )
    topics = NamedBySlugField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    tagged_countries = NamedBySlugField(
        slug_field="code", queryset=Country.objects.all(), many=True, required=False
    )
    sections = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=200, required=False
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "publication", "published_on", "content_type", "lead", "body",
            "sections", "excerpt", "authors", "topics", "tagged_countries",
        ]  # fmt: skip

    def create(self, validated_data):
        return services.article_create(**validated_data)

    def update(self, instance, validated_data):
        return services.article_update(article=instance, **validated_data)

    def to_representation(self, instance):
        # The view re-fetches the saved article with selectors.article_detail().
        return ArticleDetailSerializer(instance, context=self.context).data


class NamedRecordSerializer(SelectableFields, WriteSerializer):
    """A record with a name and a slug (made from the name when not given)."""

    slug = serializers.SlugField(max_length=200, required=False)
    article_count = serializers.IntegerField(read_only=True, default=0)

    def get_fields(self):
        fields = super().get_fields()
        chosen = self.chosen(list(fields))  # `fields`, `omit`: on reads only
        return fields if chosen is None else {name: fields[name] for name in chosen}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not self.instance and not attrs.get("slug"):
            kind = self.Meta.model._meta.model_name
            attrs["slug"] = slug_base(attrs.get("name", ""), kind)
        slug = attrs.get("slug")
        model = self.Meta.model
        others = model.objects.exclude(pk=getattr(self.instance, "pk", None))
        if slug and others.filter(slug=slug).exists():
            raise serializers.ValidationError(
                {"slug": [f"A record with slug {slug!r} exists."]}, code="unique"
            )
        return attrs

    def create(self, validated_data):
        return services.record_create(model=self.Meta.model, **validated_data)

    def update(self, instance, validated_data):
        return services.record_update(record=instance, **validated_data)


class AuthorSerializer(NamedRecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:author-detail", lookup_field="slug")

    class Meta:
        model = Author
        fields = ["slug", "url", "name", "honorific", "bio", "article_count"]


class TopicSerializer(NamedRecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "article_count"]


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 200,
        "nullable": True,
        "description": "An http(s) URL; null for none.",
    }
)
class OptionalURLField(serializers.CharField):
    """An http(s) URL, or null for none (stored as ""). The schema says "string": a URLField's
    `format: uri` is looser than Django's URL validator, which has the last word."""

    validate_url = URLValidator(schemes=["http", "https"])

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value:
            try:
                self.validate_url(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
        return value


class PublicationSerializer(NamedRecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:publication-detail", lookup_field="slug"
    )
    website = OptionalURLField(max_length=200, allow_null=True, required=False)

    def validate_website(self, value):
        return value or ""

    class Meta:
        model = Publication
        fields = ["slug", "url", "name", "acronym", "website", "article_count"]


class CountrySerializer(NamedRecordSerializer):
    selection_key = "code"
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail", lookup_field="code")
    code = serializers.CharField(
        max_length=2,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", "Two capital letters (ISO 3166-1 alpha-2)."),
            UniqueValidator(queryset=Country.objects.all()),
        ],
    )
    alpha3 = serializers.CharField(
        max_length=3,
        validators=[
            RegexValidator(r"^[A-Z]{3}$", "Three capital letters (ISO 3166-1 alpha-3)."),
            UniqueValidator(queryset=Country.objects.all()),
        ],
    )

    class Meta:
        model = Country
        fields = ["code", "alpha3", "url", "name", "slug", "article_count"]


class CountFacetSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class CountryFacetSerializer(CountFacetSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SlugFacetSerializer(CountFacetSerializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class YearFacetSerializer(CountFacetSerializer):
    year = serializers.IntegerField()


class ArticleFacetsSerializer(serializers.Serializer):
    """Counts of matching articles per value, most first (at most 100 values a facet)."""

    count = serializers.IntegerField(help_text="Articles matching the filters.")
    country = CountryFacetSerializer(many=True)
    topic = SlugFacetSerializer(many=True)
    author = SlugFacetSerializer(many=True)
    publication = SlugFacetSerializer(many=True)
    year = YearFacetSerializer(many=True)


class TableValueSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A country's code, a record's slug, a year, YYYY-MM.")
    name = serializers.CharField()
    total = serializers.IntegerField(help_text="Matching articles with this value.")


class CrosstabSerializer(serializers.Serializer):
    rows = serializers.CharField()
    cols = serializers.CharField()
    count = serializers.IntegerField(help_text="Articles matching the filters.")
    row_values = TableValueSerializer(many=True)
    col_values = TableValueSerializer(many=True)
    cells = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="A row per row value, a count per column value, in their orders.",
    )


class CoMentionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Matching articles naming both countries.")
    articles = serializers.IntegerField(help_text="Matching articles naming this country.")
    lift = serializers.FloatField()
    pmi = serializers.FloatField()


class CoMentionsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Articles matching the filters.")
    articles = serializers.IntegerField(help_text="Matching articles naming the country.")
    results = CoMentionSerializer(many=True)
