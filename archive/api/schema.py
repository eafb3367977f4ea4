"""OpenAPI generation: every operation documents the errors it can answer with."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from archive.text import NOT_XML_CHARACTERS

from .guards import MAX_VALUES
from .selection import FIELDS, OMIT, SelectableFields, selects_fields


class ErrorSerializer(serializers.Serializer):
    """An error that is not about one field: `{"detail": "…"}`."""

    detail = serializers.CharField()


VALIDATION_ERROR = {
    "description": "Bad input: each offending parameter or field with the reasons.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": True,
                "example": {"country": ["Select a valid choice. ZZ is not one of the choices."]},
            }
        }
    },
}


LINK_HEADER = {
    "description": (
        'The page\'s neighbours (RFC 8288): `<…>; rel="first"`, `rel="prev"`, `rel="next"` '
        'and `rel="last"`, the same addresses as `previous` and `next` in the body.'
    ),
    "schema": {"type": "string"},
}


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optimistic concurrency: the ETag of the record's last GET (or of the last write's "
        "answer). The write goes ahead only if the record still has it, else 412."
    ),
)


class ArchiveAutoSchema(AutoSchema):
    def _get_filter_parameters(self):
        """A list parameter is repeated (`explode`), at most MAX_VALUES values, whichever
        filter class serves it: the guard reads every list alike (archive.filtersets.ListWidget)."""
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "array":
                parameter.update(style="form", explode=True)
                schema["maxItems"] = MAX_VALUES
                note = "Repeat the parameter (or separate values by commas) for any of several."
                parameter["description"] = " ".join(
                    filter(None, [parameter.get("description"), note])
                )
        return parameters

    def get_override_parameters(self):
        """`fields` and `omit` on the reads of records (archive.api.selection), each an array
        of the answer's field names."""
        parameters = super().get_override_parameters()
        if self.method in ("PUT", "PATCH", "DELETE"):
            parameters.append(IF_MATCH)
        if self.method != "GET" or not selects_fields(self.view):
            return parameters
        serializer = force_instance(self.view.get_serializer_class())
        names = list(serializer.fields)
        key = serializer.selection_key
        described = {
            FIELDS: (names, f"Only these fields (and `{key}`, always given)."),
            OMIT: ([n for n in names if n != key], "All fields but these."),
        }
        for name, (choices, description) in described.items():
            parameters.append(
                OpenApiParameter(
                    name, OpenApiTypes.STR, many=True, enum=choices, explode=True, style="form",
                    description=f"{description} Not both `fields` and `omit`.",
                )
            )  # fmt: skip
        return parameters

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        """An answer that may be asked for only some fields requires only its key."""
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        instance = force_instance(serializer)
        if (
            direction == "response"
            and isinstance(instance, SelectableFields)
            and "required" in schema
        ):
            schema["required"] = [instance.selection_key]  # always given
        return schema

    def get_auth(self):
        auth = super().get_auth()
        # Reads are open to anonymous clients (DjangoModelPermissionsOrAnonReadOnly).
        if self.method in ("GET", "HEAD") and {} not in auth:
            auth.append({})
        return auth

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "400": VALIDATION_ERROR,
            "414": {"description": "Request line too long: refused by the HTTP server."},
            "429": self._error("Too many requests; retry later."),
        }
        if self.method in ("GET", "HEAD"):
            errors["304"] = {"description": "Not modified: the `If-None-Match` ETag matches."}
        else:
            errors["401"] = self._error("No credentials, or invalid ones.")
            errors["403"] = self._error("Authenticated, but without the model permission.")
            errors["409"] = self._error(
                "Conflicts with other records (a slug or code taken, or still referenced)."
            )
            errors["415"] = self._error("Unsupported media type: send application/json.")
            if "{" in self.path:
                errors["412"] = self._error(
                    "If-Match names an ETag the record no longer has: read it again."
                )
        if "{" in self.path or self._is_list_view():
            errors["404"] = self._error("No such record, or a page past the end.")
        if self._is_list_view() and self._get_paginator() and "200" in responses:
            responses["200"]["headers"] = {"Link": LINK_HEADER}
        return {**responses, **{k: v for k, v in errors.items() if k not in responses}}

    def _error(self, description: str) -> dict:
        response = self._get_response_for_code(ErrorSerializer, "400")
        return {**response, "description": description}


def request_string_patterns(result, generator, request, public):
    """Request strings may hold any character XML can carry (archive.text.NOT_XML: no NUL,
    which PostgreSQL cannot store, nor the control characters that would break every feed
    and harvest showing the text); one that must not be blank needs a character that is not
    whitespace, as Django trims it. Say so in the schema, as a pattern on every free-text
    request string."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):
            continue
        for prop in component.get("properties", {}).values():
            for schema in (prop, prop.get("items", {})):
                free_text = schema.get("type") == "string" and not (
                    {"format", "enum", "pattern"} & schema.keys()
                )
                if free_text:
                    schema["pattern"] = NOT_BLANK if schema.get("minLength") else ANY_TEXT
    return result


ANY_TEXT = f"^[^{NOT_XML_CHARACTERS}]*$"
NOT_BLANK = f"^[^{NOT_XML_CHARACTERS}]*[^\\s{NOT_XML_CHARACTERS}][^{NOT_XML_CHARACTERS}]*$"
