"""The validated knowledge base (and the English word list), kept on disk
between processes.

Reading and validating the YAML takes about 75 ms, several times the rest of a
``spasmcare triage``; unpickling the validated result takes about 7 ms. The
cache is keyed by a digest of every data file and of the code that validates
them (and the Python and pydantic versions), so any change to either makes it
rebuild; it is never trusted otherwise.

Pickle runs code when loaded, so the file is only read when it is the
current user's own and nobody else can write it; it lives in the user's cache
directory (``$SPASMCARE_CACHE_DIR``, else platformdirs' user cache folder:
``~/.cache/spasmcare`` on Linux), made readable by the user only. Setting
``SPASMCARE_CACHE_DIR`` to an empty string turns the cache off. Any failure to
read or write it is silent: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

FORMAT = 1
T = TypeVar("T")


def default_path(name: str = "knowledge") -> Path | None:
    """Where the packaged knowledge base (or another object ``name`` made
    from packaged data) is kept, or None when the cache is turned off."""
    configured = os.environ.get("SPASMCARE_CACHE_DIR")
    if configured is not None:
        return Path(configured) / f"{name}.pickle" if configured else None
    from platformdirs import user_cache_path

    return user_cache_path("spasmcare", appauthor=False) / f"{name}.pickle"


def digest(*parts: bytes) -> str:
    """A key for an object made from ``parts`` (and the Python and pydantic
    versions, which shape a pickled model)."""
    import pydantic

    made = hashlib.sha256(f"{FORMAT}|{sys.version}|{pydantic.VERSION}".encode())
    for part in parts:
        made.update(hashlib.sha256(part).digest())
    return made.hexdigest()


def key(data: Path, code: Iterable[Path]) -> str:
    """A digest of every YAML file under ``data`` (and its name there) and of
    the ``code`` files."""
    files = sorted(data.rglob("*.yaml"))
    return digest(*(str(p.relative_to(data)).encode() for p in files),
                  *(p.read_bytes() for p in (*files, *code)))


def kept(path: Path | None, key: str, make: Callable[[], T], kind: type[T]) -> T:
    """The ``kind`` kept at ``path`` under ``key``; else ``make()``, kept
    there for next time. With no ``path`` (the cache off), ``make()``."""
    if path is None:
        return make()
    found = read(path, key)
    if isinstance(found, kind):
        return found
    made = make()
    write(path, key, made)
    return made


def read(path: Path, expected: str) -> object | None:
    """The object kept at ``path`` under ``expected``, or None."""
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None
            kept_key, value = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated, or from other code
        return None
    return value if kept_key == expected else None


def write(path: Path, key: str, value: object) -> None:
    """Keep ``value`` at ``path`` under ``key``, atomically; silent on failure."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        try:
            with os.fdopen(fd, "wb") as fh:  # mkstemp makes it 0600
                pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:
        return
