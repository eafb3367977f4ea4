"""The one XML writer every XML door uses (Atom, OAI-PMH): Django's, made safe on what is
stored. Text and attribute values lose what XML 1.0 cannot carry (archive.text.NOT_XML), so a
control character kept from before the doors refused them cannot stop a feed or a harvest."""

from __future__ import annotations

from django.utils.xmlutils import SimplerXMLGenerator

from archive.text import xml_text


class XMLWriter(SimplerXMLGenerator):
    def characters(self, content):
        super().characters(xml_text(content))

    def startElement(self, name, attrs):  # noqa: N802 (SAX's name)
        super().startElement(name, {key: xml_text(value) for key, value in attrs.items()})
