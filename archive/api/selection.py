"""`fields=` and `omit=` on the reads of a list or a record: a client asks for only the fields it
uses (`fields=slug,title`) or for all but some (`omit=body`). The record's key (a slug, or a
country's code) is always given, so that partial records can still be told apart; an unknown
name, or both parameters at once, is a 400 naming the fields there are."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.serializers import ListSerializer

FIELDS, OMIT = "fields", "omit"
READS = ("GET", "HEAD")
SELECTING_ACTIONS = ("list", "retrieve")


def _names(request, parameter: str) -> list[str]:
    return [name for value in request.query_params.getlist(parameter) for name in value.split(",")]


def chosen_fields(request, names: list[str], key: str) -> list[str] | None:
    """The names of `names` a read asks for, in their order; None when it asks for all."""
    # An API read only: the HTML pages show a record through the same serializers, whole.
    if not isinstance(request, Request) or request.method not in READS:
        return None
    wanted, unwanted = _names(request, FIELDS), _names(request, OMIT)
    if not wanted and not unwanted:
        return None
    if wanted and unwanted:
        raise ValidationError({OMIT: ["Give `fields` or `omit`, not both."]})
    parameter = FIELDS if wanted else OMIT
    unknown = [name for name in wanted or unwanted if name not in names]
    if unknown:
        raise ValidationError(
            {parameter: [f"No field {', '.join(unknown)}; the fields are {', '.join(names)}."]}
        )
    if key in unwanted:
        raise ValidationError({OMIT: [f"`{key}` names the record: it is always given."]})
    keep = {key, *wanted} if wanted else set(names) - set(unwanted)
    return [name for name in names if name in keep]


class SelectableFields:
    """A serializer whose reads answer `fields`/`omit` when it is the answer itself (a record,
    or each item of a list), never when it is nested in another's answer."""

    selection_key = "slug"

    def chosen(self, names: list[str]) -> list[str] | None:
        parent = self.parent
        answer = parent is None or (isinstance(parent, ListSerializer) and parent.parent is None)
        if not answer:
            return None
        return chosen_fields(self.context.get("request"), names, self.selection_key)


def selects_fields(view) -> bool:
    """Whether a view's answer takes `fields` and `omit`: the reads of its records."""
    if getattr(view, "action", None) not in SELECTING_ACTIONS:
        return False
    serializer_class = view.get_serializer_class()
    return issubclass(serializer_class, SelectableFields)
