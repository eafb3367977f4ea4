"""The paragraph filter of archive.search.hits: every word of the sources, and the words
English stemming rewrites most, holds the stem_prefix of its own stem (else a paragraph
holding it would be skipped as a hit)."""

from __future__ import annotations

import re
from pathlib import Path

from archive.search.hits import _terms, stem_prefix
from benchmarks import corpus

ROOT = Path(__file__).resolve().parents[2]
REWRITTEN = [
    "dying", "lying", "tying", "skies", "cries", "sky", "relational", "conditional", "generously",
    "happily", "sensitivity", "ability", "biology", "capably", "possibly", "organizer", "news",
    "atlas", "cosmos", "bias", "andes", "early", "only", "singly", "gently", "ugly", "idly",
    "communication", "generalization", "hopefulness", "agreed", "feed", "troubled", "hopping",
    "fizzed", "failing", "filing", "controlled", "rolling", "conditionally", "rationalization",
    "Côte", "İstanbul",
]  # fmt: skip


def vocabulary() -> set[str]:
    words = set(REWRITTEN)
    for folder in (ROOT / "seeds", ROOT / "fixtures"):
        for path in folder.rglob("*.txt"):
            words |= set(re.findall(r"[^\W_]+", path.read_text(encoding="utf-8", errors="replace")))
    for names in (corpus.ADJECTIVES, corpus.NOUNS, corpus.TOPICS, corpus.FIRST, corpus.LAST):
        words |= {w for name in names for w in re.findall(r"[^\W_]+", name)}
    return words


def test_every_word_holds_the_prefix_of_its_stem():
    words = vocabulary()
    assert len(words) > 2_000
    missed = [
        (word, stem)
        for word in sorted(words)
        for stem in _terms(word)
        if stem_prefix(stem) not in word.lower()
    ]
    assert missed == []
