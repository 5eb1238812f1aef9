"""The "same ingredient" note: two names of one medicine logged close
together, never a dose."""

from __future__ import annotations

import re
from datetime import timedelta

from spasmcare.core.diary import MedicineTaken, make
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.medicines import same_ingredient
from tests.diaries import NOW


def _taken(name: str, hours_ago: float = 0) -> MedicineTaken:
    return make(MedicineTaken, NOW, name=name, at=NOW - timedelta(hours=hours_ago))


def test_two_names_of_one_ingredient_close_together(kb: KnowledgeBase) -> None:
    names = kb.medicine_names
    [note] = same_ingredient(_taken("ibuprofen"), [_taken("Nurofen Express", 3)], names)
    assert note.startswith("Ibuprofen and Nurofen Express both contain ibuprofen")
    assert "pharmacist" in note
    assert not re.search(r"\d+\s*(mg|tablet|dose)", note, re.I)


def test_a_combination_shares_its_ingredient(kb: KnowledgeBase) -> None:
    [note] = same_ingredient(_taken("Co-codamol"), [_taken("Panadol", 1)], kb.medicine_names)
    assert "paracetamol" in note


def test_no_note_for_the_same_name_other_medicines_or_a_day_apart(kb: KnowledgeBase) -> None:
    names = kb.medicine_names
    assert same_ingredient(_taken("Nurofen"), [_taken("nurofen", 2)], names) == []
    assert same_ingredient(_taken("Nurofen"), [_taken("Paracetamol", 2)], names) == []
    assert same_ingredient(_taken("Nurofen"), [_taken("Advil", 30)], names) == []
    assert same_ingredient(_taken("Something new"), [_taken("Advil", 1)], names) == []


def test_a_name_is_matched_whole_not_inside_another(kb: KnowledgeBase) -> None:
    names = kb.medicine_names
    assert names.ingredients("Advil Liqui-Gels") == {"ibuprofen"}
    assert names.ingredients("Advilosaurus") == frozenset()
