"""What an article's landing page tells machines: schema.org JSON-LD and the Highwire
`citation_*` meta tags that Zotero and Google Scholar read, both made from the API's detail."""

from __future__ import annotations

from archive.citations import csl_name
from archive.country_ids import WIKIDATA_ENTITY, wikidata_ids

SCHEMA_TYPE = "AnalysisNewsArticle"
ISO_ALPHA2 = "ISO 3166-1 alpha-2"
ISO_ALPHA3 = "ISO 3166-1 alpha-3"
WIKIDATA = "Wikidata"


def json_ld(article: dict, page_url: str, alpha3: dict[str, str]) -> dict:
    """The article as a schema.org `AnalysisNewsArticle`: its authors, publisher, the countries
    it is tagged with (`about`) and all it names (`spatialCoverage`), each with its ISO codes
    and its Wikidata item (`sameAs` the entity, and as an identifier)."""
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPE,
        "@id": page_url,
        "url": page_url,
        "headline": article["title"],
        "name": article["title"],
        "author": [_person(author) for author in article["authors"]],
        "about": [_country(c, alpha3) for c in article["countries"] if c["tagged"]],
        "spatialCoverage": [_country(c, alpha3) for c in article["countries"]],
        "keywords": [topic["name"] for topic in article["topics"]],
        "isAccessibleForFree": True,
    }
    if article["published_on"]:
        data["datePublished"] = article["published_on"]
    if article["publication"]:
        publisher = {"@type": "Organization", "name": article["publication"]["name"]}
        if article["publication"]["acronym"]:
            publisher["alternateName"] = article["publication"]["acronym"]
        data["publisher"] = publisher
    if article["excerpt"]:
        data["abstract"] = article["excerpt"]
    if article["word_count"]:
        data["wordCount"] = article["word_count"]
    return data


def _person(author: dict) -> dict:
    person = {"@type": "Person", "name": author["name"]}
    parts = csl_name(author["name"])
    if "family" in parts:
        person |= {"givenName": parts["given"], "familyName": parts["family"]}
    if author["honorific"]:
        person["honorificPrefix"] = author["honorific"]
    return person


def _country(country: dict, alpha3: dict[str, str]) -> dict:
    identifiers = [{"@type": "PropertyValue", "propertyID": ISO_ALPHA2, "value": country["code"]}]
    if country["code"] in alpha3:
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": ISO_ALPHA3, "value": alpha3[country["code"]]}
        )
    place = {"@type": "Country", "name": country["name"], "identifier": identifiers}
    if item := wikidata_ids().get(country["code"]):
        identifiers.append({"@type": "PropertyValue", "propertyID": WIKIDATA, "value": item})
        place["sameAs"] = WIKIDATA_ENTITY + item
    return place


def highwire_tags(article: dict, page_url: str) -> list[tuple[str, str]]:
    """(name, content) of each `citation_*` meta tag, in Highwire Press's vocabulary."""
    tags = [("citation_title", article["title"])]
    tags += [("citation_author", author["name"]) for author in article["authors"]]
    if article["published_on"]:
        tags.append(("citation_publication_date", article["published_on"].replace("-", "/")))
    if article["publication"]:
        tags.append(("citation_publisher", article["publication"]["name"]))
    tags += [("citation_keywords", topic["name"]) for topic in article["topics"]]
    tags += [("citation_public_url", page_url), ("citation_language", "en")]
    return tags
