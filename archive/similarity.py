"""When two articles' texts are nearly the same: a MinHash sketch of each body (datasketch's),
compared by the Jaccard similarity of their three-word shingles it estimates. Pure: no ORM.

Which articles to compare comes from locality-sensitive hashing: the sketch's first BANDS ×
ROWS values are cut into BANDS bands, each hashed to a key, and articles sharing
MIN_SHARED_BANDS keys are candidates (two texts 80 % alike share one with a probability of
98.5 %). On pairs of known similarity (benchmarks/band_quality.py, docs/benchmarks.md) these
8 keys, one to share, found what 16 keys, two to share, had found, within 0.3 points, and
made fewer unrelated pairs candidates: what is missed is missed by the estimate. A key that
more than MAX_HOLDERS articles hold is common text (a template, a boilerplate paragraph) or a
flood of copies: only its newest SAMPLE holders are candidates, which finds a copy in a flood
and costs a template no more than SAMPLE comparisons. Candidates are kept when their sketches'
similarity reaches THRESHOLD.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import numpy as np

NUM_PERM = 64
BANDS = 8  # one row per key and article in the database (archive.models.SketchBand)
ROWS = 4
THRESHOLD = 0.8
MIN_SHARED_BANDS = 1
MAX_HOLDERS = 20
SAMPLE = 20
SHINGLE_WORDS = 3
MIN_WORDS = 50  # a shorter body says too little to be called a copy of another
MAX_WORDS = 5000  # a longer body is sketched by its opening, which bounds a page's cost
_MIX = np.uint64(1_000_003)  # combines a shingle's words' hashes, in order
_LOW32 = np.uint64(0xFFFFFFFF)


SEED = 1
# The MurmurHash3 finalizer's 32-bit steps (shift, multiplier, shift, multiplier, shift).
_FMIX32 = tuple(np.uint32(v) for v in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for SEED (`MinHash(num_perm=NUM_PERM, seed=SEED)`):
    h -> a * h + b modulo 2**32, each `a` odd, drawn as datasketch 2 draws them."""
    draw = np.random.RandomState(SEED)
    a = draw.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def signature(body: str) -> bytes | None:
    """A body's sketch (NUM_PERM values, four bytes each), or None under MIN_WORDS words (a
    stub's empty body).

    The values are datasketch's affine32 MinHash of the body's shingles, bit for bit (a test
    holds them equal), computed here with numpy alone: importing datasketch imports SciPy,
    which cost each importing process about 60 MB and a second, for these few lines."""
    words = body.casefold().split()[:MAX_WORDS]
    if len(words) < MIN_WORDS:
        return None
    hashed = np.fromiter(
        (zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words)
    )
    count = len(words) - SHINGLE_WORDS + 1
    shingles = hashed[:count].copy()
    for k in range(1, SHINGLE_WORDS):
        shingles = (shingles * _MIX + hashed[k : k + count]) & _LOW32
    h = np.unique(shingles).astype(np.uint32)
    shift1, times1, shift2, times2, shift3 = _FMIX32
    h = h ^ (h >> shift1)
    h = h * times1
    h = h ^ (h >> shift2)
    h = h * times2
    h = h ^ (h >> shift3)
    a, b = _permutations()
    return (h.reshape(-1, 1) * a + b).min(axis=0).astype("<u4").tobytes()


def similarities(sketch: bytes, others: list[bytes]) -> list[float]:
    """The estimated Jaccard similarity of a body's shingles with each of the others': the share
    of their sketches' values that are equal (datasketch's MinHash.jaccard, for many at once:
    building a MinHash object per comparison was most of an import's time)."""
    if not others:
        return []
    mine = np.frombuffer(sketch, dtype="<u4")
    theirs = np.frombuffer(b"".join(others), dtype="<u4").reshape(len(others), NUM_PERM)
    return (np.count_nonzero(theirs == mine, axis=1) / NUM_PERM).tolist()


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two bodies' shingles, from their sketches."""
    return similarities(a, [b])[0]


def band_keys(data: bytes, bands: int = BANDS, rows: int = ROWS) -> list[int]:
    """A sketch's BANDS keys, as signed 64-bit integers (a database's BIGINT): equal keys in
    the same band make two articles candidates. (Other layouts: benchmarks.band_quality.)"""
    size = rows * 4
    return [
        int.from_bytes(
            hashlib.blake2b(
                bytes([band]) + data[band * size : (band + 1) * size], digest_size=8
            ).digest(),
            "big",
            signed=True,
        )
        for band in range(bands)
    ]
