"""The golden Bundles: what the export wrote, byte for byte, for a fixed diary
(fixed ids, fixed export time), before it was made to stream. The test in
``test_fhir_golden.py`` holds the export to these bytes.

The fixtures change only when the Bundle's content is meant to change (a new
field, a knowledge-base question reworded); then rewrite them with

    .venv/bin/python -m tests.exports.fhir_golden

and read the diff before committing it.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from spasmcare.core.diary import Diary, Record
from spasmcare.exports.fhir_bundle import dumps
from tests.diaries import NOW, sample_diary
from tests.exports.fhir_diaries import rich_diary

FOLDER = Path(__file__).resolve().parent / "golden"


def fixed_ids(diary: Diary, seed: str) -> Diary:
    """``diary`` with every record's id made from ``seed`` and its position,
    and the episode references moved with them (a reference to an episode
    outside the diary is left as it is)."""
    moved: dict[str, str] = {}
    number = 0

    def renumbered(record: Record) -> Record:
        nonlocal number
        number += 1
        moved[record.id] = uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}/{number}").hex
        return record.model_copy(update={"id": moved[record.id]})

    episodes = [renumbered(e) for e in diary.episodes]

    def owned(record: Record) -> Record:
        copy = renumbered(record)
        episode = getattr(copy, "episode_id", None)
        return copy.model_copy(update={"episode_id": moved.get(episode, episode)}) \
            if episode else copy

    return Diary(episodes=episodes,
                 pain_entries=[owned(r) for r in diary.pain_entries],
                 sessions=[owned(r) for r in diary.sessions],
                 medicines=[owned(r) for r in diary.medicines],
                 habits=[owned(r) for r in diary.habits])


def golden_diary() -> Diary:
    """The sample and the rich diary together, with fixed ids."""
    sample, rich = sample_diary(), rich_diary()
    both = Diary(**{name: [*getattr(sample, name), *getattr(rich, name)]
                    for name in Diary.model_fields})
    return fixed_ids(both, "spasmcare-golden")


GOLDEN = {"full.fhir.json": golden_diary, "empty.fhir.json": Diary}


def write() -> None:
    FOLDER.mkdir(exist_ok=True)
    for name, diary in GOLDEN.items():
        (FOLDER / name).write_bytes(dumps(diary(), NOW))


if __name__ == "__main__":
    write()
