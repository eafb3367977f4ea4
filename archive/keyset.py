"""Keyset cursors: where a walk through an ordered list stopped, as the last item's sort values
and id, so that the next page is "the items after these values" rather than "skip n items".
A page read that way is the same however many items were added or removed before it.

One home for the rule: the keys come from the queryset's own ORDER BY (keys_of), so the WHERE
that resumes a walk (after) cannot disagree with the order the list is read in. The search
index resumes its own walks from the same Cursor (archive.reads.index).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as FieldValueError
from django.db.models import F, OrderBy, Q, QuerySet

CURSOR_MAX_CHARS = 1_000  # a request line stays within the HTTP server's 4,094 bytes
# A text value longer than this (a long title) is carried as the item's id and read back.
CARRIED_CHARS = 200
NOT_A_CURSOR = "Not a cursor: pass a `next_cursor` as it was given."
# What a cursor may carry, checked before any reader sees it: positions and whole numbers
# that any database and the search index hold (ids, counts, day numbers), finite scores, texts
# without the characters no database stores (NUL, a lone surrogate).
MAX_POSITION = 2**31 - 1
PAST_THE_END = "This cursor is past the end of the list; start again."
MAX_WHOLE = 2**53  # JSON's exact integers; every id, count and ordinal is far below
UNSTORABLE = frozenset("\x00") | frozenset(map(chr, range(0xD800, 0xE000)))
RANK = "search_rank"  # the relevance annotation of a database search (archive.search)


class CursorError(ValueError):
    """A cursor this list did not make, or made for another ordering."""


@dataclass(frozen=True)
class Key:
    """One key of an ORDER BY: a field (or an annotation), its direction and, for a field that
    may be empty, where its empty values go."""

    name: str
    descending: bool = False
    nulls_last: bool | None = None  # None: the field is never empty

    @property
    def label(self) -> str:
        return ("-" if self.descending else "") + self.name


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after the item whose sort values were `values` (one per key
    of `order`, the id last) and which was the `position`th. `reader` names who ranked a search
    ("index" or "database": their scores are not comparable), else it is empty."""

    order: tuple[str, ...]
    values: tuple
    position: int
    reader: str = ""

    def encode(self) -> str:
        data = {"o": list(self.order), "v": list(self.values), "n": self.position}
        if self.reader:
            data["r"] = self.reader
        raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        if len(text) > CURSOR_MAX_CHARS:
            raise CursorError(f"A cursor is at most {CURSOR_MAX_CHARS} characters.")
        try:
            data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (binascii.Error, ValueError):
            raise CursorError(NOT_A_CURSOR) from None
        if not (
            isinstance(data, dict)
            and isinstance(order := data.get("o"), list)
            and all(isinstance(label, str) for label in order)
            and isinstance(values := data.get("v"), list)
            and len(values) == len(order)
            and all(_carried(value) for value in values)
            and type(position := data.get("n")) is int
            and 0 <= position <= MAX_POSITION
            and isinstance(reader := data.get("r", ""), str)
            and reader in ("", "index", "database")
        ):
            raise CursorError(NOT_A_CURSOR)
        return cls(tuple(order), tuple(values), position, reader)


def _carried(value) -> bool:
    """A sort value a list could have put in a cursor (values_of)."""
    if value is None or type(value) is str:
        return value is None or (len(value) <= CARRIED_CHARS and UNSTORABLE.isdisjoint(value))
    if type(value) is int:
        return abs(value) <= MAX_WHOLE
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is dict:
        pk = value.get("of")
        return list(value) == ["of"] and type(pk) is int and 0 < pk <= MAX_WHOLE
    return False


def keys_of(queryset: QuerySet) -> list[Key]:
    """The queryset's ORDER BY as keys, ending with the primary key (added, in the last key's
    direction, if the order does not end with it)."""
    model = queryset.model
    keys = []
    for term in queryset.query.order_by or model._meta.ordering:
        if isinstance(term, str):
            key = Key(term.lstrip("-"), term.startswith("-"))
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            nulls_last = True if term.nulls_last else False if term.nulls_first else None
            key = Key(term.expression.name, term.descending, nulls_last)
        else:
            raise TypeError(f"cannot resume an order by {term!r}")
        name = "pk" if key.name in ("pk", "id") else key.name
        keys.append(Key(name, key.descending, key.nulls_last))
        if name == "pk":
            return keys
        if key.nulls_last is None and _nullable(model, name):
            raise TypeError(f"order by {name} places its empty values by database: say where")
    return [*keys, Key("pk", keys[-1].descending if keys else False)]


def _nullable(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).null
    except FieldDoesNotExist:  # an annotation
        return False


def values_of(item, keys: list[Key]) -> tuple:
    """An item's sort values, as a cursor carries them: dates in ISO form, a long text as
    {"of": the item's id} (read back by checked_values), to keep the cursor short."""
    values = []
    for key in keys:
        value = getattr(item, key.name)
        if isinstance(value, str) and len(value) > CARRIED_CHARS:
            value = {"of": item.pk}
        values.append(_carried_form(value))
    return tuple(values)


def _carried_form(value):
    return value.isoformat() if isinstance(value, date) else value


def _read_back(queryset: QuerySet, name: str, reference) -> str:
    """A long text value a cursor carries as its item's id: the item's value now."""
    pk = reference.get("of")
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise CursorError(NOT_A_CURSOR)
    value = queryset.model._base_manager.filter(pk=pk).values_list(name, flat=True).first()
    if not isinstance(value, str):
        raise CursorError("The item this cursor stopped at is gone; start the walk again.")
    return value


def checked_values(queryset: QuerySet, keys: list[Key], values: tuple) -> tuple:
    """A cursor's values as the database compares them, each checked by its field (a cursor
    comes from the client: a bad value is a CursorError, not a database error)."""
    model, checked = queryset.model, []
    for key, value in zip(keys, values, strict=True):
        try:
            field = model._meta.pk if key.name == "pk" else model._meta.get_field(key.name)
        except FieldDoesNotExist:  # an annotation: a relevance score
            field = None
        if isinstance(value, dict) and field is not None:
            value = _read_back(queryset, key.name, value)
        if value is None and key.nulls_last is not None:
            checked.append(None)
        elif field is None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise CursorError(NOT_A_CURSOR)
            checked.append(float(value))
        else:
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise CursorError(NOT_A_CURSOR)
            try:
                checked.append(field.to_python(value))
            except FieldValueError:
                raise CursorError(NOT_A_CURSOR) from None
    return tuple(checked)


def after_condition(keys: list[Key], values: tuple) -> Q:
    """The items that come after the one with these sort values, in the keys' order: after it
    on the first key, or equal there and after it on the next, and so on."""
    condition, equal_so_far = Q(pk__in=[]), Q()
    for key, value in zip(keys, values, strict=True):
        condition |= equal_so_far & _beyond(key, value)
        equal = {f"{key.name}__isnull": True} if value is None else {key.name: value}
        equal_so_far &= Q(**equal)
    return condition


def _beyond(key: Key, value) -> Q:
    """Items strictly after `value` on one key."""
    if value is None:  # empty values are first (ascending) or last (descending)
        return Q(**{f"{key.name}__isnull": False}) if not key.nulls_last else Q(pk__in=[])
    beyond = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
    if key.nulls_last:  # empty values come after every value
        beyond |= Q(**{f"{key.name}__isnull": True})
    return beyond


class DatabaseWalk:
    """A database list read by cursor: the seam the paginator shares with the search index's
    answers (archive.reads.index.EngineResults has the same three members)."""

    reader = "database"

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self.keys = keys_of(queryset)
        self.order_labels = tuple(key.label for key in self.keys)
        self.ranked = self.keys[0].name == RANK

    def sort_values(self, cursor: Cursor | None, limit: int) -> list[tuple]:
        """As after() (the first items without a cursor), each item as its sort values, the
        key last, as a cursor carries them: no model instance (a harvest's page of keys)."""
        names = [key.name for key in self.keys]
        if cursor is None:
            rows = self.queryset.values_list(*names)[:limit]
        else:
            rows = self._after(cursor).values_list(*names)[:limit]
        return [tuple(_carried_form(value) for value in row) for row in rows]

    def after(self, cursor: Cursor, limit: int) -> list:
        """Up to `limit` items after the cursor's item, in the queryset's order."""
        return list(self._after(cursor)[:limit])

    def _after(self, cursor: Cursor) -> QuerySet:
        if cursor.order != self.order_labels:
            raise CursorError("This cursor was made for another ordering; start again.")
        values = checked_values(self.queryset, self.keys, cursor.values)
        if self.ranked and cursor.reader != self.reader:  # scored by the index: by position
            if cursor.position > self.queryset.count():  # as the index refuses it
                raise CursorError(PAST_THE_END)
            return self.queryset[cursor.position :]
        if self.ranked:  # SQLite's bm25() weighs words by the whole archive: rescore the item
            now = self.queryset.filter(pk=values[-1]).values_list(RANK, flat=True).first()
            values = (now, *values[1:]) if now is not None else values
        return self.queryset.filter(after_condition(self.keys, values))

    def cursor_at(self, item, position: int) -> Cursor:
        """A cursor resuming after this item, the `position`th of the list."""
        reader = self.reader if self.ranked else ""
        return Cursor(self.order_labels, values_of(item, self.keys), position, reader)
