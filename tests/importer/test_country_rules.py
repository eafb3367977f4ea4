"""The country matcher's rules beyond its datasets (archive/reference/country_rules.toml), one
kind at a time, each with both readings side by side."""

from __future__ import annotations

import pytest

from archive.countries import country_matcher, country_rules


@pytest.fixture(scope="module")
def matcher():
    return country_matcher()


def found(matcher, text: str) -> dict[str, int]:
    return dict(matcher.count([text]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The UK and the US agreed.", {"GB": 1, "US": 1}),
        ("KSA officials met UAE envoys.", {"SA": 1, "AE": 1}),
        ("The DPRK, the ROK and the PRC met.", {"KP": 1, "KR": 1, "CN": 1}),
        ("Korea and North Korea talked.", {"KR": 1, "KP": 1}),
        ("Ukraine is not UK.", {"UA": 1, "GB": 1}),
        ("the uk", {}),  # short forms in capitals only
        ("Funds from the U.A.E. and the UAE.", {"AE": 2}),
        ("A Nepali firm, a Filipina envoy and Nepalese guides.", {"NP": 2, "PH": 1}),
        ("Even the Vatican weighed in.", {"VA": 1}),
    ],
)
def test_aliases_from_the_data(matcher, text, expected):
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Côte d’Ivoire and Côte d'Ivoire.", {"CI": 2}),
        ("North Korea and South Sudan.", {"KP": 1, "SS": 1}),
    ],
)
def test_a_name_is_read_whatever_its_apostrophe_or_space(matcher, text, expected):
    from archive.importer.parser import normalise

    assert found(matcher, normalise(text).strip()) == expected
    assert matcher.resolve("Côte d’Ivoire") == "CI"


def test_a_short_form_in_text_written_in_capitals_is_a_word(matcher):
    assert found(matcher, "THE US AND ITS ALLIES") == {}
    assert found(matcher, "US-NATO talks went on.") == {"US": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She flew to Savannah, Georgia, last week.", {}),
        ("In Tbilisi, Georgia signed a deal.", {"GE": 2}),
        ("The governor of Georgia spoke; Russia invaded Georgia in 2008.", {"GE": 1, "RU": 1}),
        ("Georgia's governor signed it, and Georgia Tech students cheered.", {}),
        ("However, Georgia refused.", {"GE": 1}),
        ("Unlike Armenia, Georgia joined.", {"AM": 1, "GE": 1}),
        ("New Mexico and Mexico", {"MX": 1}),
        ("Georgia borders Turkey to the south.", {"GE": 1, "TR": 1}),  # a name that opens a text
    ],
)
def test_another_place_of_the_same_name(matcher, text, expected):
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Latin America and the Latin American left, but America held.", {"US": 1}),
        ("the Indian Ocean and India", {"IN": 1}),
        ("the South China Sea and China", {"CN": 1}),
        ("the Niger Delta in Nigeria, not Niger", {"NG": 1, "NE": 1}),
        ("Lake Chad shrinks; Chad suffers.", {"TD": 1}),
        ("loans from Brussels, and Belgium", {"BE": 1}),
    ],
)
def test_regions_and_ignored_names_count_for_no_country(matcher, text, expected):
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("said analyst Jordan Whitaker.", {}),
        ("Jordan Whitaker said so.", {}),
        ("Chad Smith wrote.", {}),
        ("Israel Kessler and Georgia Lambert spoke.", {}),
        ("He lives in Jordan Whitaker said.", {"JO": 1}),  # forced by "in"
        ("According to Jordan Hayes, it failed.", {}),  # a verb of saying: a person
        ("The fund is run by Sofia Castellano.", {}),
        ("It was signed by Jordan Monday.", {"JO": 1}),  # a day is no surname
        ("Jordan's King Abdullah met them.", {"JO": 1}),
        ("Israel Defense Forces struck.", {"IL": 1}),
        ("Kenya Airways flights resumed.", {"KE": 1}),
        ("Jordan Israel ties", {"JO": 1, "IL": 1}),
        ("Why Jordan Matters", {"JO": 1}),  # a heading: every word is capitalised
    ],
)
def test_a_country_that_is_a_given_name(matcher, text, expected):
    assert found(matcher, text) == expected


def test_the_rules_are_data():
    rules = country_rules()
    assert "KSA" in rules.aliases["SA"] and "UK" in rules.aliases["GB"]
    assert "Latin America" in rules.regions
    assert {"Jordan", "Chad", "Georgia", "Israel"} <= rules.given_names
    assert "Savannah" not in str(rules.other_places["Georgia"])  # the city rule is general


def test_the_rules_read_each_text_of_an_article_as_its_own_paragraph(matcher):
    """The first text (the title) ends where the next begins: a rule's words in the second do
    not reach back to a name in the first, nor does the first lose its first letter."""
    assert matcher.count(["Georgia Turns to the South", "Trade grew north of Tbilisi."]) == {
        "GE": 2
    }
    assert matcher.count(["Georgia borders Turkey to the south.", "Armenia"]) == {
        "GE": 1, "TR": 1, "AM": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a treaty named after the capital where it was made; the capital for its government
        ("The Paris Agreement binds few. Paris objected.", {"FR": 1}),
        ("The Oslo Accords, the Rome Statute and the Minsk Agreements.", {}),
        # a sea, gulf, island or city named after a country; the country itself
        ("Tankers in the Gulf of Oman; Oman protested.", {"OM": 1}),
        ("Near Kharg Island the tankers wait.", {}),  # the dataset's "Island" (Iceland)
        ("Jersey City voted; Jersey did not.", {"JE": 1}),
        # another place of a capital's name; a U.S. town; the capital itself
        ("Clashes in Tripoli, Lebanon.", {"LB": 1}),
        ("Tripoli denied it.", {"LY": 1}),
        ("Donors in Lima, Ohio and Panama City, Florida gave.", {}),
        ("India, Georgia and Armenia signed.", {"IN": 1, "GE": 1, "AM": 1}),
        # a surname within a sentence; a sentence's first word is no given name
        ("Carter relied on Hamilton Jordan.", {}),
        ("However Jordan refused.", {"JO": 1}),
        ("Greater Israel was his aim.", {"IL": 1}),
    ],
)
def test_names_that_are_something_else_beside_the_country(matcher, text, expected):
    assert found(matcher, text) == expected


def test_every_word_list_of_the_rules_is_read():
    rules = country_rules()
    assert {"Island", "Mann"} <= rules.ignored
    assert "Agreement" in rules.capital_named_after and "Gulf of" in rules.features_before
    assert "according to" in rules.saying and "Holland" in rules.surnames


def test_a_text_typed_with_other_spaces_is_counted_as_read(db):
    """The matcher reads spaces as a reader does whoever wrote the text: an API write's body
    with a no-break space or a zero-width one inside a name (the parser's pages are plain)."""
    from archive.services import country_mentions

    body = "North\u00a0Korea tested again. South\u200b Sudan waits. C\u00f4te d\u2019Ivoire too."
    assert country_mentions(title="Notes", body=body) == {"KP": 1, "SS": 1, "CI": 1}
