"""The one place that reads the knowledge base from disk.

Each YAML file is validated on its own, so an error names the file and the
field; then the files are put together and cross-checked. The result is kept
for the life of the process, and on disk between processes
(``spasmcare.knowledge_cache``): validation takes about 75 ms, unpickling the
kept result about 7 ms.
"""

from __future__ import annotations

import functools
import gzip
import json
import threading
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from spasmcare.core.knowledge import (
    CarePlanRules,
    CrisisSupport,
    Disagreement,
    Entry,
    KnowledgeBase,
    MedicineNames,
    SeverityRules,
    Source,
    Topic,
    TriageRules,
)
from spasmcare.core.questions.safety_screen import SafetyPhrases
from spasmcare.core.questions.vocabulary import ScopeRule, Synonyms

if TYPE_CHECKING:
    from spasmcare.core.questions.embedding import Embedder
    from spasmcare.core.questions.meaning import Meaning
    from spasmcare.core.questions.retrieval import Index
    from spasmcare.core.questions.safety_net import SafetyExamples, SafetyNet

M = TypeVar("M", bound=BaseModel)


class KnowledgeError(Exception):
    """The knowledge base on disk is malformed or incomplete."""


def data_dir() -> Path:
    """Where the packaged knowledge-base files live."""
    return Path(str(resources.files("spasmcare.knowledge") / "data"))


@functools.cache
def load_knowledge(directory: Path | None = None, cache: Path | None = None) -> KnowledgeBase:
    """Read, validate and cross-check every knowledge-base file under ``directory``
    (the packaged data by default). Raises KnowledgeError naming the file and field.

    The validated result is kept in the file ``cache`` (for the packaged data,
    ``knowledge_cache.default_path()``) and used again for as long as the data
    files and the code that validates them are unchanged."""
    from spasmcare import knowledge_cache

    root = directory or data_dir()
    if cache is None and directory is None:
        cache = knowledge_cache.default_path()
    key = knowledge_cache.key(root, _VALIDATING_CODE) if cache else ""
    return knowledge_cache.kept(cache, key, lambda: _validated(root), KnowledgeBase)


# The code that decides what a validated knowledge base holds: the whole core,
# so that no module a validator comes to use is left out of the key.
_VALIDATING_CODE = tuple(sorted(Path(__file__).parent.rglob("*.py")))


def _validated(root: Path) -> KnowledgeBase:
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
    severity = _model(root / "severity.yaml", SeverityRules, context)
    synonyms = _model(root / "synonyms.yaml", Synonyms, context)
    scope = _model(root / "scope.yaml", ScopeRule, context)
    safety_phrases = _model(root / "safety_phrases.yaml", SafetyPhrases, context)
    crisis = _model(root / "crisis.yaml", CrisisSupport, context)
    medicine_names = _model(root / "medicine_names.yaml", MedicineNames, context)
    try:
        return KnowledgeBase(
            sources=tuple(sources),
            topics=tuple(topics),
            entries=tuple(entries),
            disagreements=tuple(disagreements),
            triage=triage,
            careplan=careplan,
            severity=severity,
            synonyms=synonyms,
            scope=scope,
            safety_phrases=safety_phrases,
            crisis=crisis,
            medicine_names=medicine_names,
        )
    except ValidationError as err:
        raise KnowledgeError(f"{root}: {_describe(err)}") from None


@functools.cache
def english_words() -> frozenset[str]:
    """Correctly spelt English words (the word list that ships with
    pyspellchecker, about 160,000 words): question words found here are never
    taken for misspellings of a knowledge-base word."""
    from spasmcare import knowledge_cache

    resource = resources.files("spellchecker") / "resources" / "en.json.gz"
    try:
        with resource.open("rb") as fh:
            packed = fh.read()
    except OSError as err:
        raise KnowledgeError(f"the English word list cannot be read: {err}") from None

    def unpacked() -> frozenset[str]:
        try:
            return frozenset(json.loads(gzip.decompress(packed)))
        except (OSError, ValueError) as err:  # a damaged gzip stream is an OSError
            raise KnowledgeError(f"the English word list cannot be read: {err}") from None

    # Unpacking and parsing take five times as long as reading the kept set.
    return knowledge_cache.kept(knowledge_cache.default_path("english-words"),
                                knowledge_cache.digest(packed), unpacked, frozenset)


def load_index() -> Index:
    """The search index of the packaged knowledge base, with the safety
    screen's second net, built once per process (about 0.3 s with the word
    list and the embedding model). Imports bm25s only when first asked.
    Threads that ask while it is being built wait for that one build."""
    with _INDEX_BUILD:
        return _index()


_INDEX_BUILD = threading.Lock()


@functools.cache
def _index() -> Index:
    from spasmcare.core.questions.retrieval import Index

    kb = load_knowledge()
    return Index(kb, english_words(), net=load_safety_net(),
                 meaning=load_meaning(kb.answering_entries()))


@functools.cache
def load_embedder(threads: int = 2) -> Embedder:
    """The packaged sentence-embedding model (``knowledge/model/``), ready to
    embed on ``threads`` CPU threads; built once per process (about 0.1 s).
    Raises KnowledgeError when the model files are missing or unreadable or
    onnxruntime or tokenizers is not installed."""
    root = model_dir()
    try:
        from spasmcare.core.questions.embedding import Embedder

        model = (root / "minilm-l6-v2.int8.onnx").read_bytes()
        tokenizer = (root / "tokenizer.json").read_text(encoding="utf-8")
        return Embedder.from_bytes(model, tokenizer, threads=threads)
    except ImportError as err:
        raise KnowledgeError(f"the embedding model needs {err.name or 'onnxruntime'}, "
                             "which is not installed") from None
    except OSError as err:
        raise KnowledgeError(f"the embedding model cannot be read: {_one_line(str(err))}") from None
    except Exception as err:  # onnxruntime and tokenizers raise their own kinds
        raise KnowledgeError(f"the embedding model is not usable: {_one_line(str(err))}") from None


VECTORS = "vectors.npz"


@functools.cache
def _vector_file() -> dict[str, Any]:
    """Every array of the shipped vector file, read once per process."""
    import io

    import numpy as np

    path = model_dir() / VECTORS
    try:
        with np.load(io.BytesIO(path.read_bytes())) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, ValueError) as err:
        raise KnowledgeError(f"{path}: cannot be read ({err}); run python3 dev.py embed"
                             ) from None


def _stored_vectors(name: str, digest: str) -> Any:
    """The shipped vectors of ``name`` if they were made from texts with
    ``digest``; KnowledgeError (with how to make them again) otherwise."""
    import numpy as np

    path = model_dir() / VECTORS
    try:
        stored = _vector_file()
        made_from = str(stored[f"{name}_digest"])
        vectors = stored[name].astype(np.float32)
    except KeyError as err:
        raise KnowledgeError(f"{path}: no {name} vectors ({err}); run python3 dev.py embed"
                             ) from None
    if made_from != digest:
        raise KnowledgeError(f"{path}: the {name} vectors are out of date; "
                             "run python3 dev.py embed")
    return vectors


def load_meaning(entries: Sequence[Entry]) -> Meaning:
    """Closeness by meaning to ``entries`` (those of the packaged knowledge
    base that answer questions), from the shipped vectors."""
    from spasmcare.core.questions.embedding import digest
    from spasmcare.core.questions.meaning import Meaning, entry_texts

    texts, owners = entry_texts(entries, load_knowledge())
    vectors = _stored_vectors("entries", digest(texts))
    return Meaning(load_embedder(), vectors, owners, len(entries))


def model_dir() -> Path:
    """Where the packaged embedding model and precomputed vectors live."""
    return Path(str(resources.files("spasmcare.knowledge") / "model"))


def load_safety_examples(directory: Path | None = None) -> SafetyExamples:
    """The second net's examples (``safety_examples.yaml``), validated."""
    from spasmcare.core.questions.safety_net import SafetyExamples, check_tiers

    root = directory or data_dir()
    examples = _model(root / "safety_examples.yaml", SafetyExamples, {})
    try:
        check_tiers(examples, [*(f.id for f in load_knowledge().triage.findings), "crisis"])
    except ValueError as err:
        raise KnowledgeError(f"{root / 'safety_examples.yaml'}: {err}") from None
    return examples


@functools.cache
def load_safety_net() -> SafetyNet:
    """The safety screen's second net with its shipped example vectors.
    Raises KnowledgeError when the vectors are missing or were made from other
    examples (``python3 dev.py embed`` makes them again)."""
    from spasmcare.core.questions.safety_net import SafetyNet

    examples = load_safety_examples()
    vectors = _stored_vectors("safety_examples", examples.digest())
    kb = load_knowledge()
    tiers = {f.id: f.tier.value for f in kb.triage.findings} | {"crisis": "emergency"}
    return SafetyNet(examples, vectors, load_embedder(), tiers)


def _read(path: Path) -> Any:
    import yaml  # only when the files are read: a kept knowledge base needs none

    # The C loader is several times faster; fall back where libyaml is missing.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
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
