"""Find countries in text: names, aliases, demonyms and capitals -> ISO 3166 alpha-2 codes.

The ISO list comes from pycountry; common names, alternative spellings, capitals and demonyms
from countryinfo. What commentary adds (aliases such as UK and KSA, regions named after a
country, a country's name that is another place or a person) is data, in
archive/reference/country_rules.toml, applied by one function per kind below.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pycountry
from countryinfo import all_countries as countryinfo_all

from archive.rules import PARAGRAPH_BREAK
from archive.text import plain_spaces

RULES_FILE = Path(__file__).resolve().parent / "reference" / "country_rules.toml"


@dataclass(frozen=True)
class PlaceRule:
    """When a country's name is another place (Georgia, the U.S. state)."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    city_comma: bool


@dataclass(frozen=True)
class CountryRules:
    aliases: dict[str, tuple[str, ...]]
    ignored: frozenset[str]
    regions: frozenset[str]
    other_places: dict[str, PlaceRule]
    given_names: frozenset[str]
    forcing: frozenset[str]
    saying: tuple[str, ...]
    not_surnames: frozenset[str]
    surnames: frozenset[str]
    not_given_names: frozenset[str]
    features_before: tuple[str, ...]
    features_after: tuple[str, ...]
    capital_named_after: tuple[str, ...]


@cache
def country_rules() -> CountryRules:
    with RULES_FILE.open("rb") as file:
        data = tomllib.load(file)
    people = data["people"]
    return CountryRules(
        aliases={code: tuple(terms) for code, terms in data["aliases"].items()},
        ignored=frozenset(data["ignored"]["terms"]) | frozenset(data["ignored"]["spellings"]),
        regions=frozenset(data["regions"]["phrases"]),
        other_places={
            term: PlaceRule(tuple(rule["before"]), tuple(rule["after"]), rule["city_comma"])
            for term, rule in data["other_places"].items()
        },
        given_names=frozenset(people["given_names"]),
        forcing=frozenset(people["forcing"]),
        saying=tuple(people["saying"]),
        not_surnames=frozenset(people["not_surnames"]),
        surnames=frozenset(people["surnames"]),
        not_given_names=frozenset(people["not_given_names"]),
        features_before=tuple(data["named_otherwise"]["features_before"]),
        features_after=tuple(data["named_otherwise"]["features_after"]),
        capital_named_after=tuple(data["named_otherwise"]["capital_named_after"]),
    )


# Capitals that are more often a person's name or an ordinary phrase than a government.
# The apostrophes a typesetter uses for the datasets' straight one ("Côte d’Ivoire"), one
# character for one so that a match's offsets hold in the text as written.
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
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
    capitals: frozenset[str] = frozenset()  # those of the terms that name its capital


def country_code(value: str) -> str:
    """An ISO 3166 alpha-2 code as the archive stores it: codes compare case-insensitively,
    `ir` is `IR` (in filters, paths, forms, sets and writes alike)."""
    return value.upper()


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
        capitals: set[str] = set()
        terms.update(
            filter(None, (getattr(iso, "common_name", None), getattr(iso, "official_name", None)))
        )
        for info in infos:
            terms.add(info.get("name") or "")
            terms.update(info.get("altSpellings") or ())
            capitals.update(_capital_forms(info.get("capital")))
            terms.update(_demonym_forms(info.get("demonym")))
        terms.update(capitals)
        aliases = country_rules().aliases.get(iso.alpha_2, ())
        terms.update(aliases)
        codes = {iso.alpha_2, iso.alpha_3}
        usable = {term.strip() for term in terms if _usable(term.strip(), codes) or term in aliases}
        usable -= country_rules().ignored
        entries.append(
            _Entry(
                country=IsoCountry(code=iso.alpha_2, alpha3=iso.alpha_3, name=name),
                population=max((i.get("population") or 0 for i in infos), default=0),
                terms=frozenset(usable),
                capitals=frozenset(usable & {c.strip() for c in capitals}),
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
    if demonym.endswith(("s", "sh", "ch", "ese")):  # "the French", "the Chinese"
        return {demonym}
    return {demonym, demonym + "s"}  # "Iranians", "Iraqis", "Emiratis"


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


@cache
def iso_codes() -> frozenset[str]:
    """The alpha-2 code of every ISO 3166-1 country: the archive's countries, which are these
    rows and no others (migration 0002; the admin neither adds, deletes nor recodes them)."""
    return frozenset(country.code for country in iso_countries())


class CountryMatcher:
    """Counts the countries a text names; `resolve` maps one label (a tag) to its code."""

    def __init__(self, entries: Iterable[_Entry], rules: CountryRules | None = None):
        entries = list(entries)
        self.rules = rules or country_rules()
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
        # Regions named after a country are matched too, as no country: the longest name wins.
        found: dict[str, str | None] = dict.fromkeys(self.rules.regions)
        self._found = found | self._code_by_term
        # The names some rule may judge not to be a mention (see _not_a_mention).
        self._ruled = frozenset(
            term
            for term in self._code_by_term
            if term in self.rules.other_places
            or term in self.rules.given_names
            or term in self.rules.surnames
            or term.isupper()
        )
        rules = self.rules
        self._capitals = frozenset(
            term for entry in entries for term in entry.capitals if owner.get(term) is entry
        )
        self._feature_before = re.compile(rf"(?:{_words(rules.features_before)})[ \u00a0]+$")
        after = _words(rules.features_after)
        self._feature_after = re.compile(rf"(?:['’]s)?[ \u00a0]+(?:{after})\b")
        self._named_after = re.compile(rf"[ \u00a0]+(?:{_words(rules.capital_named_after)})\b")
        # One branch per shared prefix: the engine walks the terms as a trie instead of trying
        # some 1,500 alternatives at every capital letter (8x faster on an article).
        self._pattern = re.compile(r"(?<![\w.])" + trie_pattern(self._found) + r"(?!\w)")

    def count(self, texts: Iterable[str]) -> Counter[str]:
        """The mentions of each country in these texts (a title, headings, paragraphs): read
        as one text, each rule looking only within the paragraph of the name it judges."""
        counts: Counter[str] = Counter()
        found, ruled = self._found, self._ruled
        # As a reader sees it: the parser's pages are so already, a curator's or an API
        # client's text not ("North\u00a0Korea" is no South Korea, whoever typed it).
        text = plain_spaces(PARAGRAPH_BREAK.join(texts)).translate(APOSTROPHES)
        for match in self._pattern.finditer(text):  # as `mentions` does, without a generator
            term, start = match.group(), match.start()
            if (code := found[term]) is None or text[start - 4 : start] == "New ":
                continue
            if self._named_otherwise(text, match):
                continue
            if term not in ruled or not self._not_a_mention(text, match):
                counts[code] += 1
        return counts

    def code(self, match: re.Match) -> str:
        """The country a mention (from `mentions`) names."""
        return self._found[match.group()]

    def mentions(self, text: str) -> Iterator[re.Match]:
        """The places in a text that name a country."""
        found, ruled = self._found, self._ruled
        text = text.translate(APOSTROPHES)
        for match in self._pattern.finditer(text):
            term, start = match.group(), match.start()
            if found[term] is None:
                continue  # a region: "Latin America"
            if text[start - 4 : start] == "New ":
                continue  # "New Mexico", "New Jersey": another place
            if self._named_otherwise(text, match):
                continue
            if term in ruled and self._not_a_mention(text, match):
                continue
            yield match

    def _named_otherwise(self, text: str, match: re.Match) -> bool:
        """Whether the words next to a name make it something else, whatever the name: a
        feature named after it ("the Gulf of Oman", "Jersey City"), a town in a U.S. state
        ("Lima, Ohio"), and for a capital, a treaty or process named after the city where it
        was made ("the Paris Agreement") or a city of that name in another country
        ("Tripoli, Lebanon")."""
        start, end = match.span()
        if self._feature_after.match(text, end):
            return True
        if self._feature_before.search(text, max(0, start - 24), start):
            return True
        place = COMMA_PLACE.match(text, end)
        if place and self._a_state(place["place"]):
            return True
        if match.group() not in self._capitals:
            return False
        if self._named_after.match(text, end):
            return True
        if not place:
            return False
        named = place["place"]
        other = self.resolve(named) or self.resolve(named.rstrip("."))  # "U.S." / "Lebanon."
        return other not in (None, self._found[match.group()])

    @cached_property
    def _states(self) -> frozenset[str]:
        """A U.S. state after a comma makes a town of the name before it ("Lima, Ohio"); a
        state that is also a country's name (Georgia) does not. Read when first needed: the
        subdivisions take a third of the matcher's making."""
        states = {s.name for s in pycountry.subdivisions.get(country_code="US")}
        return frozenset(states - self._code_by_term.keys())

    def _a_state(self, place: str) -> bool:
        words = place.rstrip(".").split()
        return any(" ".join(words[:n]) in self._states for n in range(len(words), 0, -1))

    def _not_a_mention(self, text: str, match: re.Match) -> bool:
        """Whether a name with rules (`_ruled`: another place's, a given name, a short form in
        capitals) is no mention here, as its rules judge within its paragraph. The names
        without rules are most: they cost nothing more."""
        term, (start, end) = match.group(), match.span()
        lo = text.rfind(PARAGRAPH_BREAK, 0, start)
        lo = 0 if lo < 0 else lo + len(PARAGRAPH_BREAK)  # the first paragraph starts at 0
        hi = text.find(PARAGRAPH_BREAK, end) % (len(text) + 1)
        paragraph, start, end = text[lo:hi], start - lo, end - lo
        places, rules = self.rules.other_places, self.rules
        if term in places and another_place(paragraph, start, end, places[term], self.place_code):
            return True
        if term.isupper() and shouted(paragraph, start, end):
            return True
        if term in rules.surnames and _is_prose(paragraph) and self.a_surname(paragraph, start):
            return True
        return (
            term in rules.given_names
            and _is_prose(paragraph)
            and self.a_person(paragraph, start, end)
        )

    def names_a_country(self, name: str, sentence: str) -> bool:
        """Whether a name that opens a sentence ("Doha International Airport is …") names a
        country as the sentence reads it ("Jordan Whitaker is …" does not)."""
        if not self._pattern.search(name):  # most names hold no country's name at all
            return False
        at = sentence.find(name)
        return any(
            at <= match.start() < at + len(name)
            # a surname within the name ("Claire Holland is …"), the sentence's first word
            # being the given name here
            and not (match.group() in self.rules.surnames and self.a_surname(
                sentence, match.start(), opening=True
            ))
            for match in self.mentions(sentence)
        )  # fmt: skip

    def place_code(self, place: str) -> str | None:
        """The country a place's name ("Tbilisi", "Moscow") or one of its words names."""
        found = (self._code_by_term.get(word) for word in [place, *place.split()])
        return self.resolve(place) or next(filter(None, found), None)

    def a_person(self, text: str, start: int, end: int) -> bool:
        """A given name ("Jordan") directly followed by a surname-like word ("Whitaker"), and
        no word before it that forces the country ("in Jordan")."""
        rules = self.rules
        surname = SURNAME.match(text, end)
        if not surname or surname["word"] in rules.not_surnames:
            return False
        if surname["word"] in self._code_by_term:  # "Jordan Israel ties": two countries
            return False
        said = text[max(0, start - 24) : start].rstrip().casefold()
        if said.endswith(rules.saying):  # "according to Jordan Hayes", "said Chad Moore"
            return True
        before = PREVIOUS_WORD.search(text, max(0, start - 40), start)
        return not (before and before["word"].casefold() in rules.forcing)

    def a_surname(self, text: str, start: int, *, opening: bool = False) -> bool:
        """A surname ("Holland", "Jordan") directly after a given-name-like word within a
        sentence ("adviser Hamilton Jordan", "by Claire Holland"): a capitalised word that is
        no country's name, no possessive and none of the words that qualify a country. A
        sentence's first word is capitalised whatever it is ("However Jordan"): not read,
        unless `opening` (a name known to open the sentence: a bio's)."""
        given = GIVEN_NAME.search(text, max(0, start - 30), start)
        if not given or (not opening and SENTENCE_START.search(text, 0, given.start())):
            return False
        word = given["word"]
        return word not in self._code_by_term and word not in self.rules.not_given_names

    def resolve(self, label: str) -> str | None:
        label = label.translate(APOSTROPHES)
        return self._code_by_folded.get(" ".join(label.split()).casefold())


SURNAME = re.compile(
    r"[ \u00a0](?P<word>(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)\b(?![-'’]?\w)"
)
PREVIOUS_WORD = re.compile(r"(?P<word>[\w'’]+)\W*$")
GIVEN_NAME = re.compile(r"(?<![\w'’.])(?P<word>[A-Z][a-z]+\.?)[ \u00a0]$")
COMMA_PLACE = re.compile(r",[ \u00a0]+(?P<place>[A-Z][\w'’.-]*(?:[ \u00a0][A-Z][\w'’.-]*)*)")
CITY_COMMA = re.compile(r"(?P<place>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*),\s*$")
SENTENCE_START = re.compile(r"(?:^|[.!?:;]['’\"”)]*)\s*$")
SHOUT_WINDOW = 40  # characters each side of an all-capital short form


def another_place(text: str, start: int, end: int, rule: PlaceRule, place_code) -> bool:
    """Whether the country's name at text[start:end] names another place, as its rule says:
    the words before and after it, or a place and a comma before it that is no country's
    (`place_code`): "Savannah, Georgia", but "Tbilisi, Georgia"."""
    before = text[:start].rstrip()
    if any(_ends_with_words(before, words) for words in rule.before):
        return True
    after = re.sub(r"^['’]s\b", "", text[end:]).lstrip()
    if any(_starts_with_words(after, words) for words in rule.after):
        return True
    if rule.city_comma and (city := CITY_COMMA.search(text, 0, start)):
        at_start = SENTENCE_START.search(text, 0, city.start())  # "However, Georgia"
        return not at_start and place_code(city["place"]) is None
    return False


def _words(words: Iterable[str]) -> str:
    """An alternation of these words or phrases, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _ends_with_words(text: str, words: str) -> bool:
    return text.endswith(words) and (len(text) == len(words) or not text[-len(words) - 1].isalnum())


def _starts_with_words(text: str, words: str) -> bool:
    return text.startswith(words) and (len(text) == len(words) or not text[len(words)].isalnum())


def shouted(text: str, start: int, end: int) -> bool:
    """Whether the all-capital short form ("US") at text[start:end] sits in text written in
    capitals ("LET US GO"), where it may be an ordinary word."""
    around = text[max(0, start - SHOUT_WINDOW) : start] + text[end : end + SHOUT_WINDOW]
    letters = [ch for ch in around if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.6


def _is_prose(text: str) -> bool:
    """Running prose, not a heading or title in title case (where every word is capitalised
    and a capitalised word after a name says nothing): a sentence's end, or mostly words in
    lower case."""
    if text.rstrip(" \"'”’)").endswith((".", "!", "?")):
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) < 0.6


@cache
def country_matcher() -> CountryMatcher:
    return CountryMatcher(_entries())
