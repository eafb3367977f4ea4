"""The country matcher: names, aliases, demonyms and capitals to ISO codes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.countries import country_matcher, iso_countries, trie_pattern


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


# The matcher's pattern is a trie of its terms; it must match exactly what the plain
# alternation of the same terms, longest first, matches.

_TERM = st.text(alphabet="ANSaenis .-'", min_size=1, max_size=8).filter(lambda t: t.strip())


@settings(max_examples=300, deadline=None)
@given(
    terms=st.lists(_TERM, min_size=1, max_size=12, unique=True),
    text=st.text("ANSaenis .-'x", max_size=60),
)
def test_trie_pattern_matches_what_the_longest_first_alternation_matches(terms, text):
    plain = re.compile(
        "(?:" + "|".join(map(re.escape, sorted(terms, key=len, reverse=True))) + r")(?!\w)"
    )
    trie = re.compile(trie_pattern(terms) + r"(?!\w)")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_matcher_counts_the_real_pages_as_the_plain_alternation_would(matcher):
    from archive.importer.reading import source_decode
    from tests.conftest import SEEDS, SOURCES

    terms = sorted(matcher._found, key=len, reverse=True)  # countries' names and regions'
    plain = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")
    for page in [*SEEDS.glob("*.txt"), *SOURCES.glob("*.txt")]:
        text = source_decode(page.read_bytes())
        found = [m.group() for m in matcher._pattern.finditer(text)]
        assert found == [m.group() for m in plain.finditer(text)], page.name
        assert len(found) >= 3  # each page names several countries
