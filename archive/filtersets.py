"""One FilterSet per model: what the API's query parameters mean (SPEC §5)."""

from __future__ import annotations

import copy
from datetime import UTC, date

from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from django_filters.widgets import BaseCSVWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from archive.countries import country_code, iso_codes
from archive.models import Article, ArticleCountry, Author, Country, Publication, Topic
from archive.models.dimensions import RECORDS
from archive.search import article_search, search_query_parse

MENTIONS_MAX = 1_000_000  # far past any article's count of one country's mentions
MENTIONS = "mentions"  # the ordering key: the mentions of the one country filtered


class CountryCodesField(forms.ModelMultipleChoiceField):
    """ISO codes, compared case-insensitively (`ir` is `IR`) and checked against ISO 3166, not
    the table, which holds exactly those countries: the cleaned value is the countries' rows
    unread, a subquery where a filter uses it, read only where a reader needs their ids."""

    def clean(self, value):
        if not value:
            return super().clean(value)  # required, or none
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        codes = [country_code(str(v)) for v in value]
        for code in codes:
            if code not in iso_codes():
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
        return self.queryset.filter(code__in=codes)


def matching(queryset, relation: str, values, **link):
    """The articles of `queryset` linked through `relation` to any of `values`.

    A many-to-many relation is read as a semi-join on its link table alone, `pk IN (SELECT
    article_id …)`: a join would repeat an article once per match, and the DISTINCT that
    folded them back compared whole rows (150 ms for one country's count at 100,000 articles).
    `link` narrows the link rows (`tagged=True`)."""
    field = queryset.model._meta.get_field(relation)
    if not field.many_to_many:
        return queryset.filter(**{f"{relation}__in": values})
    links = field.remote_field.through.objects.filter(
        **{f"{field.m2m_reverse_field_name()}__in": values, **link}
    )
    return queryset.filter(pk__in=links.values(field.m2m_field_name()))


class ListWidget(BaseCSVWidget, forms.TextInput):
    """The values of a list parameter: every repetition of it, each split at commas, so that
    `country=IR&country=RU` and `country=IR,RU` both mean Iran or Russia. (django-filter's own
    CSV widget reads only the last repetition: `author_id=1&author_id=2` meant author 2.)"""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None or values == []:
            return None
        if isinstance(values, str):
            values = [values]
        return [item.strip() for value in values for item in str(value).split(",")]


def named(records) -> bool:
    """Whether a records filter's cleaned value names any, without reading the rows (a
    country's are read only where a reader needs their ids; `none()` when none was asked)."""
    if isinstance(records, QuerySet):
        return not records.query.is_empty()
    return bool(records)


def takes_many(filter_) -> bool:
    """Whether a filter takes a list (repeat it, or separate values by commas): the one rule
    the query-parameter guard, the filters and the schema share."""
    return isinstance(filter_, filters.MultipleChoiceFilter | filters.BaseCSVFilter)


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(filters.ModelMultipleChoiceFilter):
    """Records named by slug (or code); several values mean any of them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=ListWidget, **kwargs)

    def filter(self, qs, value):
        if not named(value):
            return qs
        return matching(qs, self.field_name.split("__")[0], value)  # "countries__code"


class CountryCodeFilter(SlugsFilter):
    field_class = CountryCodesField


class SearchWordsField(forms.CharField):
    """Search words the search syntax can read (archive.search.query); else a 400 naming why,
    whichever of the index or the database would answer."""

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                search_query_parse(value)
            except ValueError as error:
                raise forms.ValidationError(str(error), code="invalid") from None


class SearchWordsFilter(filters.CharFilter):
    field_class = SearchWordsField


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, taken as UTC: ISO 8601 allows offsets up to ±23:59, PostgreSQL
    only up to ±15:59 (a 500 from the database, where this is a 400)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 is in the year 0
            raise forms.ValidationError(
                "Out of the range of moments (years 1 to 9999 in UTC).", code="invalid"
            ) from None


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


class StrictBooleanField(forms.Field):
    """`true`/`false` (or 1/0, yes/no); anything else is an error, not "no filter"."""

    TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        folded = str(value).strip().lower()
        if folded in self.TRUE | self.FALSE:
            return folded in self.TRUE
        raise forms.ValidationError("Must be true or false.", code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.Filter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class YearsFilter(filters.BaseCSVFilter, filters.NumberFilter):
    """Years of publication; several mean any of them. Each year is a date range, which the
    date index answers (a `__year__in` lookup would compute every article's year)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=ListWidget, min_value=1, max_value=9999, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ranges = Q()
        for year in sorted(set(value)):
            ranges |= Q(published_on__gte=date(year, 1, 1), published_on__lte=date(year, 12, 31))
        return qs.filter(ranges)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MENTIONS_MAX})
class MentionsFilter(filters.Filter):
    """A least number of mentions: 1 or more, whole."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MENTIONS_MAX, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdsFilter(filters.BaseCSVFilter, filters.NumberFilter):
    """Primary keys; several mean any of them. Each within 64 bits."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=ListWidget, min_value=1, max_value=2**63 - 1, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return matching(qs, self.field_name, value)


class Ordering(filters.OrderingFilter):
    """Sort keys in order of precedence: `ordering=-word_count&ordering=title` (or with a comma)
    sorts by length, then title.

    The order is the same on either database and in the search index (archive.search.engine
    .Entry.sort_keys): undated articles come first oldest-first and last newest-first, and
    ties go by id, in the direction of the last key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=ListWidget, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        keys = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*map(_null_placed, keys), "-pk" if keys[-1][0] == "-" else "pk")


def _null_placed(key: str):
    """An ordering key with its empty values placed alike on every database (SQLite puts NULL
    first ascending, PostgreSQL last)."""
    name = key.lstrip("-")
    if name == MENTIONS or not Article._meta.get_field(name).null:
        return key  # an annotation (ArticleFilterSet.filter_queryset) is never empty
    return F(name).desc(nulls_last=True) if key[0] == "-" else F(name).asc(nulls_first=True)


class SharedFields(dict):
    """A form's fields, shared by every form made from it rather than deep-copied into each
    (Django copies them so that a form may change its own; a filter form never does)."""

    def __deepcopy__(self, memo):
        return dict(self)


class SharedFilters(dict):
    """A FilterSet's filters, each copied shallowly into a FilterSet made from them rather than
    deep-copied (django-filter deep-copies them so that a FilterSet may set its own `parent`;
    the deep copy also copied every model filter's queryset, a third of a search's time to
    check its parameters)."""

    def __deepcopy__(self, memo):
        return {name: _copied(filter_) for name, filter_ in self.items()}


def _copied(filter_: filters.Filter) -> filters.Filter:
    clone = copy.copy(filter_)
    if clone.method is not None:
        clone.method = clone.method  # a method filter calls it through its own FilterSet
    return clone


class LeanFilterSet(filters.FilterSet):
    """A FilterSet whose form class is made once, its fields shared by every request: making
    the class (a field and a label per filter) and copying its fields into each form took
    most of the time a filtered list spent validating its parameters."""

    def __init__(self, *args, **kwargs):
        cls = type(self)
        if not isinstance(cls.__dict__.get("base_filters"), SharedFilters):  # each subclass
            cls.base_filters = SharedFilters(cls.base_filters)
        super().__init__(*args, **kwargs)

    def get_form_class(self):
        cls = type(self)
        if "_shared_form_class" not in cls.__dict__:  # each subclass its own
            form = super().get_form_class()
            form.base_fields = SharedFields(form.base_fields)
            cls._shared_form_class = form
        return cls._shared_form_class


class ArticleFilterSet(LeanFilterSet):
    q = SearchWordsFilter(
        method="filter_search",
        help_text=(
            "Full-text search over title, author names and body. Words are ANDed; "
            '"quoted phrases" match as phrases; -word excludes. Ranked by relevance '
            "unless `ordering` is given; each result carries a `highlight`."
        ),
    )
    author = SlugsFilter(
        field_name="authors__slug",
        to_field_name="slug",
        queryset=Author.objects.all(),
        help_text="Author slug; repeat for any of several.",
    )
    topic = SlugsFilter(
        field_name="topics__slug",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        help_text="Topic slug; repeat for any of several.",
    )
    publication = SlugsFilter(
        field_name="publication__slug",
        to_field_name="slug",
        queryset=Publication.objects.all(),
        help_text="Publication slug; repeat for any of several.",
    )
    country = CountryCodeFilter(
        field_name="countries__code",
        to_field_name="code",
        queryset=Country.objects.all(),
        help_text="ISO 3166 alpha-2 code, any case; the country is tagged or mentioned.",
    )
    tagged_country = CountryCodeFilter(
        to_field_name="code",
        queryset=Country.objects.all(),
        method="filter_tagged_country",
        help_text="ISO 3166 alpha-2 code, any case; the country is on the Country: line.",
    )
    author_id = IdsFilter(field_name="authors", help_text="Author ids; any of them.")
    topic_id = IdsFilter(field_name="topics", help_text="Topic ids; any of them.")
    publication_id = IdsFilter(field_name="publication", help_text="Publication ids; any of them.")
    published_after = filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_before = filters.DateFilter(field_name="published_on", lookup_expr="lte")
    year = YearsFilter(field_name="published_on", help_text="Years of publication; any of them.")
    updated_since = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=(
            "Articles created or changed at or after this moment (ISO 8601, e.g. "
            "2026-11-22T01:00:00Z): a mirror asks for what changed since its last sync. "
            "Deletions are OAI-PMH's deleted records (/oai)."
        ),
    )
    updated_before = MomentFilter(
        field_name="updated_at",
        lookup_expr="lt",
        help_text="Articles last created or changed before this moment (ISO 8601).",
    )
    has_author = StrictBooleanFilter(method="filter_has", help_text="Has an author, or none.")
    has_topic = StrictBooleanFilter(method="filter_has", help_text="Has a topic, or none.")
    has_country = StrictBooleanFilter(
        method="filter_has", help_text="Has a country (tagged or mentioned), or none."
    )
    has_publication = StrictBooleanFilter(
        method="filter_has", help_text="Has a publication, or none."
    )
    min_mentions = MentionsFilter(
        method="filter_min_mentions",
        help_text=(
            "With `country`: only articles whose text names that country (or, given several, "
            "one of them) at least this many times."
        ),
    )
    is_stub = StrictBooleanFilter()
    has_date = StrictBooleanFilter(method="filter_has_date")
    ordering = Ordering(
        fields=("published_on", "title", "word_count", "updated_at", MENTIONS),
        help_text=(
            "published_on, title, word_count, updated_at or mentions, prefixed with - for "
            "descending; several keys sort by the first, then the next. `mentions` is how "
            "many times the text names the country filtered (`country` with one value)."
        ),
    )

    class Meta:
        model = Article
        fields = []

    def is_valid(self) -> bool:
        """The filters' own checks, then those between filters: `min_mentions` needs
        `country`, ordering by `mentions` needs exactly one."""
        if not super().is_valid():
            return False
        data, form = self.form.cleaned_data, self.form
        # the countries asked, counted from their codes: the rows are not read to count them
        countries = {country_code(code) for code in form["country"].value() or []}
        if data.get("min_mentions") and not countries:
            form.add_error("min_mentions", "Give `country` too: the mentions of which country?")
        keys = [key.lstrip("-") for key in data.get("ordering") or []]
        if MENTIONS in keys and len(countries) != 1:
            form.add_error(
                "ordering", "`mentions` orders by one country's mentions: give one `country`."
            )
        return not form.errors

    @classmethod
    def applied(cls, values, queryset):
        """`queryset` narrowed and ordered by the filters of these values, cleaned already (an
        ArticleQuery's): each filter's own definition, without validating them again."""
        filterset = cls(queryset=queryset)
        filterset.form.cleaned_data = dict(values)
        return filterset.filter_queryset(queryset)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if MENTIONS in [key.lstrip("-") for key in data.get("ordering") or []]:
            # the one country (is_valid), as a subquery: its row is not read
            counted = ArticleCountry.objects.filter(
                article=OuterRef("pk"), country__in=data["country"]
            )
            queryset = queryset.annotate(
                **{MENTIONS: Coalesce(Subquery(counted.values("mentions")[:1]), 0)}
            )
        return super().filter_queryset(queryset)

    def filter_min_mentions(self, queryset, name, value):
        countries = self.form.cleaned_data.get("country")  # is_valid: given
        return matching(queryset, "countries", countries, mentions__gte=value)

    def filter_search(self, queryset, name, value):
        return article_search(queryset, search_query_parse(value))  # SearchWordsField checked

    def filter_tagged_country(self, queryset, name, value):
        if not named(value):
            return queryset
        return matching(queryset, "countries", value, tagged=True)

    def filter_has_date(self, queryset, name, value):
        return queryset.filter(published_on__isnull=not value)

    def filter_has(self, queryset, name, value):
        """`has_topic` and the like: whether an article links to any record of that kind."""
        dimension = RECORDS[name.removeprefix("has_")]
        if dimension.link is None:
            return queryset.filter(**{f"{dimension.column}__isnull": not value})
        linked = Exists(dimension.link.objects.filter(article=OuterRef("pk")))
        return queryset.filter(linked if value else ~linked)
