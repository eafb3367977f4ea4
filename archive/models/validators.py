"""Field validators shared by the models: what the admin's forms (and any full_clean) refuse."""

from django.core.exceptions import ValidationError

from archive.text import xml_unsafe


def xml_text(value) -> None:
    """A text, or a list of texts (an article's sections), that every XML door can show."""
    if unsafe := xml_unsafe(value):
        raise ValidationError(
            f"Holds a character XML cannot carry ({unsafe}); remove it.", code="xml_text"
        )
