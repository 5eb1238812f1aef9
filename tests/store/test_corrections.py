"""Correcting the diary on a real database: edits and deletions of every kind
of record are kept in the audit trail, an undo puts things back, and the
figures the insights read stay true."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from spasmcare.core.corrections import KINDS, corrected, said_change
from spasmcare.core.diary import Diary, Episode, HabitLog, PainEntry, TreatmentSession, make
from spasmcare.core.errors import BadInput, Conflict, NotFound
from spasmcare.core.loader import load_knowledge
from spasmcare.store import summaries, tables
from spasmcare.store.diary import DiaryStore
from tests.diaries import NOW, sample_diary

SEVERITY = load_knowledge().severity


def _counts(store: DiaryStore) -> dict[tuple[str, str], int]:
    with store.engine.connect() as conn:
        return {(c, k): n for c, k, n in conn.execute(
            select(tables.diary_counts.c.counter, tables.diary_counts.c.key,
                   tables.diary_counts.c.n).where(tables.diary_counts.c.n != 0))}


def _true_counts(diary: Diary) -> dict[tuple[str, str], int]:
    every = [r for _, records in diary for r in records]
    return {k: n for k, n in summaries.tally(every).items() if n}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_can_be_edited_deleted_and_put_back(diary_store: DiaryStore,
                                                        kind: str) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    model = KINDS[kind]
    record = next(r for _, records in diary for r in records if type(r) is model)
    field = {"episode": "note", "pain": "note", "session": "note", "medicine": "note",
             "habit": "amount"}[kind]
    value = 3.0 if field == "amount" else "typed again"
    edit = diary_store.correct(corrected(record, {field: value}, NOW, SEVERITY), NOW)
    assert edit is not None and edit.action == "edited"
    assert getattr(diary_store.find(model, record.id), field) == value
    assert edit.before == record

    gone = diary_store.delete(model, record.id, NOW + timedelta(microseconds=1))
    assert diary_store.find(model, record.id) is None
    assert gone.before is not None and getattr(gone.before, field) == value

    back = diary_store.undo(NOW + timedelta(seconds=1))
    assert back.action == "restored" and back.undoes == gone.id
    assert getattr(diary_store.find(model, record.id), field) == value
    first = diary_store.undo(NOW + timedelta(seconds=2))  # now the edit is the latest
    assert first.undoes == edit.id
    assert diary_store.find(model, record.id) == record
    assert _counts(diary_store) == _true_counts(diary_store.diary())


def test_the_audit_trail_says_what_changed(diary_store: DiaryStore) -> None:
    entry = make(PainEntry, NOW, at=NOW - timedelta(hours=1), pain=6, severity="moderate")
    diary_store.add(entry)
    change = diary_store.correct(corrected(entry, {"pain": 4, "note": "typo"}, NOW, SEVERITY),
                                 NOW)
    assert change is not None
    said = said_change(change, NOW)
    assert said.startswith("Edited pain 6/10 at") and "pain 6 → 4" in said
    assert "note typo added" in said
    [kept] = diary_store.changes()
    assert kept == change
    with diary_store.snapshot() as conn:
        assert diary_store.edited(conn) == {entry.id}


def test_a_pain_entrys_severity_follows_its_corrected_score(diary_store: DiaryStore) -> None:
    entry = make(PainEntry, NOW, at=NOW, pain=9, impact="unable", severity="severe")
    diary_store.add(entry)
    diary_store.correct(corrected(entry, {"pain": 2, "impact": "none"}, NOW, SEVERITY), NOW)
    assert diary_store.find(PainEntry, entry.id).severity == SEVERITY.classify(2, "none")


def test_nothing_changed_keeps_nothing(diary_store: DiaryStore) -> None:
    entry = make(PainEntry, NOW, at=NOW, pain=5, severity="moderate")
    diary_store.add(entry)
    assert diary_store.correct(corrected(entry, {"pain": 5}, NOW, SEVERITY), NOW) is None
    assert diary_store.changes() == []


def test_a_record_moved_in_time_joins_the_episode_then(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    first, second = diary.episodes
    entry = next(p for p in diary.pain_entries if p.episode_id == second.id)
    moved = corrected(entry, {"at": first.onset + timedelta(hours=5)}, NOW, SEVERITY)
    diary_store.correct(moved, NOW)
    assert diary_store.find(PainEntry, entry.id).episode_id == first.id
    between = corrected(entry, {"at": first.ended_at + timedelta(days=1)}, NOW, SEVERITY)
    change = diary_store.correct(between, NOW)
    assert change is not None and diary_store.find(PainEntry, entry.id).episode_id is None
    assert "now outside any episode" in said_change(change, NOW)


def test_an_episode_cannot_move_past_its_own_records(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    first = diary.episodes[0]
    later = corrected(first, {"onset": first.onset + timedelta(hours=6)}, NOW, SEVERITY)
    with pytest.raises(BadInput, match="before the new start"):
        diary_store.correct(later, NOW)
    shorter = corrected(first, {"ended_at": first.onset + timedelta(hours=1, minutes=30)},
                        NOW, SEVERITY)
    with pytest.raises(BadInput, match="after the new end"):
        diary_store.correct(shorter, NOW)
    assert diary_store.find(Episode, first.id) == first
    assert diary_store.changes() == []


def test_deleting_an_episode_keeps_its_records_and_undo_puts_them_back(
        diary_store: DiaryStore) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    first = diary.episodes[0]
    mine = {r.id for _, records in diary for r in records
            if getattr(r, "episode_id", None) == first.id}
    change = diary_store.delete(Episode, first.id, NOW)
    assert sum(len(ids) for ids in change.detached.values()) == len(mine)
    assert "stay in the diary, outside any episode" in said_change(change, NOW)
    after = diary_store.diary()
    assert after.count() == diary.count() - 1
    assert all(getattr(r, "episode_id", None) is None for _, records in after for r in records
               if r.id in mine)
    diary_store.undo(NOW)
    assert diary_store.diary().count() == diary.count()
    assert {r.id for _, records in diary_store.diary() for r in records
            if getattr(r, "episode_id", None) == first.id} == mine


def test_undo_is_refused_when_the_record_changed_since(diary_store: DiaryStore) -> None:
    entry = make(PainEntry, NOW, at=NOW, pain=5, severity="moderate")
    diary_store.add(entry)
    one = diary_store.correct(corrected(entry, {"pain": 6}, NOW, SEVERITY), NOW)
    two = diary_store.correct(corrected(diary_store.find(PainEntry, entry.id), {"pain": 7},
                                        NOW, SEVERITY), NOW + timedelta(seconds=1))
    assert one is not None and two is not None
    with pytest.raises(Conflict, match="changed since"):
        diary_store.undo(NOW, one.id)
    diary_store.undo(NOW + timedelta(seconds=2))          # undoes two
    with pytest.raises(Conflict, match="already been undone"):
        diary_store.undo(NOW, two.id)
    diary_store.undo(NOW + timedelta(seconds=3))          # then one
    assert diary_store.find(PainEntry, entry.id).pain == 5
    with pytest.raises(NotFound, match="nothing to undo"):
        diary_store.undo(NOW + timedelta(seconds=4))


def test_a_missing_record_is_not_found(diary_store: DiaryStore) -> None:
    with pytest.raises(NotFound):
        diary_store.delete(HabitLog, "0" * 32, NOW)
    ghost = make(TreatmentSession, NOW, started_at=NOW, kind="ice", minutes=10)
    with pytest.raises(NotFound):
        diary_store.correct(ghost, NOW)
    with pytest.raises(NotFound):
        diary_store.locate("abcd")


def test_records_are_found_by_the_start_of_their_id(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    record = diary.sessions[0]
    assert diary_store.locate(record.id[:8].upper()) == record
    with pytest.raises(BadInput, match="not a record's id"):
        diary_store.locate("xyz")


def test_a_change_that_fails_leaves_no_trace(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    first = diary.episodes[0]
    with pytest.raises(BadInput):
        diary_store.correct(corrected(first, {"onset": first.onset + timedelta(hours=6)},
                                      NOW, SEVERITY), NOW)
    with diary_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.record_changes)).scalar() == 0


def test_nobody_undoes_another_persons_change(engine: object) -> None:
    from sqlalchemy import insert

    assert hasattr(engine, "begin")
    alice = DiaryStore.for_local_user(engine)  # type: ignore[arg-type]
    entry = make(PainEntry, NOW, at=NOW, pain=5, severity="moderate")
    alice.add(entry)
    change = alice.delete(PainEntry, entry.id, NOW)
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(insert(tables.people).values(id="b" * 32, created_at=NOW))
    bob = DiaryStore(engine, "b" * 32)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        bob.undo(NOW, change.id)
    assert bob.changes() == []
    with pytest.raises(NotFound):
        bob.locate(entry.id)
