"""Hostile input to the parser: whatever the bytes or text, the result is an ArticleRecord or
the importer's own SourceError, never another exception (and never a hang).

Three generators: arbitrary bytes through the reader; arbitrary text; and pages spliced from
real source lines (dropped, repeated, shuffled, cut, with noise), which reach far deeper into
the parser than random text does."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.countries import country_matcher
from archive.importer.parser import source_parse
from archive.importer.reading import source_decode
from archive.importer.records import ArticleRecord, SourceError
from tests.conftest import HORN, NILE, SEED_000, SEED_002

MATCHER = country_matcher()
REAL_LINES = sorted(
    {line for path in (SEED_000, SEED_002, NILE, HORN) for line in path.read_text().split("\n")}
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_refuse(text: str) -> ArticleRecord | None:
    try:
        record = source_parse(text, matcher=MATCHER)
    except SourceError as error:
        assert str(error) and "\n" not in str(error)  # a one-line reason
        return None
    assert isinstance(record, ArticleRecord)
    assert record.title.strip()
    assert all(count > 0 for _, count in record.mentions)
    return record


@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes_decode_to_text_or_a_source_error(data):
    try:
        text = source_decode(data)
    except SourceError:
        return
    parse_or_refuse(text)


@FUZZ
@given(st.text(max_size=4096))
def test_any_text_parses_or_is_refused(text):
    parse_or_refuse(text)


spliced_lines = st.lists(
    st.one_of(
        st.sampled_from(REAL_LINES),
        st.sampled_from(REAL_LINES).map(lambda line: line[: len(line) // 2]),
        st.sampled_from(["", "", "• Home", "Issue:", "Country:", "Related", "By", "\t", "…"]),
        st.text(max_size=80),
    ),
    max_size=120,
)


@FUZZ
@given(spliced_lines, st.sampled_from(["\n", "\r\n", "\r"]))
def test_pages_spliced_from_real_lines_parse_or_are_refused(lines, newline):
    parse_or_refuse(newline.join(lines))


@pytest.mark.parametrize("path", [SEED_000, SEED_002, NILE, HORN], ids=lambda p: p.stem)
@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=1.0))
def test_real_pages_cut_anywhere_parse_or_are_refused(path, cut):
    text = path.read_text()
    parse_or_refuse(text[: int(len(text) * cut)])
