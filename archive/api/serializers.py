"""Serializers: field lists are explicit, nested objects brief (SPEC §5)."""

from __future__ import annotations

from rest_framework import serializers

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
    published_on = serializers.DateField(source="to_article.published_on")
    is_stub = serializers.BooleanField(source="to_article.is_stub")

    class Meta:
        model = RelatedArticle
        fields = ["slug", "title", "published_on", "is_stub"]


class SourceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="source_name")
    sha256 = serializers.CharField(source="source_sha256")

    class Meta:
        model = Article
        fields = ["name", "sha256", "imported_at"]


class ArticleListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail", lookup_field="slug")
    publication = PublicationBriefSerializer()
    authors = AuthorshipSerializer(source="authorships", many=True)
    topics = TopicBriefSerializer(many=True)
    countries = ArticleCountrySerializer(source="country_links", many=True)

    class Meta:
        model = Article
        fields = [
            "slug",
            "url",
            "title",
            "publication",
            "published_on",
            "date_source",
            "content_type",
            "is_stub",
            "word_count",
            "authors",
            "topics",
            "countries",
            "excerpt",
        ]


class ArticleDetailSerializer(ArticleListSerializer):
    related = RelatedArticleSerializer(source="related_links", many=True)
    source = SourceSerializer(source="*")

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields,
            "lead",
            "body",
            "sections",
            "related",
            "source",
        ]


class AuthorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:author-detail", lookup_field="slug")
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Author
        fields = ["slug", "url", "name", "honorific", "bio", "article_count"]


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "article_count"]


class PublicationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:publication-detail", lookup_field="slug"
    )
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Publication
        fields = ["slug", "url", "name", "acronym", "website", "article_count"]


class CountrySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail", lookup_field="code")
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Country
        fields = ["code", "alpha3", "url", "name", "slug", "article_count"]
