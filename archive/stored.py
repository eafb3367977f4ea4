"""How the archive keeps a source file's bytes (models.ArticleSource): Zstandard at level 1,
which packs a page's text to under a third at some 50 MB/s of a core (zlib's fastest level
packed it the same and took 2.6 times as long, a tenth of a page's parse; docs/benchmarks.md).
Pure: the importer's worker processes compress, the models and `--reparse` decompress, all
through here. Sources kept before (zlib) are read as they were written."""

from __future__ import annotations

import io
import zlib

import zstandard

from archive.limits import SOURCE_MAX_BYTES

LEVEL = 1
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # every Zstandard frame's first bytes; zlib's start 0x78
_compressor = zstandard.ZstdCompressor(level=LEVEL)  # one per process: they are not shared
_decompressor = zstandard.ZstdDecompressor()


def compressed(data: bytes) -> bytes:
    return _compressor.compress(data)


class StoredSourceError(ValueError):
    """A kept source that does not unpack to what was recorded of it."""


def original(stored: bytes | memoryview, size: int = SOURCE_MAX_BYTES) -> bytes:
    """The bytes as imported. Unpacking stops past `size` (the size recorded when it was
    kept, and never past the file limit): a stored frame that would unpack to more, a 32 KB
    one to 1 GB, is refused rather than unpacked."""
    stored = bytes(stored)
    limit = min(size, SOURCE_MAX_BYTES)
    try:
        if stored[:4] == ZSTD_MAGIC:
            with _decompressor.stream_reader(io.BytesIO(stored)) as reader:
                data = reader.read(limit + 1)
        else:
            data = zlib.decompressobj().decompress(stored, limit + 1)
    except (zstandard.ZstdError, zlib.error) as error:
        raise StoredSourceError(f"the kept source does not unpack: {error}") from None
    if len(data) > limit:
        raise StoredSourceError(f"the kept source unpacks to more than its {limit:,} bytes")
    return data
