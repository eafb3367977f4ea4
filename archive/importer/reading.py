"""Turn a source file's bytes into text, or refuse it with a one-line reason."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from .records import SourceError

# A real article page is tens of kilobytes; anything this large is not one.
MAX_SOURCE_BYTES = 5 * 1024 * 1024
UTF_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def source_read(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceError(f"too large: {size:,} bytes (limit {max_bytes:,})")
    return path.read_bytes()


def source_decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) as is; another encoding detected, or a clear refusal."""
    if not data.strip():
        raise SourceError("empty file")
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    for bom, encoding in UTF_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise SourceError(f"not valid {encoding} after its byte-order mark") from None
    if b"\x00" in data:
        raise SourceError("binary file: contains NUL bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Cut inside the last character: the file was truncated, not written in another encoding.
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            raise SourceError("truncated: the file ends inside a UTF-8 character") from None
    best = from_bytes(data).best()
    if best is None:
        raise SourceError("binary or unknown encoding: no text encoding fits the bytes")
    text = str(best)
    if _control_ratio(text) > 0.01:
        raise SourceError(f"binary file: decodes as {best.encoding} only to control characters")
    return text


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(len(text), 1)
