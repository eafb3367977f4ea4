"""How often near duplicates are found under other band layouts (archive.similarity): pairs
of texts of known similarity, each layout's share of them found, and how many unrelated
pairs each makes candidates (each one a comparison).

    python -m benchmarks.band_quality CORPUS_DIR [--texts 1500] [--seed 1]

Each text (a corpus page's body, as the importer parses it) is paired with copies of it with
a share of its words replaced at random; a pair's true similarity is the Jaccard similarity
of the two shingle sets, exactly. A layout is (bands, rows a band, keys to share); a pair is
found when it is a candidate and its sketches' estimate reaches THRESHOLD, as at import.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from pathlib import Path

from archive.importer.records import SourceError
from archive.importer.workers import bytes_parse
from archive.similarity import MAX_WORDS, SHINGLE_WORDS, THRESHOLD, band_keys, signature
from archive.similarity import similarity as estimate

LAYOUTS = [(16, 4, 2), (16, 4, 1), (8, 4, 1), (8, 8, 1), (12, 4, 2)]
BUCKETS = [(0.5, 0.7), (0.7, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 0.95), (0.95, 1.0)]
REPLACED = (0.01, 0.02, 0.03, 0.05, 0.07, 0.1)  # shares of a text's words changed in a copy


def bodies(corpus: Path, count: int) -> list[list[str]]:
    """The words of the first `count` bodies of 200 words or more."""
    found = []
    for page in sorted(corpus.glob("*.txt")):
        record = bytes_parse(page.read_bytes())
        words = [] if isinstance(record, SourceError) else record.body.split()
        if len(words) >= 200:
            found.append(words)
            if len(found) == count:
                break
    return found


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    words = [word.casefold() for word in words[:MAX_WORDS]]
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def shared_keys(a: bytes, b: bytes, bands: int, rows: int) -> int:
    pairs = zip(band_keys(a, bands, rows), band_keys(b, bands, rows), strict=True)
    return sum(x == y for x, y in pairs)


def known_pairs(texts: list[list[str]], draw: random.Random) -> Counter:
    """(layout, bucket, "pairs" or "found") -> how many, over each text and its copies."""
    vocabulary = sorted({word for words in texts for word in words})
    tally: Counter = Counter()
    for words in texts:
        sketch, own = signature(" ".join(words)), shingles(words)
        for share in REPLACED:
            copy = list(words)
            for i in draw.sample(range(len(copy)), int(share * len(copy))):
                copy[i] = draw.choice(vocabulary)
            theirs = shingles(copy)
            true = len(own & theirs) / len(own | theirs)
            bucket = next((b for b in BUCKETS if b[0] <= true < b[1] or true == b[1] == 1), None)
            if bucket is None:
                continue
            other = signature(" ".join(copy))
            alike = estimate(sketch, other) >= THRESHOLD
            for layout in LAYOUTS:
                bands, rows, need = layout
                tally[layout, bucket, "pairs"] += 1
                tally[layout, bucket, "found"] += (
                    alike and shared_keys(sketch, other, bands, rows) >= need
                )
    return tally


def unrelated_candidates(texts: list[list[str]]) -> dict[tuple, int]:
    """Per layout, how many pairs of different texts share enough keys to be compared."""
    sketches = [signature(" ".join(words)) for words in texts]
    counts = {}
    for bands, rows, need in LAYOUTS:
        holders = defaultdict(list)
        for i, sketch in enumerate(sketches):
            for band, key in enumerate(band_keys(sketch, bands, rows)):
                holders[band, key].append(i)
        shared: Counter = Counter()
        for held in holders.values():
            shared.update((x, y) for n, x in enumerate(held) for y in held[n + 1 :])
        counts[bands, rows, need] = sum(n >= need for n in shared.values())
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--texts", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    texts = bodies(args.corpus, args.texts)
    tally = known_pairs(texts, random.Random(args.seed))
    unrelated = unrelated_candidates(texts)
    print(f"{len(texts)} bodies; found: a candidate whose estimate reaches {THRESHOLD}")
    print(
        "| true similarity | pairs | "
        + " | ".join(f"{b}×{r}, {n} to share" for b, r, n in LAYOUTS)
        + " |"
    )
    print("| --- | ---: |" + " ---: |" * len(LAYOUTS))
    for bucket in BUCKETS:
        pairs = tally[LAYOUTS[0], bucket, "pairs"]
        cells = [f"{100 * tally[lay, bucket, 'found'] / pairs:.1f} %" for lay in LAYOUTS]
        print(f"| {bucket[0]:.2f}–{bucket[1]:.2f} | {pairs:,} | " + " | ".join(cells) + " |")
    everything = len(texts) * (len(texts) - 1) // 2
    cells = [f"{unrelated[layout]:,}" for layout in LAYOUTS]
    print(f"| unrelated pairs compared (of {everything:,}) | | " + " | ".join(cells) + " |")
    print("| band rows an article | | " + " | ".join(str(b) for b, _, _ in LAYOUTS) + " |")


if __name__ == "__main__":
    main()
