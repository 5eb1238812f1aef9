"""Writing export files safely: private (0600) and atomic, so a crash never
leaves half a file where a good one was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from spasmcare.core.errors import BadInput


def write_private(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of it in order) to ``path`` readable
    only by its owner, replacing it whole: a reader sees the old file or the
    new one, never part of it."""
    folder = check_target(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                for piece in [data] if isinstance(data, bytes) else data:
                    fh.write(piece)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise BadInput(f"cannot write {path}: {err.strerror}") from None


def check_target(path: Path) -> Path:
    """The folder ``path`` would be written in; BadInput when it cannot be, so
    that a command can say so before doing the work."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise BadInput(f"cannot write {path}: it is a folder; give a file name")
    if not os.access(folder, os.W_OK):
        raise BadInput(f"cannot write {path}: the folder {folder} is not writable")
    return folder


def read_bytes(path: Path, what: str, limit: int | None = None) -> bytes:
    """The file's bytes; BadInput with one line when it cannot be read or is
    larger than ``limit`` (which is checked before reading, and reading stops
    there whatever the file claims its size is)."""
    try:
        with path.open("rb") as fh:
            if limit is None:
                return fh.read()
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(limit + 1) if size <= limit else b""
            if size > limit or len(data) > limit:
                shown = max(size, len(data))
                raise BadInput(f"{what} {path} is {shown / 2**20:,.0f} MiB; it may be at "
                               f"most {limit // 2**20} MiB")
            return data
    except FileNotFoundError:
        raise BadInput(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise BadInput(f"{what} {path} is a folder, not a file") from None
    except OSError as err:
        raise BadInput(f"cannot read {what} {path}: {err.strerror}") from None
