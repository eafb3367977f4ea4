"""How sources are kept: compressed and read back byte for byte, and those kept before the
compression changed (zlib) still read."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from archive import stored


@given(st.binary(max_size=20_000))
def test_any_bytes_come_back_as_they_went_in(data):
    kept = stored.compressed(data)
    assert kept[:4] == stored.ZSTD_MAGIC
    assert stored.original(kept) == data
    assert stored.original(memoryview(kept)) == data  # as a database driver may hand it back


def test_a_page_is_kept_in_under_half_its_size():
    page = ("Iran and Saudi Arabia resumed their talks in Baghdad. " * 80).encode()
    assert len(stored.compressed(page)) < len(page) / 2


@given(st.binary(max_size=5_000))
def test_sources_kept_with_zlib_still_read(data):
    assert stored.original(zlib.compress(data, 1)) == data
