"""When two articles' texts are nearly the same: a MinHash sketch of each body (datasketch),
compared by the Jaccard similarity of their three-word shingles it estimates. Pure: no ORM.

Which articles to compare comes from locality-sensitive hashing: a sketch is cut into BANDS
bands, each hashed to a key, and articles sharing a key are candidates (two texts 80 % alike
share one with a probability above 99.9 %; 30 % alike, under 13 %). Candidates are kept when
their sketches' similarity reaches THRESHOLD.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.8
SHINGLE_WORDS = 3
MIN_WORDS = 50  # a shorter body says too little to be called a copy of another
MAX_WORDS = 5000  # a longer body is sketched by its opening, which bounds a page's cost
SCHEME = "affine32"  # datasketch's 32-bit permutations: four bytes a value
_MIX = np.uint64(1_000_003)  # combines a shingle's words' hashes, in order
_LOW32 = np.uint64(0xFFFFFFFF)


@lru_cache(maxsize=1)
def _datasketch():
    """datasketch, imported when first needed: its package imports SciPy (1.2 s here), which
    no process but an import's should pay for."""
    import datasketch

    return datasketch


@lru_cache(maxsize=1)
def _permutations():
    return _datasketch().MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def _same(value):
    return value


def signature(body: str) -> bytes | None:
    """A body's sketch (NUM_PERM values, four bytes each), or None under MIN_WORDS words (a
    stub's empty body)."""
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
    sketch = _datasketch().MinHash(
        num_perm=NUM_PERM, permutations=_permutations(), hashfunc=_same, scheme=SCHEME
    )
    sketch.update_batch(np.unique(shingles).tolist())
    return sketch.hashvalues.astype("<u4").tobytes()


def _sketch(data: bytes):
    values = np.frombuffer(data, dtype="<u4").astype(np.uint64)
    return _datasketch().LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two bodies' shingles, from their sketches."""
    return float(_sketch(a).jaccard(_sketch(b)))


def band_keys(data: bytes) -> list[int]:
    """A sketch's BANDS keys, as signed 64-bit integers (a database's BIGINT): equal keys in
    the same band make two articles candidates."""
    size = ROWS * 4
    return [
        int.from_bytes(
            hashlib.blake2b(
                bytes([band]) + data[band * size : (band + 1) * size], digest_size=8
            ).digest(),
            "big",
            signed=True,
        )
        for band in range(BANDS)
    ]
