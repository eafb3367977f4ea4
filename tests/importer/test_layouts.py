"""The seam for page layouts (archive.importer.layouts): each says how well it fits a page and
parses it; the best fit reads the page. Today's layout reads every known page, and a second
one, added as one more module, takes the pages it fits better."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from archive.importer import layouts, parser
from archive.importer.layouts import commentary
from archive.importer.reading import source_decode
from archive.importer.records import ArticleRecord, SourceError
from archive.importer.workers import page_parse
from tests.conftest import SEEDS, SOURCES

PAGES = sorted([*SEEDS.glob("*.txt"), *SOURCES.glob("*.txt")])


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name[:3])
def test_every_known_page_is_read_by_the_commentary_layout(page, monkeypatch):
    # Beside a second layout, so that the page is chosen by the fits, not by being alone.
    monkeypatch.setattr(parser, "LAYOUTS", (_wire_layout(), *layouts.LAYOUTS))
    record = page_parse(page.read_bytes())
    assert record.layout == commentary.NAME
    text = parser.normalise(source_decode(page.read_bytes()))
    assert commentary.fit(text) >= 0.5  # every one carries one kind of mark at least (cards)


def test_the_commentary_fit_grows_with_each_kind_of_mark():
    bare = "A Title\n\nA body.\n"
    marked = bare + "\nIssue: Trade\n"
    full = marked + (
        "\nThe views expressed in this article are those of the author and do not reflect "
        "the position of Forum.\n\nSubscribe to Receive Latest Updates from F.\n"
    )
    assert 0 < commentary.fit(bare) < commentary.fit(marked) < commentary.fit(full) == 1.0


def _wire_layout():
    """A second layout, as a module would give it: a news wire's `HEADLINE:` pages."""

    def fit(text: str) -> float:
        return 1.0 if text.startswith("HEADLINE:") else 0.0

    def parse(text: str, **kwargs) -> ArticleRecord:
        headline, _, body = text.partition("\n")
        body = body.strip()
        return ArticleRecord(
            title=headline.removeprefix("HEADLINE:").strip(), checksum="", body=body,
            lead=body, excerpt=body, word_count=len(body.split()), layout="wire",
        )  # fmt: skip

    return SimpleNamespace(NAME="wire", fit=fit, parse=parse)


def test_a_second_layout_takes_the_pages_it_fits_better(monkeypatch):
    monkeypatch.setattr(parser, "LAYOUTS", (*layouts.LAYOUTS, _wire_layout()))
    wire = parser.source_parse("HEADLINE: Ports reopen\nShips sailed from Aden today.\n")
    assert (wire.layout, wire.title) == ("wire", "Ports reopen")
    page = parser.source_parse(PAGES[0].read_text(encoding="utf-8-sig"))
    assert page.layout == commentary.NAME


def test_a_page_no_layout_fits_is_refused_with_the_reason(monkeypatch):
    nothing = SimpleNamespace(NAME="none", fit=lambda text: 0.0, parse=None)
    monkeypatch.setattr(parser, "LAYOUTS", (nothing, nothing))
    with pytest.raises(SourceError, match="no known page layout fits"):
        parser.source_parse("Some text.\n")
