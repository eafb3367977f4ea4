"""How the archive keeps a source file's bytes (models.ArticleSource): zlib at its fastest
level, which packs a page's text to about a third. Pure: the importer's worker processes
compress, the models and `--reparse` decompress, all through here."""

from __future__ import annotations

import zlib

COMPRESSION = 1


def compressed(data: bytes) -> bytes:
    return zlib.compress(data, COMPRESSION)


def original(stored: bytes | memoryview) -> bytes:
    return zlib.decompress(stored)
