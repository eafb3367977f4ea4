"""Decoding a source file's bytes, or refusing them with a reason."""

from __future__ import annotations

import pytest

from archive.importer.reading import source_decode, source_read
from archive.importer.records import SourceError

TEXT = "Iran’s “drones” — a café in Tehran.\n"


def test_utf8_with_and_without_bom():
    assert source_decode(TEXT.encode()) == TEXT
    assert source_decode(b"\xef\xbb\xbf" + TEXT.encode()) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark(encoding):
    data = TEXT.encode(encoding)
    if not encoding.endswith("-be"):
        assert data[:2] in {b"\xff\xfe", b"\xfe\xff"}  # Python's codec wrote the mark
    else:
        data = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}[encoding] + data
    assert source_decode(data) == TEXT


def test_cp1252_is_detected_and_decoded():
    data = (TEXT * 20).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert source_decode(data) == TEXT * 20


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(256)) * 8, "binary"),
        ("Iran’".encode()[:-1], "truncated"),
        (b"\xff\xfe" + "Iran".encode("utf-16-le")[:-1], "not valid utf-16-le"),
    ],
)
def test_refused_bytes(data, reason):
    with pytest.raises(SourceError, match=reason):
        source_decode(data)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(SourceError, match="too large"):
        source_read(path, max_bytes=1024)
