"""The diary store on a real database: round trips, transactions, imports,
isolation between people, and the database's own guards."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, insert, text

from spasmcare.core.diary import Diary, Episode, PainEntry, make
from spasmcare.core.errors import BadInput
from spasmcare.store.diary import DiaryStore, PersonSettings
from spasmcare.store.tables import pain_entries, people
from tests.diaries import NOW, canonical, sample_diary


def test_every_record_comes_back_identical(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    assert diary_store.diary() == canonical(diary)


def test_times_come_back_as_the_same_instants(diary_store: DiaryStore) -> None:
    from datetime import timedelta, timezone

    local = NOW.astimezone(timezone(timedelta(hours=5, minutes=30)))
    episode = make(Episode, NOW, onset=local)
    diary_store.add(episode)
    assert diary_store.episodes()[0].onset == local


def test_import_twice_adds_nothing_the_second_time(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    first = diary_store.import_diary(diary)
    second = diary_store.import_diary(diary)
    assert (first.added, first.already_there) == (diary.count(), 0)
    assert (second.added, second.already_there) == (0, diary.count())
    assert diary_store.diary().count() == diary.count()


def test_a_failed_write_saves_nothing(diary_store: DiaryStore) -> None:
    good = make(Episode, NOW, onset=NOW)
    orphan = make(PainEntry, NOW, at=NOW, pain=3, severity="mild", episode_id="f" * 32)
    with pytest.raises(BadInput, match="episode that does not exist"):
        diary_store.add(good, orphan)
    assert diary_store.diary().count() == 0


def test_a_failed_import_imports_nothing(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    broken = Diary(episodes=diary.episodes[:1], pain_entries=diary.pain_entries)
    with pytest.raises(BadInput, match="nothing was imported"):
        diary_store.import_diary(broken)
    assert diary_store.diary().count() == 0


def test_people_do_not_see_each_others_diaries(engine: Engine) -> None:
    alice = DiaryStore.for_local_user(engine)
    with engine.begin() as conn:
        conn.execute(insert(people).values(id="b" * 32, created_at=NOW))
    bob = DiaryStore(engine, "b" * 32)
    alice.import_diary(sample_diary())
    assert bob.diary().count() == 0
    assert bob.open_episode() is None
    with pytest.raises(BadInput, match="another person"):
        bob.import_diary(alice.diary())
    assert bob.diary().count() == 0
    with pytest.raises(BadInput):
        bob.replace(alice.episodes()[0])


def test_the_local_user_is_stable(engine: Engine) -> None:
    assert DiaryStore.for_local_user(engine).person_id == \
        DiaryStore.for_local_user(engine).person_id


def test_a_store_reads_nothing_until_it_is_used(engine: Engine) -> None:
    """The web app makes a store for every request on the event loop; only
    its first read or write, in the thread pool, finds the person."""
    DiaryStore.for_local_user(engine)
    assert _people(engine) == 0


def test_a_first_write_that_fails_leaves_no_person_behind(engine: Engine) -> None:
    """The first write makes the person in its own transaction: when the write
    is refused, the person made for it is gone too, and the next write makes
    them again instead of pointing at nobody."""
    store = DiaryStore.for_local_user(engine)
    orphan = make(PainEntry, NOW, at=NOW, pain=4, impact="none", severity="moderate",
                  episode_id="f" * 32)
    with pytest.raises(BadInput, match="episode that does not exist"):
        store.add(orphan)
    assert _people(engine) == 0
    store.add(make(PainEntry, NOW, at=NOW, pain=4, impact="none", severity="moderate"))
    assert _people(engine) == 1
    assert store.diary().count() == 1
    assert DiaryStore.for_local_user(engine).person_id == store.person_id


def _people(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM people")).scalar_one())


def test_ending_an_episode(diary_store: DiaryStore) -> None:
    diary_store.import_diary(sample_diary())
    current = diary_store.open_episode()
    assert current is not None
    diary_store.replace(make(Episode, NOW, **{**current.model_dump(), "ended_at": NOW}))
    assert diary_store.open_episode() is None


def test_episode_by_id_prefix(diary_store: DiaryStore) -> None:
    diary = sample_diary()
    diary_store.import_diary(diary)
    wanted = diary.episodes[1]
    assert diary_store.episode(wanted.id[:8]) == wanted
    with pytest.raises(BadInput, match="no episode"):
        diary_store.episode("0000zzzz")


def test_reading_a_time_range(diary_store: DiaryStore) -> None:
    from datetime import timedelta

    diary_store.import_diary(sample_diary())
    recent = diary_store.diary(since=NOW - timedelta(days=2))
    assert [e.note for e in recent.episodes] == [None]
    assert len(recent.pain_entries) == 1


def test_settings_round_trip(diary_store: DiaryStore) -> None:
    assert diary_store.settings() == PersonSettings()
    diary_store.save_settings(PersonSettings("06:30", "22:00", "imperial"))
    assert diary_store.settings() == PersonSettings("06:30", "22:00", "imperial")


def test_the_database_refuses_impossible_pain(diary_store: DiaryStore, engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    person = diary_store.person_id  # first use makes the person: not inside our transaction
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(pain_entries).values(
            id="a" * 32, person_id=person, at=NOW, pain=12, impact="none",
            severity="severe"))


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO episodes (id, person_id, onset, triggers, triage_answers)"
                          " VALUES ('x', 'nobody', '2026-01-01', '[]', '{}')"))


@pytest.mark.parametrize("onset_days_ago", [2, 400])
def test_the_plan_counts_what_helped_as_the_core_does(db_url: str, onset_days_ago: int) -> None:
    """The store counts a year of relief in the database (from the episode's
    start, if that is earlier); the plan must be the one the core makes from
    the sessions themselves."""
    import random
    from datetime import timedelta

    from spasmcare.core.careplan import episode_plan
    from spasmcare.core.clock import parse_clock
    from spasmcare.core.diary import TreatmentSession
    from spasmcare.core.diary_terms import TreatmentKind
    from spasmcare.core.insights import relief_figures, treatment_relief
    from spasmcare.core.loader import load_knowledge
    from spasmcare.store.database import open_engine

    rules = load_knowledge().careplan
    rng = random.Random(onset_days_ago)
    store = DiaryStore.for_local_user(open_engine(db_url))
    episode = make(Episode, NOW, onset=NOW - timedelta(days=onset_days_ago))
    sessions = [make(TreatmentSession, NOW, kind=rng.choice(list(TreatmentKind)), minutes=10,
                     pain_before=rng.choice((None, *range(11))),
                     pain_after=rng.choice((None, *range(11))),
                     started_at=NOW - timedelta(days=rng.uniform(0, 730)))
                for _ in range(300)]  # two years back, some without pain scores
    store.add(episode, *sessions)
    since = episode.onset - timedelta(days=1)
    window = min(since, NOW - timedelta(days=365))
    helped = treatment_relief([s for s in sessions if s.started_at >= window])
    with store.snapshot() as conn:
        assert relief_figures(*store._relief_counts(conn, window)) == helped
    followed = sorted((s for s in sessions if s.started_at >= since),
                      key=lambda s: (s.started_at, s.id))
    expected = episode_plan(episode, followed, NOW, rules, helped=helped,
                            wake=parse_clock("07:00", "wake"), sleep=parse_clock("23:00", "sleep"))
    assert store.plan(episode, NOW, rules, wake="07:00", sleep="23:00") == expected
