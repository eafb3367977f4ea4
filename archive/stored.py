"""How the archive keeps a source file's bytes (models.ArticleSource): Zstandard at level 1,
which packs a page's text to under a third at some 50 MB/s of a core (zlib's fastest level
packed it the same and took 2.6 times as long, a tenth of a page's parse; docs/benchmarks.md).
Pure: the importer's worker processes compress, the models and `--reparse` decompress, all
through here. Sources kept before (zlib) are read as they were written."""

from __future__ import annotations

import zlib

import zstandard

LEVEL = 1
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # every Zstandard frame's first bytes; zlib's start 0x78
_compressor = zstandard.ZstdCompressor(level=LEVEL)  # one per process: they are not shared
_decompressor = zstandard.ZstdDecompressor()


def compressed(data: bytes) -> bytes:
    return _compressor.compress(data)


def original(stored: bytes | memoryview) -> bytes:
    stored = bytes(stored)
    if stored[:4] == ZSTD_MAGIC:
        return _decompressor.decompress(stored)
    return zlib.decompress(stored)
