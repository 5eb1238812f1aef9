"""A malformed or incomplete knowledge base fails loudly, naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from spasmcare.core.loader import KnowledgeError, load_knowledge


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def _fails(directory: Path, *fragments: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge.__wrapped__(directory)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message


def test_packaged_knowledge_base_loads(data_copy: Path) -> None:
    kb = load_knowledge.__wrapped__(data_copy)
    assert kb.entries and kb.triage.findings and kb.careplan.sessions


def test_unknown_source_names_file_and_field(data_copy: Path) -> None:
    _edit(data_copy / "entries" / "plan-sessions.yaml",
          "sources: [004_cf1d4bbfe326f655.txt, 001_4e7ba610bc003b73.txt, 002",
          "sources: [no-such-article.txt, 001_4e7ba610bc003b73.txt, 002")
    _fails(data_copy, "plan-sessions.yaml", "session-ice", "sources", "no-such-article.txt")


def test_missing_field_names_it(data_copy: Path) -> None:
    _edit(data_copy / "entries" / "plan-sessions.yaml", "    title: An ice session, step by step\n",
          "")
    _fails(data_copy, "plan-sessions.yaml", "title", "Field required")


def test_unknown_field_is_an_error(data_copy: Path) -> None:
    _edit(data_copy / "careplan.yaml", "    minutes: 20            # 004",
          "    minuts: 20\n    minutes: 20            # 004")
    _fails(data_copy, "careplan.yaml", "minuts")


def test_broken_yaml_names_the_file(data_copy: Path) -> None:
    (data_copy / "disagreements.yaml").write_text("disagreements: [unclosed\n")
    _fails(data_copy, "disagreements.yaml", "not valid YAML")


def test_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "triage.yaml").unlink()
    _fails(data_copy, "triage.yaml", "missing")


def test_unknown_topic_is_named(data_copy: Path) -> None:
    _edit(data_copy / "disagreements.yaml", "topics: [tens]", "topics: [telepathy]")
    _fails(data_copy, "disagreements.yaml", "telepathy")


def test_session_rule_must_name_an_existing_entry(data_copy: Path) -> None:
    _edit(data_copy / "careplan.yaml", "entry: session-break", "entry: session-nap")
    _fails(data_copy, "session-nap")


def test_inconsistent_gap_is_rejected(data_copy: Path) -> None:
    _edit(data_copy / "careplan.yaml",
          "min_gap_hours: 2       # 004: repeat no more often than every 2 hours",
          "min_gap_hours: 9")
    _fails(data_copy, "careplan.yaml", "min_gap_hours")

