"""The /oai endpoint: a request's verb answered as OAI-PMH 2.0 XML (errors included, with
HTTP 200 as the protocol asks), records described in Dublin Core (oai_dc)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import partial

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from archive.xmlwriter import XMLWriter

from . import records
from .protocol import GRANULARITY, OAIError, arguments, harvest, stamp

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
}
DC_TYPE = "Text"  # DCMI Type Vocabulary


@csrf_exempt  # OAI-PMH allows POST (form-encoded) as well as GET; nothing is written
@require_http_methods(["GET", "HEAD", "POST"])
def oai(request):
    # Arguments as sent: an identifier or token is exact, and NFKC would make
    # `…/article/²` name article 2.
    query = (
        request.POST if request.method == "POST" else getattr(request, "query_as_sent", request.GET)
    )
    base_url = request.build_absolute_uri(reverse("oai"))
    out = io.StringIO()
    xml = XMLWriter(out, "utf-8")
    xml.startDocument()
    xml.startElement("OAI-PMH", {
        "xmlns": OAI, "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    })  # fmt: skip
    xml.addQuickElement("responseDate", stamp(datetime.now(UTC)))
    verb, args, answer = None, {}, None
    try:
        verb, args = arguments(dict(query.lists()))
        answer = ANSWERS[verb](args, base_url)
    except OAIError as error:
        answer = partial(_error, error=error)
        if error.code in ("badVerb", "badArgument"):  # the protocol: the base URL alone
            verb, args = None, {}
    xml.addQuickElement("request", base_url, {"verb": verb, **args} if verb else {})
    answer(xml)
    xml.endElement("OAI-PMH")
    return HttpResponse(out.getvalue(), content_type="text/xml; charset=utf-8")


def _error(xml, *, error: OAIError) -> None:
    xml.addQuickElement("error", error.message, {"code": error.code})


def identify(args, base_url):
    earliest = records.earliest()

    def write(xml):
        xml.startElement("Identify", {})
        for name, value in (
            ("repositoryName", settings.OAI_REPOSITORY_NAME),
            ("baseURL", base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", settings.OAI_ADMIN_EMAIL),
            ("earliestDatestamp", stamp(earliest) if earliest else "1970-01-01T00:00:00Z"),
            # Deletions are read from the articles' history, which is never pruned.
            ("deletedRecord", "persistent"),
            ("granularity", GRANULARITY),
        ):
            xml.addQuickElement(name, value)
        xml.endElement("Identify")

    return write


def list_metadata_formats(args, base_url):
    if "identifier" in args:
        records.one(records.pk_of(args["identifier"]))  # idDoesNotExist
    formats = [
        [("metadataPrefix", prefix), ("schema", schema), ("metadataNamespace", namespace)]
        for prefix, (schema, namespace) in FORMATS.items()
    ]
    return _listing("ListMetadataFormats", "metadataFormat", formats)


def list_sets(args, base_url):
    if "resumptionToken" in args:  # every set is in the first answer
        raise OAIError("badResumptionToken", "ListSets gives no resumption tokens.")
    sets = [[("setSpec", spec), ("setName", name)] for spec, name in records.all_sets()]
    return _listing("ListSets", "set", sets)


def _listing(outer: str, inner: str, items: list[list[tuple[str, str]]]):
    """An answer that lists items of simple elements, such as the sets."""

    def write(xml):
        xml.startElement(outer, {})
        for item in items:
            xml.startElement(inner, {})
            for name, value in item:
                xml.addQuickElement(name, value)
            xml.endElement(inner)
        xml.endElement(outer)

    return write


def get_record(args, base_url):
    _format(args["metadataPrefix"])
    header = records.one(records.pk_of(args["identifier"]))

    def write(xml):
        xml.startElement("GetRecord", {})
        _record(xml, header, request_base=base_url)
        xml.endElement("GetRecord")

    return write


def list_identifiers(args, base_url):
    return _list("ListIdentifiers", args, base_url, metadata=False)


def list_records(args, base_url):
    return _list("ListRecords", args, base_url, metadata=True)


def _list(verb: str, args, base_url, *, metadata: bool):
    wanted = harvest(args)
    _format(wanted.metadata_prefix)
    headers, more = records.page(wanted, metadata=metadata)
    if not headers:
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    sent = wanted.sent + len(headers)
    token = None
    if more:
        last = headers[-1]
        token = wanted.token((last.updated_at.isoformat(), last.pk), sent)

    def write(xml):
        xml.startElement(verb, {})
        for header in headers:
            if metadata:
                _record(xml, header, request_base=base_url)
            else:
                _header(xml, header)
        if token or wanted.after:  # the last page of a resumed list carries an empty token
            xml.addQuickElement("resumptionToken", token or "", {"cursor": str(wanted.sent)})
        xml.endElement(verb)

    return write


def _format(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", f"No format {prefix!r}; there is {', '.join(FORMATS)}."
        )


def _header(xml, header: records.Header) -> None:
    xml.startElement("header", {"status": "deleted"} if header.deleted else {})
    xml.addQuickElement("identifier", header.identifier)
    xml.addQuickElement("datestamp", stamp(header.updated_at))
    for spec in header.set_specs:
        xml.addQuickElement("setSpec", spec)
    xml.endElement("header")


def _record(xml, header: records.Header, *, request_base: str) -> None:
    xml.startElement("record", {})
    _header(xml, header)
    if not header.deleted and header.row is not None:
        xml.startElement("metadata", {})
        _dublin_core(xml, header.row, request_base)
        xml.endElement("metadata")
    xml.endElement("record")


def _dublin_core(xml, row, request_base: str) -> None:
    """The article in simple Dublin Core: title, creators, topics as subjects, its tagged
    countries as coverage, the excerpt, publisher, date, and its page as identifier."""
    links = row.link_rows
    page = request_base.removesuffix(reverse("oai")) + reverse(
        "article-page", kwargs={"slug": row.slug}
    )
    xml.startElement("oai_dc:dc", {
        "xmlns:oai_dc": OAI_DC, "xmlns:dc": DC, "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{OAI_DC} {FORMATS['oai_dc'][0]}",
    })  # fmt: skip
    elements = [("title", row.title)]
    elements += [("creator", author["name"]) for author in links["authors"]]
    elements += [("subject", topic["name"]) for topic in links["topics"]]
    if row.excerpt:
        elements.append(("description", row.excerpt))
    if row.publication:
        elements.append(("publisher", row.publication.name))
    if row.published_on:
        elements.append(("date", row.published_on.isoformat()))
    elements += [("type", DC_TYPE), ("format", "text/html"), ("identifier", page),
                 ("language", "en")]  # fmt: skip
    elements += [("coverage", c["name"]) for c in links["countries"] if c["tagged"]]
    for name, value in elements:
        xml.addQuickElement(f"dc:{name}", value)
    xml.endElement("oai_dc:dc")


ANSWERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
