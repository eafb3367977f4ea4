"""Citations of articles: CSL-JSON is the one description of an article as a citable work;
BibTeX (pybtex), RIS (rispy) and formatted bibliographies (citeproc-py, with the CSL styles in
archive/citation_styles/) are each made from it.

The input is an article as the API's list shows it (a dict), with the address of the page a
reader would cite (the article's landing page).
"""

from __future__ import annotations

import calendar
import io
import json
import re
from functools import cache
from html import escape as html_escape
from pathlib import Path

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibTeXWriter

STYLES_DIR = Path(__file__).with_name("citation_styles")
# The styles a formatted bibliography may be asked for: name -> the file shipped in STYLES_DIR.
STYLES = {
    "apa": "apa.csl",
    "chicago-author-date": "chicago-author-date.csl",
    "harvard-cite-them-right": "harvard-cite-them-right.csl",
}
CSL_TYPE = "webpage"  # commentary published on a think tank's site
RIS_TYPE = "ELEC"  # RIS's web page
BIBTEX_TYPE = "misc"  # what every BibTeX style knows; biblatex reads its url and date too


def csl_item(item: dict, page_url: str) -> dict:
    """An article as a CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/)."""
    csl = {"id": item["slug"], "type": CSL_TYPE, "title": item["title"], "URL": page_url}
    if item["authors"]:
        csl["author"] = [csl_name(author["name"]) for author in item["authors"]]
    elif item["publication"]:  # no byline: the publication is the author (a group author)
        csl["author"] = [{"literal": item["publication"]["name"]}]
    if item["published_on"]:
        year, month, day = (int(part) for part in item["published_on"].split("-"))
        csl["issued"] = {"date-parts": [[year, month, day]]}
    if item["publication"]:
        csl["container-title"] = item["publication"]["name"]
    if item["topics"]:
        csl["keyword"] = ", ".join(topic["name"] for topic in item["topics"])
    if item["excerpt"]:
        csl["abstract"] = item["excerpt"]
    return csl


def csl_name(name: str) -> dict:
    """A person's name in CSL's parts, split as BibTeX splits "First von Last" (pybtex): the
    last word is the family name, with the particles before it (`van der`, `de la`); a name
    that is one word (an institution, a desk) is kept whole."""
    person = Person(name)
    given = " ".join(person.first_names + person.middle_names)
    if not given:
        return {"literal": name}
    parts = {"family": " ".join(person.last_names), "given": given}
    if person.prelast_names:
        parts["non-dropping-particle"] = " ".join(person.prelast_names)
    if person.lineage_names:
        parts["suffix"] = " ".join(person.lineage_names)
    return parts


def _person_name(csl_person: dict) -> str:
    """A CSL name as one string, "von Last, First", the order BibTeX and RIS both read."""
    if "literal" in csl_person:
        return csl_person["literal"]
    family = " ".join(
        part for part in (csl_person.get("non-dropping-particle"), csl_person["family"]) if part
    )
    suffix = f", {csl_person['suffix']}" if "suffix" in csl_person else ""
    return f"{family}{suffix}, {csl_person['given']}"


# What pybtex's LaTeX encoding leaves as it is but BibTeX cannot hold as text: a backslash
# would start a command, and a lone brace unbalances the entry.
BIBTEX_LITERALS = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_BIBTEX_LITERAL = re.compile(r"[\\{}]")


def _bibtex_person(csl_person: dict) -> Person:
    """A CSL name for BibTeX: a literal one (an institution) braced, so as not to be split."""
    if "literal" in csl_person:
        return Person(f"{{{csl_person['literal']}}}")
    return Person(_person_name(csl_person))


class _Writer(BibTeXWriter):
    """pybtex's writer, which escapes LaTeX's special characters, with backslashes and braces
    in a field written as text too (names keep their braces: they group a name's words).
    `url` is written as it is: biblatex reads a URL verbatim, so an escaped `_` would become
    part of the address."""

    def _write_field(self, stream, type, value):  # noqa: A002 (pybtex's name)
        if type == "url":
            stream.write(f",\n    {type} = {{{value}}}")
        elif type == "author":  # names, joined by pybtex
            super()._write_field(stream, type, value)
        else:
            literal = _BIBTEX_LITERAL.sub(lambda m: BIBTEX_LITERALS[m.group()], value)
            super()._write_field(stream, type, literal)


def bibtex_entry(csl: dict) -> str:
    """One BibTeX entry, keyed by the article's slug."""
    fields = {"title": csl["title"]}
    if "issued" in csl:
        year, month, day = csl["issued"]["date-parts"][0]
        fields |= {"year": str(year), "month": calendar.month_name[month],
                   "date": f"{year:04d}-{month:02d}-{day:02d}"}  # fmt: skip
    if "container-title" in csl:
        fields["howpublished"] = csl["container-title"]
    fields["url"] = csl["URL"]
    if "keyword" in csl:
        fields["keywords"] = csl["keyword"]
    if "abstract" in csl:
        fields["abstract"] = csl["abstract"]
    persons = {"author": [_bibtex_person(p) for p in csl.get("author", [])]}
    entry = Entry(BIBTEX_TYPE, fields=fields, persons=persons if persons["author"] else {})
    stream = io.StringIO()
    _Writer(encoding="UTF-8").write_stream(BibliographyData(entries={csl["id"]: entry}), stream)
    return stream.getvalue()


def ris_entry(csl: dict) -> str:
    """One RIS record."""
    record = {"type_of_reference": RIS_TYPE, "id": csl["id"], "title": _one_line(csl["title"])}
    if "author" in csl:
        record["authors"] = [_one_line(_person_name(p)) for p in csl["author"]]
    if "issued" in csl:
        year, month, day = csl["issued"]["date-parts"][0]
        record |= {"year": str(year), "date": f"{year:04d}/{month:02d}/{day:02d}/"}
    record["urls"] = [csl["URL"]]
    if "container-title" in csl:
        record["secondary_title"] = _one_line(csl["container-title"])
    if "keyword" in csl:
        record["keywords"] = [_one_line(k) for k in csl["keyword"].split(", ")]
    if "abstract" in csl:
        record["abstract"] = _one_line(csl["abstract"])
    return rispy.dumps([record], implementation=_RisWriter)


def _one_line(value: str) -> str:
    """A RIS value is one line: a line break in a title would start a line of its own, and
    `ER  -` there would end the record and forge another. Every kind of break (str.split's
    whitespace: CR, LF, NEL, U+2028 …) becomes one space."""
    return " ".join(value.split())


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its numbered header line: records are written one at a time."""

    def set_header(self, count: int) -> str:
        return ""


def csl_json(csl: dict) -> str:
    return json.dumps(csl, ensure_ascii=False)


def _html_escaped(value):
    if isinstance(value, str):
        return html_escape(value)
    if isinstance(value, dict):
        return {key: part if key == "id" else _html_escaped(part) for key, part in value.items()}
    if isinstance(value, list):
        return [_html_escaped(part) for part in value]
    return value


@cache
def style(name: str) -> CitationStylesStyle:
    """A shipped CSL style, read once per process."""
    return CitationStylesStyle(str(STYLES_DIR / STYLES[name]), validate=False)


def bibliography(items: list[dict], style_name: str, *, html: bool) -> list[str]:
    """The items as a bibliography's entries in a named style, in the style's order."""
    if not items:
        return []
    output = citeproc_formatter.html if html else citeproc_formatter.plain
    if html:  # citeproc-py writes an item's text into its HTML as it is
        items = [_html_escaped(item) for item in items]
    rendered = CitationStylesBibliography(style(style_name), CiteProcJSON(items), output)
    for item in items:
        rendered.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in rendered.bibliography()]
