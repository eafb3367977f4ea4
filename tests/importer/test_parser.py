"""The parser on the real seeds (SPEC §3) and on variant pages; no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from archive.importer.parser import source_parse
from archive.importer.reading import source_decode
from archive.importer.records import SourceError
from archive.rules import title_key
from tests.conftest import HORN, NILE, SEED_000, SEED_002


def parse(path):
    return source_parse(source_decode(path.read_bytes()))


@pytest.fixture(scope="module")
def seed_000():
    return parse(SEED_000)


@pytest.fixture(scope="module")
def seed_002():
    return parse(SEED_002)


def codes(record) -> set[str]:
    return {code for code, _ in record.mentions}


class TestSeed000:
    def test_title(self, seed_000):
        assert seed_000.title == "Iran’s Indispensable Role for Russia in the Ukraine War"

    def test_publication_from_disclaimer_and_footer(self, seed_000):
        assert seed_000.publication.name == "Gulf International Forum"
        assert seed_000.publication.acronym == "GIF"

    def test_author_and_bio(self, seed_000):
        assert [(a.name, a.honorific) for a in seed_000.authors] == [("Giorgio Cafiero", "")]
        assert seed_000.authors[0].bio.startswith("Giorgio Cafiero is the CEO of Gulf State")

    def test_sections(self, seed_000):
        assert seed_000.sections == (
            "Hardline Rhetoric Wins Out",
            "Convergent Interests Breed Cooperation",
            "The Toll of Russian-Iranian Military Coordination",
            "How the Ukraine War Benefits Iran",
        )

    def test_lead(self, seed_000):
        assert seed_000.lead.startswith("February 24 will mark the one-year anniversary")

    def test_no_tags_no_date_no_cards(self, seed_000):
        assert seed_000.topics == ()
        assert seed_000.tagged_countries == ()
        assert seed_000.published_on is None
        assert seed_000.related == ()

    def test_mentioned_countries(self, seed_000):
        assert {"IR", "RU", "UA", "US", "CN", "SY", "AF", "KZ", "IL", "IQ"} <= codes(seed_000)

    def test_bio_only_countries_not_mentioned(self, seed_000):
        assert not {"EG", "TR", "QA"} & codes(seed_000)


class TestSeed002:
    def test_title(self, seed_002):
        assert seed_002.title == (
            "Iran’s Military Alignment with Russia Increases the West’s Distrust"
        )

    def test_author_with_honorific(self, seed_002):
        assert [(a.name, a.honorific) for a in seed_002.authors] == [("Kenneth Katzman", "Dr.")]

    def test_sections(self, seed_002):
        assert seed_002.sections == (
            "Iran Deepens its Alliance with Russia",
            "The West Responds to Iran",
            "Unsuccessful Damage Control",
        )

    def test_lead(self, seed_002):
        assert seed_002.lead.startswith("Since the Islamic Republic’s formation in 1979")

    def test_tags(self, seed_002):
        assert seed_002.topics == ("U.S. – Gulf Policy",)
        assert seed_002.tagged_countries == ("IR",)

    def test_mentioned_countries(self, seed_002):
        expected = {"IR", "RU", "UA", "US", "CN", "SY", "AF", "IL", "IQ", "TR", "IN", "SA", "AE"}
        assert expected <= codes(seed_002)

    def test_card_only_countries_not_mentioned(self, seed_002):
        assert not {"BR", "ZA"} & codes(seed_002)

    def test_card_dates_are_not_the_articles_date(self, seed_002):
        assert seed_002.published_on is None

    def test_seven_distinct_related_cards_in_page_order(self, seed_002):
        assert [card.title for card in seed_002.related] == [
            "The U.S.-Iran Prisoner Swap: Unraveling Impacts on Gulf Security and Oil Dynamics",
            "From Hope to Halt: The Abraham Accords and the Palestinian Predicament",
            "BRICS Membership: Gulf States’ Strategic Pivot in Shifting Global Dynamics",
            "From Devotion to Dissent: Iran’s Shifting Ashura Narrative",
            "Raisi’s European Divorce: Zero Cooperation Policy",
            "The Costs and Consequences of Iran’s Brain Drain",
            "Imam Hussein University: Teaching the IRGC",
        ]

    def test_cards_merge_both_shapes(self, seed_002):
        swap = seed_002.related[0]
        assert swap.published_on == date(2023, 9, 21)
        assert swap.country == "IR"
        assert swap.kind == "commentary"
        assert swap.excerpt.startswith("The recently announced prisoner swap")

    def test_bio_like_card_excerpt_is_not_an_author(self, seed_002):
        """'Imam Hussein University is a …' opens like a bio but is a card's excerpt."""
        assert "Imam Hussein University" not in {a.name for a in seed_002.authors}


@pytest.mark.parametrize("path", [SEED_000, SEED_002, NILE, HORN])
def test_body_keeps_only_the_article(path):
    record = parse(path)
    assert "The views and opinions" not in record.body
    assert "Subscribe to" not in record.body
    assert "Issue:" not in record.body and "Country:" not in record.body
    assert "• Home" not in record.body
    assert all(author.bio not in record.body for author in record.authors)
    assert all(card.title not in record.body for card in record.related)
    assert record.body.startswith(record.lead)
    assert all(section in record.body.split("\n\n") for section in record.sections)


class TestVariantPage:
    """fixtures/sources/100_…: a dateline, two authors, multi-valued tags, both card shapes."""

    @pytest.fixture
    def nile(self):
        return parse(NILE)

    def test_dateline(self, nile):
        assert nile.published_on == date(2024, 3, 3)
        assert not nile.lead.startswith("March")

    def test_two_authors_in_bio_order(self, nile):
        assert [(a.name, a.honorific) for a in nile.authors] == [
            ("Amina Warsame", "Prof."),
            ("Daniel K. Osei", ""),
        ]

    def test_multi_valued_tags(self, nile):
        assert nile.topics == ("Water Security", "Regional Diplomacy")
        assert nile.tagged_countries == ("EG", "ET", "SD")

    def test_other_publication(self, nile):
        assert (nile.publication.name, nile.publication.acronym) == ("Horn Policy Institute", "HPI")

    def test_capitals_and_demonyms_count(self, nile):
        mentions = dict(nile.mentions)
        assert mentions["SD"] == 2  # Sudan and Khartoum; the Country: tag does not count
        # Cairo in the title; Egypt, Egyptian and Cairo twice each in the body.
        assert mentions["EG"] == 7
        assert {"US", "AE", "SA"} <= set(mentions)
        assert "KE" not in mentions  # Nairobi is only in a bio

    def test_cards_of_both_shapes(self, nile):
        first, second = nile.related
        assert (first.title, first.published_on) == (
            "Sudan's War and the Red Sea Ports",
            date(2024, 2, 12),
        )
        assert (second.title, second.country, second.kind) == (
            "Grain, Ports and Power in the Horn of Africa",
            "ET",
            "analysis",
        )

    def test_word_count_counts_body_words(self, nile):
        assert nile.word_count == len(nile.body.split())


def test_page_without_breadcrumb_takes_first_line_as_title():
    record = parse(HORN)
    assert record.title == "Grain, Ports and Power in the Horn of Africa"
    assert record.published_on == date(2024, 6, 5)
    assert record.sections == ("Why Berbera Matters",)


def test_crlf_bom_and_cp1252_give_the_same_record():
    text = SEED_002.read_text(encoding="utf-8")
    plain = source_parse(text)
    crlf_bom = source_parse(source_decode(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()))
    assert crlf_bom == plain
    latin = NILE.read_text(encoding="utf-8")
    assert source_parse(source_decode(latin.encode("cp1252"))) == source_parse(latin)


@pytest.mark.parametrize("bullet", ["*", "-", "?", "·"])
def test_breadcrumb_bullets_lost_in_a_re_encoding_are_still_a_breadcrumb(bullet):
    text = NILE.read_text(encoding="utf-8").replace("•", bullet)
    record = source_parse(text)
    assert record.title == "Water Diplomacy on the Nile: Cairo and Addis Ababa Try Again"
    original = source_parse(NILE.read_text(encoding="utf-8"))
    assert replace(record, checksum="") == replace(original, checksum="")


def test_paragraph_split_over_lines_is_one_paragraph():
    text = "A Title\n\nFirst line of a paragraph\ncontinued here.\n\nSecond paragraph.\n"
    assert source_parse(text).lead == "First line of a paragraph continued here."


def test_bios_without_disclaimer_are_taken_from_the_end():
    text = "A Title\n\nThe body has one paragraph.\n\nJane Roe is a fellow at an institute.\n"
    record = source_parse(text)
    assert [a.name for a in record.authors] == ["Jane Roe"]
    assert record.body == "The body has one paragraph."


def test_country_sentence_at_the_end_is_not_a_bio():
    text = "A Title\n\nThe body opens.\n\nSaudi Arabia is a major oil producer.\n"
    record = source_parse(text)
    assert record.authors == ()
    assert record.body.endswith("Saudi Arabia is a major oil producer.")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("   \n\n", "empty"),
        ("• Home\n  • A Title\n\nA Title\n", "no body"),
        ("A Title\n\nThe article starts and then the file stops in the middle of a", "truncated"),
        ("x" * 400 + ".\n\nMore text.\n", "no title"),
    ],
)
def test_pages_that_are_not_articles_are_refused(text, reason):
    with pytest.raises(SourceError, match=reason):
        source_parse(text)


def test_checksum_ignores_line_ends_but_not_content():
    text = SEED_000.read_text(encoding="utf-8")
    assert source_parse(text).checksum == source_parse(text.replace("\n", "\r\n")).checksum
    assert source_parse(text).checksum != source_parse(text.replace("Tehran", "Teheran")).checksum


def test_title_key_folds_quotes_case_and_space():
    assert title_key("Iran’s  Brain Drain") == title_key("IRAN'S BRAIN DRAIN")


def test_a_page_whose_text_passes_the_limit_is_refused_as_the_api_would():
    """One limit for importer and API (archive.limits.TEXT_MAX_CHARS)."""
    from archive.limits import TEXT_MAX_CHARS

    text = SEED_002.read_text(encoding="utf-8")
    first_paragraph_end = text.index("\n\n", text.index("\n\n") + 2)
    padding = "\n\n" + "More analysis follows here. " * (TEXT_MAX_CHARS // 28 + 1)
    long_page = text[:first_paragraph_end] + padding + text[first_paragraph_end:]
    with pytest.raises(SourceError, match=r"too long: [\d,]+ characters of text \(limit 500,000\)"):
        source_parse(long_page)
    source_parse(text)  # the page itself is well within it


def test_a_datelines_parts_give_the_day_dateutil_gives():
    """The dateline's own reading (layouts.commentary._parse_date) against dateutil's, for
    every month in every form DATELINE accepts, with days that do and do not exist."""
    from dateutil import parser as dateparser

    from archive.importer.layouts.commentary import DATELINE, _parse_date

    months = [
        "January", "Jan", "Jan.", "February", "Feb.", "March", "Mar", "April", "Apr.", "May",
        "June", "Jun", "July", "Jul.", "August", "Aug", "September", "Sept.", "Sep", "October",
        "Oct.", "November", "Nov", "December", "Dec.", "SEPTEMBER", "march",
    ]  # fmt: skip
    lines = [
        line
        for month in months
        for day in (1, 9, 28, 29, 30, 31)
        for line in (
            f"{month} {day}, 2024",
            f"{month} {day} 2023",
            f"{day} {month} 2024",
            f"{day} {month}, 2021",
        )  # fmt: skip
    ] + ["2024-02-29", "2023-02-29", "2024-13-01", "1999-12-31"]
    for line in lines:
        assert DATELINE.match(line), line
        try:
            expected = dateparser.parse(line).date()
        except (ValueError, OverflowError):
            expected = None
        assert _parse_date.__wrapped__(line) == expected, line
