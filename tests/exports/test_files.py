"""Export files written in pieces are still written whole: a file is the old
one or the new one, never part of either, and is readable only by its owner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spasmcare.exports.files import write_private


def test_pieces_are_written_in_order_to_a_private_file(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    write_private(out, (bytes([65 + n]) * 3 for n in range(4)))
    assert out.read_bytes() == b"AAABBBCCCDDD"
    assert out.stat().st_mode & 0o777 == 0o600


def test_pieces_that_fail_half_way_leave_the_old_file_and_no_other(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    out.write_bytes(b"the old export")

    def failing() -> Iterator[bytes]:
        yield b"half of a new "
        raise RuntimeError("the diary could not be read")

    with pytest.raises(RuntimeError):
        write_private(out, failing())
    assert out.read_bytes() == b"the old export"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]
