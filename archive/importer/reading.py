"""Turn a source file's bytes into text, or refuse it with a one-line reason."""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from archive.limits import SOURCE_MAX_BYTES

from .records import SourceError

MAX_SOURCE_BYTES = SOURCE_MAX_BYTES
UTF_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
FILE_KINDS = [
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]


@dataclass(frozen=True)
class SourceFile:
    """A file to import: named by the operator, or found in `folder` by a walk (whose symbolic
    links must stay inside the folder)."""

    path: Path
    folder: Path | None = None


def source_read(source: SourceFile | Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The file's bytes, or SourceError: only a regular file is read, its size is checked
    before reading, and reading stops past the limit whatever the file claims."""
    if not isinstance(source, SourceFile):
        source = SourceFile(Path(source))
    path = source.path
    if source.folder is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(source.folder.resolve()):
            raise SourceError("a symbolic link out of the folder: not followed")
    try:
        _refuse_irregular(path.stat().st_mode)
        # Non-blocking: a FIFO swapped in after the check cannot hang the import on open.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise SourceError("cannot read: no such file") from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        _refuse_irregular(info.st_mode)
        if info.st_size > max_bytes:
            raise SourceError(f"too large: {info.st_size:,} bytes (limit {max_bytes:,})")
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(f"too large: over {max_bytes:,} bytes (limit {max_bytes:,})")
    return data


def _refuse_irregular(mode: int) -> None:
    for test, kind in FILE_KINDS:
        if test(mode):
            raise SourceError(f"not a regular file: {kind}")
    if not stat.S_ISREG(mode):
        raise SourceError("not a regular file")


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
