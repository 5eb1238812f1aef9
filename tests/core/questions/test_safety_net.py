"""The safety screen's second net: sentence similarity to example
descriptions, with the real packaged model and shipped vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.loader import (
    KnowledgeError,
    data_dir,
    load_embedder,
    load_safety_examples,
    load_safety_net,
)
from spasmcare.core.questions.safety_net import SafetyNet, sentences_of
from spasmcare.core.questions.safety_screen import screen

# Said in words the phrases were not written for; the net alone must raise them.
UNLISTED = [
    ("my chest feels like an elephant is sitting on it and my back hurts", "chest_pain"),
    ("went grey and crumpled to the floor", "fainting"),
]

CALM = [
    "my back went when i bent down to pick up the washing",
    "i have no numbness down there and my bladder is fine",
    "what if i get numb legs, is that an emergency?",
    "i had sciatica in both legs years ago, it cleared up",
]


def test_the_shipped_vectors_match_the_examples() -> None:
    net = load_safety_net()  # refuses vectors made from other examples
    texts, _ = net.examples.texts()
    assert len(texts) > 500


def test_the_shipped_vectors_are_the_models_own() -> None:
    net = load_safety_net()
    texts, labels = net.examples.texts()
    fresh = load_embedder().embed(texts[:5])
    stored = net._finding_vectors[:5]
    # The int8 model's kernels differ between CPUs (with and without VNNI,
    # say), so vectors made on one machine agree with another's to a cosine
    # of about 0.99, not bit for bit.
    norms = np.linalg.norm(fresh, axis=1) * np.linalg.norm(stored, axis=1)
    cosine = (fresh * stored).sum(1) / norms
    assert labels[0] != "calm" and cosine.min() > 0.97, cosine


@pytest.mark.parametrize(("text", "finding"), UNLISTED)
def test_the_net_catches_what_the_phrases_miss(kb: KnowledgeBase, text: str,
                                               finding: str) -> None:
    alone = screen(text, kb.safety_phrases, kb.triage, kb.crisis)
    both = screen(text, kb.safety_phrases, kb.triage, kb.crisis, load_safety_net())
    assert finding not in alone.findings
    assert finding in both.findings and both.urgency.value == "emergency"


@pytest.mark.parametrize("text", CALM)
def test_negated_supposed_past_and_ordinary_sentences_stay_calm(kb: KnowledgeBase,
                                                                text: str) -> None:
    assert load_safety_net().findings(text, kb.safety_phrases) == []


def test_the_net_raises_only_the_tiers_it_is_given(kb: KnowledgeBase) -> None:
    examples = load_safety_examples()
    texts, labels = examples.texts()
    vectors = load_embedder().embed(texts)
    fever = next(t for t, label in zip(texts, labels, strict=True) if label == "fever")
    as_urgent = SafetyNet(examples, vectors, load_embedder(), {"fever": "urgent"})
    as_emergency = SafetyNet(examples, vectors, load_embedder(), {"fever": "emergency"})
    assert as_urgent.findings(fever, kb.safety_phrases) == []
    assert as_emergency.findings(fever, kb.safety_phrases) == ["fever"]


def test_sentences_are_split_and_short_ones_skipped() -> None:
    text = "Help. My back hurts a lot today! Since tuesday i cant feel down there; odd."
    assert sentences_of(text) == ["My back hurts a lot today!",
                                  "Since tuesday i cant feel down there;"]


def test_vectors_for_other_examples_are_refused(kb: KnowledgeBase) -> None:
    examples = load_safety_examples()
    texts, _ = examples.texts()
    with pytest.raises(ValueError, match="example vectors"):
        SafetyNet(examples, np.zeros((len(texts) - 1, 384), np.float32), load_embedder(), {})


def test_changing_an_example_changes_the_digest(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    path = copy / "safety_examples.yaml"
    data = yaml.safe_load(path.read_text())
    data["calm"][0] = "a different calm sentence"
    path.write_text(yaml.safe_dump(data))
    assert load_safety_examples(copy).digest() != load_safety_examples().digest()


def test_examples_under_an_unknown_finding_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    path = copy / "safety_examples.yaml"
    data = yaml.safe_load(path.read_text())
    data["findings"]["made_up_finding"] = ["this is not a finding at all"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeError, match="made_up_finding"):
        load_safety_examples(copy)
