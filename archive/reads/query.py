"""ArticleQuery: a list query as the filter definitions validated it (archive.filtersets), one
frozen value a door builds once from its request and every reader takes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from archive.filtersets import ArticleFilterSet


class QueryInvalid(ValueError):
    """Parameters the filter definitions refuse; `errors` holds each one's reasons."""

    def __init__(self, errors: Mapping[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class ArticleQuery:
    """The cleaned values of the filters asked (ArticleFilterSet: `q`, `ordering`, `country`,
    …), and nothing else: a filter not asked is absent, not empty."""

    values: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, values: Mapping[str, object]) -> ArticleQuery:
        return cls(MappingProxyType(dict(values)))

    @classmethod
    def asked(cls, params: Mapping[str, str], filterset_class=None) -> ArticleQuery:
        """The query these parameters ask, validated by the filter definitions (a FilterSet
        class, ArticleFilterSet by default): QueryInvalid with each parameter's reasons."""
        filterset_class = filterset_class or ArticleFilterSet
        if not params.keys() & filterset_class.base_filters:
            return cls()  # no filter asked: no form to build (a third of a plain list's time)
        filterset = filterset_class(params, queryset=filterset_class._meta.model.objects.none())
        if not filterset.is_valid():
            raise QueryInvalid(filterset.errors)
        cleaned = filterset.form.cleaned_data
        return cls.of({name: value for name, value in cleaned.items() if name in params})

    def but(self, **values: object) -> ArticleQuery:
        """This query with some values given or replaced (a feed's order, published only)."""
        return ArticleQuery.of({**self.values, **values})

    @property
    def words(self) -> str | None:
        """The search words (`q`), if any: a search is ranked by relevance unless ordered."""
        return self.values.get("q") or None  # type: ignore[return-value]

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the archive (False: every article, counted whole)."""
        return bool(self.values.keys() - {"ordering"})
