"""Decoding a source file's bytes, or refusing them with a reason."""

from __future__ import annotations

import pytest

from archive.importer.reading import source_decode, source_read
from archive.importer.records import SourceError

TEXT = "Iran’s “drones” — a café in Tehran.\n"


def test_utf8_with_and_without_bom():
    assert source_decode(TEXT.encode()) == TEXT
    assert source_decode(b"\xef\xbb\xbf" + TEXT.encode()) == TEXT


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
