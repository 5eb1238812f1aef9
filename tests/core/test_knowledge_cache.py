"""The validated knowledge base kept between processes: used only while the
data and the code that validates it are unchanged, and only from a file that
nobody else can write."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest

from spasmcare import knowledge_cache
from spasmcare.core.loader import KnowledgeError, load_knowledge

load = load_knowledge.__wrapped__  # past the per-process cache


def test_the_kept_copy_is_the_validated_knowledge_base(data_copy: Path, tmp_path: Path) -> None:
    kept = tmp_path / "cache" / "knowledge.pickle"
    first = load(data_copy, kept)
    assert kept.exists()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    again = load(data_copy, kept)
    assert again == first == load(data_copy)  # the last one validated afresh
    assert again is not first


def test_a_changed_data_file_is_read_again(data_copy: Path, tmp_path: Path) -> None:
    kept = tmp_path / "knowledge.pickle"
    question = load(data_copy, kept).triage.findings[0].question
    opening = " ".join(question.split()[:4])  # on one line of the folded YAML
    triage = data_copy / "triage.yaml"
    assert opening in triage.read_text()
    triage.write_text(triage.read_text().replace(opening, "Changed on disk:", 1))
    assert load(data_copy, kept).triage.findings[0].question.startswith("Changed on disk:")


def test_a_broken_data_file_fails_even_with_a_kept_copy(data_copy: Path, tmp_path: Path) -> None:
    kept = tmp_path / "knowledge.pickle"
    load(data_copy, kept)
    (data_copy / "triage.yaml").write_text("findings: [")
    with pytest.raises(KnowledgeError, match=r"triage\.yaml"):
        load(data_copy, kept)


def test_changed_validating_code_changes_the_key(data_copy: Path, tmp_path: Path) -> None:
    code = tmp_path / "model.py"
    code.write_text("class A: pass\n")
    before = knowledge_cache.key(data_copy, [code])
    assert knowledge_cache.key(data_copy, [code]) == before
    code.write_text("class A: x = 1\n")
    assert knowledge_cache.key(data_copy, [code]) != before


def test_a_damaged_cache_file_is_replaced(data_copy: Path, tmp_path: Path) -> None:
    kept = tmp_path / "knowledge.pickle"
    kept.write_bytes(b"\x80\x05not a pickle at all")
    os.chmod(kept, 0o600)
    kb = load(data_copy, kept)
    _, value = pickle.loads(kept.read_bytes())
    assert value == kb


def test_a_file_others_can_write_is_not_trusted(data_copy: Path, tmp_path: Path) -> None:
    kept = tmp_path / "knowledge.pickle"
    real = load(data_copy, kept)
    key, _ = pickle.loads(kept.read_bytes())
    finding = real.triage.findings[0].model_copy(update={"question": "Planted?"})
    planted = real.model_copy(update={"triage": real.triage.model_copy(
        update={"findings": (finding, *real.triage.findings[1:])})})
    kept.write_bytes(pickle.dumps((key, planted)))
    os.chmod(kept, 0o600)
    assert load(data_copy, kept).triage.findings[0].question == "Planted?"  # the premise
    os.chmod(kept, 0o666)
    assert load(data_copy, kept).triage.findings[0].question == real.triage.findings[0].question


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPASMCARE_CACHE_DIR", "")
    assert knowledge_cache.default_path() is None
    monkeypatch.setenv("SPASMCARE_CACHE_DIR", str(tmp_path))
    assert knowledge_cache.default_path() == tmp_path / "knowledge.pickle"
    monkeypatch.delenv("SPASMCARE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert knowledge_cache.default_path() == tmp_path / "xdg" / "spasmcare" / "knowledge.pickle"


def test_the_word_list_is_kept_and_read_back(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    from spasmcare.core.loader import english_words

    monkeypatch.setenv("SPASMCARE_CACHE_DIR", str(tmp_path))
    made = english_words.__wrapped__()
    kept = tmp_path / "english-words.pickle"
    assert kept.exists() and "spasm" in made and len(made) > 100_000
    key, _ = pickle.loads(kept.read_bytes())
    kept.write_bytes(pickle.dumps((key, frozenset({"planted"}))))
    os.chmod(kept, 0o600)
    assert english_words.__wrapped__() == frozenset({"planted"})  # read back, not remade
    monkeypatch.setenv("SPASMCARE_CACHE_DIR", "")
    assert english_words.__wrapped__() == made

