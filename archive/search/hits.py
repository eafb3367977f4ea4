"""Where a search hit is: the paragraphs of an article that hold a searched word or phrase,
read as the index reads words (tantivy's English stemming: "sanctions" finds "sanctioned").
Both the index's answers and the database's use it, so a hit is placed alike either way."""

from __future__ import annotations

import threading

import tantivy

from archive.rules import Block

from .query import SearchQuery

MAX_TOKEN_CHARS = 40  # tantivy's en_stem drops longer tokens


_local = threading.local()


def _analyzer() -> tantivy.TextAnalyzer:
    """tantivy's `en_stem`: words split on what is not alphanumeric, long ones dropped,
    lower-cased, stemmed in English. One per thread: an analyzer is borrowed mutably while it
    works, and a second thread using the same one got "Already borrowed" (a 500 under load)."""
    analyzer = getattr(_local, "analyzer", None)
    if analyzer is None:
        analyzer = _local.analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(MAX_TOKEN_CHARS))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )
    return analyzer


def _terms(text: str) -> list[str]:
    return _analyzer().analyze(text)


def _holds(tokens: list[str], phrase: list[str]) -> bool:
    if not phrase:
        return False
    if len(phrase) == 1:
        return phrase[0] in tokens
    width = len(phrase)
    return any(tokens[i : i + width] == phrase for i in range(len(tokens) - width + 1))


def stem_prefix(stem: str) -> str:
    """What every word with this stem holds, lower-cased: English stemming rewrites at most the
    last two letters of what it keeps ("happi" from "happy", "relat" from "relational"), and of
    a short stem, all but the first ("die" from "dying")."""
    return stem[:-2] if len(stem) > 3 else stem[:1]


def paragraphs_hit(query: SearchQuery, blocks: list[Block]) -> list[Block]:
    """The paragraphs (not headings) holding at least one of the searched words or phrases;
    a heading holding one makes no paragraph a hit by itself. A paragraph without the first
    word's stem_prefix anywhere cannot hold it: only the others are read word by word."""
    phrases = [p for p in (_terms(" ".join(words)) for words in query.include) if p]
    prefixes = [stem_prefix(p[0]) for p in phrases]

    def holds(text: str) -> bool:
        lowered = text.lower()
        return any(
            prefix in lowered and _holds(_terms(text), phrase)
            for prefix, phrase in zip(prefixes, phrases, strict=True)
        )

    return [block for block in blocks if block.number and holds(block.text)]
