"""The one place that reads the knowledge base from disk.

Each YAML file is validated on its own, so an error names the file and the
field; then the files are put together and cross-checked. The result is kept
for the life of the process, and also in a per-user cache file keyed by a hash
of the data files, the schema and the library versions, so that later starts
skip parsing and validation (any change to any of them validates afresh).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml
from pydantic import BaseModel, ValidationError

from spasmcare.core import knowledge
from spasmcare.core.knowledge import (
    CarePlanRules,
    Disagreement,
    Entry,
    KnowledgeBase,
    Source,
    Topic,
    TriageRules,
)

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

M = TypeVar("M", bound=BaseModel)


class KnowledgeError(Exception):
    """The knowledge base on disk is malformed or incomplete."""


def data_dir() -> Path:
    """Where the packaged knowledge-base files live."""
    return Path(str(resources.files("spasmcare.knowledge") / "data"))


def cache_dir() -> Path:
    """Where the validated knowledge base is cached: $SPASMCARE_CACHE_DIR, or
    the user's cache folder."""
    configured = os.environ.get("SPASMCARE_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform == "win32":  # pragma: no cover
        base = Path(os.environ.get("LOCALAPPDATA", Path.home()))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "spasmcare"


@functools.cache
def load_knowledge(directory: Path | None = None) -> KnowledgeBase:
    """Read, validate and cross-check every knowledge-base file under ``directory``
    (the packaged data by default). Raises KnowledgeError naming the file and field."""
    root = directory or data_dir()
    digest = _digest(root)
    cached = _from_cache(digest)
    if cached is not None:
        return cached
    kb = _validate(root)
    _to_cache(digest, kb)
    return kb


def _digest(root: Path) -> str:
    h = hashlib.sha256(f"{pydantic.VERSION}|{yaml.__version__}|{sys.version}".encode())
    h.update(Path(knowledge.__file__).read_bytes())
    for path in sorted(root.rglob("*.yaml")):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:32]


def _from_cache(digest: str) -> KnowledgeBase | None:
    path = cache_dir() / f"knowledge-{digest}.pickle"
    try:
        with path.open("rb") as fh:
            kb = pickle.load(fh)  # our own file, in a folder only the user can write
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _to_cache(digest: str, kb: KnowledgeBase) -> None:
    """Best effort: a read-only or full disk only costs the next start its speed."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in folder.glob("knowledge-*.pickle"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"knowledge-{digest}.pickle")
    except OSError:
        return


def _validate(root: Path) -> KnowledgeBase:
    sources = _records(root / "sources.yaml", "sources", Source, {})
    topics = _records(root / "topics.yaml", "topics", Topic, {})
    context = {"sources": {s.id for s in sources}, "topics": {t.id for t in topics}}
    entry_files = sorted((root / "entries").glob("*.yaml"))
    if not entry_files:
        raise KnowledgeError(f"{root / 'entries'}: no entry files found")
    entries = [e for f in entry_files for e in _records(f, "entries", Entry, context)]
    disagreements = _records(root / "disagreements.yaml", "disagreements", Disagreement, context)
    triage = _model(root / "triage.yaml", TriageRules, context)
    careplan = _model(root / "careplan.yaml", CarePlanRules, context)
    try:
        return KnowledgeBase(
            sources=tuple(sources),
            topics=tuple(topics),
            entries=tuple(entries),
            disagreements=tuple(disagreements),
            triage=triage,
            careplan=careplan,
        )
    except ValidationError as err:
        raise KnowledgeError(f"{root}: {_describe(err)}") from None


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: file is missing") from None
    except yaml.YAMLError as err:
        raise KnowledgeError(f"{path}: not valid YAML ({_one_line(str(err))})") from None


def _records(path: Path, key: str, model: type[M], context: Mapping[str, Any]) -> list[M]:
    data = _read(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise KnowledgeError(f"{path}: expected a mapping with a list under {key!r}")
    out = []
    for i, item in enumerate(data[key]):
        try:
            out.append(model.model_validate(item, context=context))
        except ValidationError as err:
            label = item.get("id") if isinstance(item, dict) else None
            where = f"{key}[{i}]" + (f" ({label})" if label else "")
            raise KnowledgeError(f"{path}: {where}: {_describe(err)}") from None
    return out


def _model(path: Path, model: type[M], context: Mapping[str, Any]) -> M:
    try:
        return model.model_validate(_read(path), context=context)
    except ValidationError as err:
        raise KnowledgeError(f"{path}: {_describe(err)}") from None


def _describe(err: ValidationError) -> str:
    problems = []
    for e in err.errors():
        field = ".".join(str(part) for part in e["loc"]) or "(top level)"
        problems.append(f"{field}: {e['msg']}")
    return "; ".join(problems)


def _one_line(text: str) -> str:
    return " ".join(text.split())
