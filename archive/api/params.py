"""Query parameters beside a list's filters (a table's rows, an export's body, a citation
style): each a DRF field, which both checks a request's value and describes it in the schema."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework import fields as drf_fields


def parameter(name: str, field: drf_fields.Field, *, required: bool = False) -> OpenApiParameter:
    """The field as an OpenAPI query parameter: a choice's values, a number or a boolean."""
    choices = getattr(field, "choices", None)
    if choices:
        kind = OpenApiTypes.STR
    elif isinstance(field, drf_fields.BooleanField):
        kind = OpenApiTypes.BOOL
    else:
        kind = OpenApiTypes.INT
    return OpenApiParameter(
        name,
        kind,
        enum=list(choices) if choices else None,
        required=required,
        description=field.help_text,
    )


def validated(request, fields: dict[str, drf_fields.Field]) -> dict:
    """The request's value of each parameter (its field's default when absent), each checked;
    a 400 naming every parameter in error at once."""
    values, errors = {}, {}
    for name, field in fields.items():
        given = request.query_params.get(name)
        try:
            values[name] = field.run_validation(drf_fields.empty if given is None else given)
        except exceptions.ValidationError as error:
            errors[name] = error.detail
    if errors:
        raise exceptions.ValidationError(errors)
    return values
