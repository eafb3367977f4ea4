"""Decoding a source file's bytes, or refusing them with a reason."""

from __future__ import annotations

import pytest

from archive.importer.reading import Decoded, source_decode, source_decoded, source_read
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


# Legacy encodings decided on the page's evidence (reading.legacy_decoded), each page long
# enough to tell; a short one that fits two is read as the likelier and the doubt said.
LEGACY_PAGES = {
    "cp1252": "Inès Château, a French economist, said the crisis – now in its third year – is "
    "deepening. Müller agreed; Peña did not. “Enough,” said Françoise.\n",
    "cp1250": "Antonín Dvořák a Bedřich Smetana řekli, že česká hudba je důležitá – Všichni "
    "souhlasili, že příští rok bude lepší.\n",
    "cp1251": "Russia’s “Future”: Сергей Лавров and the newspaper “Коммерсантъ” said the crisis "
    "– now in its third year – is deepening, and Владимир Путин agreed.\n",
}


@pytest.mark.parametrize("encoding", sorted(LEGACY_PAGES))
def test_a_legacy_encoding_is_chosen_by_the_pages_evidence(encoding):
    text = LEGACY_PAGES[encoding]
    decoded = source_decoded(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_windows_1252_is_not_taken_for_1250():
    """charset-normalizer alone chose cp1250 for this page: "Inès" became "Inčs"."""
    text = "Dr. Inès Château is a senior fellow – and a former adviser.\n"
    assert source_decoded(text.encode("cp1252")).text == text


def test_a_page_too_short_to_tell_is_read_as_the_likelier_with_its_doubt():
    decoded = source_decoded("Dvořák said so.\n".encode("cp1250"))
    assert decoded.encoding == "cp1252"  # "Dvoøák" is a Faroese spelling: it fits too
    assert decoded.doubt.startswith("encoding uncertain: read as cp1252; cp1250")


def test_a_utf8_page_has_no_doubt():
    assert source_decoded(TEXT.encode()) == Decoded(TEXT, "utf-8", "")
