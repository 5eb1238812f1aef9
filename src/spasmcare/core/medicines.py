"""What the diary says beside a medicine just logged: that another logged
close to it, under a different name, holds the same ingredient (Nurofen and
ibuprofen). Never a dose; the names are knowledge-base data
(``medicine_names.yaml``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from spasmcare.core.diary import MedicineTaken
from spasmcare.core.knowledge import MedicineNames


def same_ingredient(taken: MedicineTaken, others: Iterable[MedicineTaken],
                    names: MedicineNames) -> list[str]:
    """One gentle note for each other medicine, within the hours the data
    names of ``taken``, whose different name shares an ingredient with it."""
    mine = names.ingredients(taken.name)
    if not mine:
        return []
    window = timedelta(hours=names.within_hours)
    notes: list[str] = []
    said: set[str] = set()
    for other in sorted(others, key=lambda m: m.at):
        if other.id == taken.id or abs(other.at - taken.at) > window:
            continue
        name = other.name.casefold()
        if name == taken.name.casefold() or name in said:
            continue
        shared = sorted(mine & names.ingredients(other.name))
        if shared:
            said.add(name)
            note = " ".join(names.note.format(
                first=taken.name, second=other.name, ingredient=" and ".join(shared)).split())
            notes.append(note[:1].upper() + note[1:])
    return notes
