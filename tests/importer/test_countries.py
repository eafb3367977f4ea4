"""The country matcher: names, aliases, demonyms and capitals to ISO codes."""

from __future__ import annotations

import pytest

from archive.importer.countries import country_matcher, iso_countries


@pytest.fixture(scope="module")
def matcher():
    return country_matcher()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran", "IR"),
        ("Iranian", "IR"),
        ("Iranians", "IR"),
        ("Tehran", "IR"),
        ("Moscow", "RU"),
        ("the Kremlin", "RU"),
        ("Russian", "RU"),
        ("the U.S. Congress", "US"),
        ("the United States", "US"),
        ("Washington", "US"),
        ("American", "US"),
        ("Turkish-made", "TR"),
        ("Israeli", "IL"),
        ("the United Arab Emirates", "AE"),
        ("Saudi Arabia", "SA"),
        ("Beijing", "CN"),
    ],
)
def test_each_kind_of_name_finds_its_country(matcher, text, code):
    assert matcher.count([text]) == {code: 1}


def test_longest_name_wins(matcher):
    assert matcher.count(["South Sudan and Papua New Guinea"]) == {"SS": 1, "PG": 1}


def test_possessives_and_hyphens(matcher):
    assert matcher.count(["Iran’s ties to Moscow-Tehran and Russo-Iranian trade"]) == {
        "IR": 3,
        "RU": 1,
    }


def test_lower_case_words_and_us_states_are_not_countries(matcher):
    assert matcher.count(["a turkey, fine china, New Jersey and New Mexico"]) == {}


def test_resolve_a_tag(matcher):
    assert matcher.resolve("Iran") == "IR"
    assert matcher.resolve(" united  states ") == "US"
    assert matcher.resolve("ir") == "IR"
    assert matcher.resolve("Gulf States") is None


def test_dataset_is_the_iso_list_with_common_names():
    countries = {c.code: c for c in iso_countries()}
    assert len(countries) == 249
    assert (countries["RU"].name, countries["RU"].alpha3) == ("Russia", "RUS")
    assert countries["IR"].name == "Iran"
