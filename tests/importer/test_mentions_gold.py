"""Mention detection against a gold set counted by hand (fixtures/mentions_gold.toml): for 19
pages, every country mention with its sentence. Reports precision and recall over the set,
and holds them at 1.00: a rule that finds a mention the gold set does not have, or misses one
it has, fails here with the sentence."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import pytest

from archive.countries import country_matcher
from archive.importer.records import ArticleRecord
from archive.importer.workers import bytes_parse
from tests.conftest import ROOT, SOURCES

GOLD = tomllib.loads((ROOT / "fixtures" / "mentions_gold.toml").read_text(encoding="utf-8"))
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'])")


def sentences_found(page: str) -> dict[str, Counter]:
    """Each sentence of the page's title, headings and paragraphs, with the countries the
    importer's matcher finds in it (found over the whole paragraph, as the importer does)."""
    record = bytes_parse((SOURCES / page).read_bytes())
    assert isinstance(record, ArticleRecord), record
    matcher = country_matcher()
    found: dict[str, Counter] = {}
    for text in [record.title, *record.body.split("\n\n")]:
        starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
        pieces = SENTENCE_END.split(text)
        for piece in pieces:
            found.setdefault(piece, Counter())
        for match in matcher.mentions(text):
            at = max(i for i, start in enumerate(starts) if start <= match.start())
            found[pieces[at]][matcher.code(match)] += 1
    # Sum per page equals the record's own count: the same rules, nothing lost in splitting.
    assert sum(found.values(), Counter()) == Counter(dict(record.mentions)), page
    return found


def scores() -> tuple[int, int, int, list[str]]:
    """(true positives, found, gold, the sentences where they differ)."""
    hits = found_total = gold_total = 0
    differences = []
    for page in GOLD["page"]:
        found = sentences_found(page["file"])
        gold = {sentence: Counter(codes) for sentence, codes in page["sentences"]}
        unknown = gold.keys() - found.keys()
        assert not unknown, f"{page['file']}: no such sentence {unknown}"
        for sentence, counted in found.items():
            expected = gold.get(sentence, Counter())
            hits += sum((counted & expected).values())
            found_total += sum(counted.values())
            gold_total += sum(expected.values())
            if counted != expected:
                differences.append(f"{page['file']}: {sentence!r} found {dict(counted)}, "
                                   f"gold {dict(expected)}")  # fmt: skip
    return hits, found_total, gold_total, differences


def test_mention_detection_matches_the_gold_set():
    hits, found, gold, differences = scores()
    precision, recall = hits / found, hits / gold
    print(f"\nmention detection over {len(GOLD['page'])} pages, {gold} gold mentions: "
          f"precision {precision:.2f}, recall {recall:.2f}")  # fmt: skip
    assert len(GOLD["page"]) >= 10 and gold >= 100
    assert differences == []
    assert precision == recall == 1.0


@pytest.mark.parametrize("page", [page["file"] for page in GOLD["page"]])
def test_every_gold_sentence_is_a_sentence_of_its_page(page):
    found = sentences_found(page)
    [entry] = [p for p in GOLD["page"] if p["file"] == page]
    assert {sentence for sentence, _ in entry["sentences"]} <= found.keys()
