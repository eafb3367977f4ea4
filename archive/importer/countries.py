"""Find countries in text: names, aliases, demonyms and capitals -> ISO 3166 alpha-2 codes.

The ISO list comes from pycountry; common names, alternative spellings, capitals and demonyms
from countryinfo. Only a handful of usages the datasets lack are added here by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pycountry
from countryinfo import all_countries as countryinfo_all

# Usages common in commentary that the datasets don't carry.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "U.S.A.", "US", "USA", "America", "Washington", "White House"),
    "GB": ("U.K.", "Britain"),
    "RU": ("Kremlin",),
    "SA": ("Saudi", "Saudis"),
    "AE": ("Emirates",),
}

# Capitals that are more often a person's name or an ordinary phrase than a government.
AMBIGUOUS_TERMS = frozenset(
    {
        "Victoria",
        "Kingston",
        "Hamilton",
        "Douglas",
        "Stanley",
        "Georgetown",
        "Jamestown",
        "Plymouth",
        "The Valley",
        "Saint George's",
        "Road Town",
        "Flying Fish Cove",
        "King Edward Point",
        "West Island",
        "Alofi",
        "Avarua",
        "Adamstown",
        "Basseterre",
        "Castries",
        "Saint Helier",
        "St. Peter Port",
        "Charlotte Amalie",
        "Gustavia",
        "Marigot",
        "Philipsburg",
        "Oranjestad",
    }
)


@dataclass(frozen=True)
class IsoCountry:
    code: str
    alpha3: str
    name: str  # the common English name ("Russia", not "Russian Federation")


@dataclass(frozen=True)
class _Entry:
    country: IsoCountry
    population: int
    terms: frozenset[str]


@cache
def _entries() -> tuple[_Entry, ...]:
    by_code: dict[str, list[dict]] = {}
    for item in countryinfo_all():
        info = item.info()
        code = (info.get("ISO") or {}).get("alpha2")
        if code:
            by_code.setdefault(code.upper(), []).append(info)

    entries = []
    for iso in pycountry.countries:
        infos = sorted(by_code.get(iso.alpha_2, []), key=lambda i: i.get("population") or 0)
        main = infos[-1] if infos else {}
        name = main.get("name") or getattr(iso, "common_name", None) or iso.name
        terms: set[str] = {iso.name, name}
        terms.update(
            filter(None, (getattr(iso, "common_name", None), getattr(iso, "official_name", None)))
        )
        for info in infos:
            terms.add(info.get("name") or "")
            terms.update(info.get("altSpellings") or ())
            terms.update(_capital_forms(info.get("capital")))
            terms.update(_demonym_forms(info.get("demonym")))
        terms.update(EXTRA_ALIASES.get(iso.alpha_2, ()))
        codes = {iso.alpha_2, iso.alpha_3}
        usable = {
            term.strip()
            for term in terms
            if _usable(term.strip(), codes) or term in EXTRA_ALIASES.get(iso.alpha_2, ())
        }
        entries.append(
            _Entry(
                country=IsoCountry(code=iso.alpha_2, alpha3=iso.alpha_3, name=name),
                population=max((i.get("population") or 0 for i in infos), default=0),
                terms=frozenset(usable),
            )
        )
    return tuple(entries)


def _capital_forms(capital) -> set[str]:
    capitals = [capital] if isinstance(capital, str) else list(capital or ())
    forms = set()
    for value in capitals:
        if not value:
            continue
        forms.add(value)
        forms.add(re.sub(r",?\s*D\.?C\.?$", "", value))  # "Washington D.C." -> "Washington"
    return forms


def _demonym_forms(demonym: str | None) -> set[str]:
    if not demonym:
        return set()
    if demonym.endswith(("s", "sh", "ch", "ese", "i")):
        return {demonym}
    return {demonym, demonym + "s"}  # "Iranians"


def _usable(term: str, codes: set[str]) -> bool:
    """Proper-noun terms only; bare ISO codes ("IR") collide with ordinary acronyms."""
    return (
        len(term) >= 3
        and term not in codes
        and term not in AMBIGUOUS_TERMS
        and term[0].isupper()
        and "," not in term  # "Iran, Islamic Republic of" never appears in prose
    )


def trie_pattern(terms: Iterable[str]) -> str:
    """A regex matching exactly these terms, preferring the longest where one extends another.

    Each node becomes `(?:a…|b…)`; a node that ends a term and goes on makes its continuation
    optional and greedy, so "Guinea-Bissau" is tried before "Guinea" and backtracking still finds
    "Guinea" when the longer term does not fit.
    """
    END = ""
    root: dict = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[END] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in node.items() if char != END]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if END in node:
            return f"(?:{body})?"
        return body

    return "(?:" + emit(root) + ")"


def iso_countries() -> list[IsoCountry]:
    """Every ISO 3166-1 country with its common English name."""
    return [entry.country for entry in _entries()]


class CountryMatcher:
    """Counts the countries a text names; `resolve` maps one label (a tag) to its code."""

    def __init__(self, entries: Iterable[_Entry]):
        entries = list(entries)
        owner: dict[str, _Entry] = {}
        for entry in entries:
            for term in entry.terms:
                # A term shared by two countries ("Congolese") goes to the more populous one.
                if term not in owner or entry.population > owner[term].population:
                    owner[term] = entry
        self._code_by_term = {term: entry.country.code for term, entry in owner.items()}
        self._code_by_folded = {term.casefold(): code for term, code in self._code_by_term.items()}
        for entry in entries:
            self._code_by_folded.setdefault(entry.country.code.casefold(), entry.country.code)
            self._code_by_folded.setdefault(entry.country.alpha3.casefold(), entry.country.code)
        # One branch per shared prefix: the engine walks the terms as a trie instead of trying
        # some 1,500 alternatives at every capital letter (8x faster on an article).
        self._pattern = re.compile(r"(?<![\w.])" + trie_pattern(self._code_by_term) + r"(?!\w)")

    def count(self, texts: Iterable[str]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for text in texts:
            for match in self._pattern.finditer(text):
                # "New Jersey", "New Mexico": another place, not the country.
                if text[max(0, match.start() - 4) : match.start()] == "New ":
                    continue
                counts[self._code_by_term[match.group()]] += 1
        return counts

    def resolve(self, label: str) -> str | None:
        return self._code_by_folded.get(" ".join(label.split()).casefold())


@cache
def country_matcher() -> CountryMatcher:
    return CountryMatcher(_entries())
