"""Simultaneous first use and simultaneous writers, on a real database file
(and PostgreSQL in CI): the person is created once, and every write that was
acknowledged is stored. Bounded: a few threads, a few dozen writes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from spasmcare.core.diary import Diary, PainEntry, make
from spasmcare.store import tables
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore
from spasmcare.store.migrate import upgrade
from tests.store.conftest import PG_URL, fresh_url, reset_postgres

THREADS = 8


def _together(work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in THREADS threads released at the same moment; what
    each returned or raised."""
    start = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as err:
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_simultaneous_first_use_creates_one_person(db_url: str) -> None:
    engine = open_engine(db_url)
    people = _together(lambda _: DiaryStore.for_local_user(engine).person_id)
    assert all(isinstance(p, str) for p in people), people
    assert len(set(people)) == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.people)).scalar() == 1
    engine.dispose()


def test_simultaneous_first_writes_are_all_kept(db_url: str) -> None:
    """What a first visit does: several requests at once, each finding the
    person and writing. Every acknowledged entry is in the one diary."""
    engine = open_engine(db_url)
    base = datetime(2026, 3, 1, tzinfo=UTC)

    def write(i: int) -> list[str]:
        done = []
        for n in range(10):
            diary = DiaryStore.for_local_user(engine)
            entry = make(PainEntry, datetime.now(UTC), at=base + timedelta(minutes=i * 10 + n),
                         pain=5, severity="moderate")
            diary.add(entry)
            done.append(entry.id)
        return done

    results = _together(write)
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures[:3]
    acknowledged = {i for r in results for i in r}  # type: ignore[union-attr]
    assert len(acknowledged) == THREADS * 10
    stored = {p.id for p in DiaryStore.for_local_user(engine).records(PainEntry)}
    assert stored == acknowledged
    engine.dispose()


def test_an_import_waits_for_other_writers_instead_of_failing(db_url: str) -> None:
    """Imports read before they write; on SQLite they used to fail at once with
    'database is locked' while another writer was busy."""
    engine = open_engine(db_url)
    base = datetime(2025, 1, 1, tzinfo=UTC)

    def work(i: int) -> int:
        diary = DiaryStore.for_local_user(engine)
        if i % 2:
            entries = [make(PainEntry, datetime.now(UTC), at=base + timedelta(hours=i, minutes=n),
                            pain=3, severity="mild") for n in range(40)]
            return diary.import_diary(Diary(pain_entries=entries)).added
        for n in range(40):
            diary.add(make(PainEntry, datetime.now(UTC), at=base + timedelta(days=i, minutes=n),
                           pain=4, severity="mild"))
        return 40

    results = _together(work)
    assert results == [40] * THREADS, [r for r in results if isinstance(r, Exception)][:3]
    assert len(DiaryStore.for_local_user(engine).records(PainEntry)) == 40 * THREADS
    engine.dispose()


def test_a_retried_create_with_the_same_id_stores_one_record(db_url: str) -> None:
    engine = open_engine(db_url)
    entry = make(PainEntry, datetime.now(UTC), at=datetime(2026, 1, 1, tzinfo=UTC), pain=6,
                 severity="moderate")
    results = _together(lambda _: DiaryStore.for_local_user(engine).add_once(entry)[1])
    assert sorted(results, key=str) == [False] * (THREADS - 1) + [True], results  # type: ignore[arg-type]
    assert [p.id for p in DiaryStore.for_local_user(engine).records(PainEntry)] == [entry.id]
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", *(["postgresql"] if PG_URL else [])])
def test_migration_merges_people_created_by_the_old_race(backend: str, tmp_path: Path) -> None:
    """Diaries written before 0003 may hold several people rows, each with some
    of the records; after the upgrade every record is in the one local diary."""
    url = fresh_url(backend, tmp_path / "raced.sqlite3")
    from spasmcare.store.database import make_engine

    engine = make_engine(url)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        for n, person in enumerate(("a", "b", "c")):
            conn.execute(text("INSERT INTO people (id, created_at) VALUES (:p, :t)"),
                         {"p": person, "t": datetime(2026, 1, 1, 0, n)})
            conn.execute(text(
                "INSERT INTO pain_entries (id, person_id, at, pain, impact, severity) "
                "VALUES (:id, :p, :t, 5, 'some', 'moderate')"),
                {"id": person * 32, "p": person, "t": datetime(2026, 1, 2, n)})
        conn.execute(text("INSERT INTO settings (person_id, wake, sleep, units) "
                          "VALUES ('c', '06:00', '22:00', 'imperial')"))
    engine.dispose()

    engine = open_engine(url)
    diary = DiaryStore.for_local_user(engine)
    assert diary.person_id == "a"
    assert sorted(p.id for p in diary.records(PainEntry)) == ["a" * 32, "b" * 32, "c" * 32]
    assert diary.settings().wake == "06:00"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.people)).scalar() == 1
    engine.dispose()


def test_the_same_import_run_twice_at_once_adds_each_record_once(db_url: str) -> None:
    engine = open_engine(db_url)
    entries = [make(PainEntry, datetime.now(UTC),
                    at=datetime(2025, 6, 1, tzinfo=UTC) + timedelta(minutes=n),
                    pain=3, severity="mild") for n in range(200)]
    results = _together(lambda _: DiaryStore.for_local_user(engine).import_diary(
        Diary(pain_entries=entries)).added)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 200  # type: ignore[arg-type]
    assert len(DiaryStore.for_local_user(engine).records(PainEntry)) == 200
    engine.dispose()


def test_settings_saved_at_once_leave_one_row(db_url: str) -> None:
    from spasmcare.store.diary import PersonSettings

    engine = open_engine(db_url)
    results = _together(lambda i: DiaryStore.for_local_user(engine).save_settings(
        PersonSettings(wake=f"0{i}:00", sleep="22:00")))
    assert not [r for r in results if isinstance(r, Exception)], results
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.settings)).scalar() == 1
    engine.dispose()


def test_two_processes_migrating_a_fresh_database_at_once(db_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    if db_url.startswith("postgresql"):
        reset_postgres(db_url)
    code = ("import sys; from spasmcare.store.database import open_engine; "
            "open_engine(sys.argv[1]).dispose()")
    runs = [subprocess.Popen([sys.executable, "-c", code, db_url], cwd=ROOT,
                             stderr=subprocess.PIPE) for _ in range(4)]
    errors = [(p.wait(timeout=60), p.stderr.read().decode() if p.stderr else "") for p in runs]
    assert [c for c, _ in errors] == [0] * 4, errors


def test_writers_of_one_process_take_turns_without_sqlite_waiting(tmp_path: Path) -> None:
    """With SQLite's busy timeout at zero, a second writer that reached SQLite
    while the first held its lock would fail at once ("database is locked"):
    the threads of one process must queue on their own lock instead."""
    from sqlalchemy import event

    engine = open_engine(f"sqlite:///{tmp_path / 'turns.sqlite3'}")
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _no_waiting(dbapi_conn: object, _record: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout = 0")  # type: ignore[attr-defined]

    store = DiaryStore.for_local_user(engine)

    def write(i: int) -> int:
        for n in range(10):
            store.add(make(PainEntry, datetime.now(UTC), pain=(i + n) % 11, severity="mild",
                           at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=10 * i + n)))
        return i

    assert _together(write) == list(range(THREADS))
    assert len(store.records(PainEntry)) == THREADS * 10


def test_a_create_joins_the_episode_going_on_at_its_time(db_url: str) -> None:
    """Found as it is written: the episode that had begun by the record's
    time and not yet ended then; none before the episode began or after it
    ended, whatever episode is open now."""
    from spasmcare.core.diary import Episode

    store = DiaryStore.for_local_user(open_engine(db_url))
    at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    now = at + timedelta(days=1)

    def joined(hours: float) -> str | None:
        entry = make(PainEntry, now, at=at + timedelta(hours=hours), pain=5,
                     severity="moderate")
        kept, new = store.add_once(entry, in_its_episode=True)
        assert new and store.find(PainEntry, entry.id).episode_id == kept.episode_id
        return kept.episode_id

    assert joined(0) is None  # no episode yet
    episode = make(Episode, now, onset=at - timedelta(hours=2))
    store.add(episode)
    assert joined(1) == episode.id
    assert joined(-3) is None  # before the open episode began
    assert joined(-24 * 365 * 6) is None  # years before it
    store.replace(episode.model_copy(update={"ended_at": at + timedelta(hours=2)}))
    assert joined(3) is None  # after it ended
    assert joined(1.5) == episode.id  # while it went on, though it has ended since
    second = make(Episode, now, onset=at + timedelta(hours=5))
    store.add(second)
    assert joined(6) == second.id
    assert joined(4) is None  # between the two
    assert store.episode_at(at + timedelta(hours=1)) == store.find(Episode, episode.id)


@pytest.mark.parametrize("first_use", ["records", "diary", "open_episode", "settings",
                                       "find", "add", "save_settings", "insights"])
def test_first_use_takes_one_connection_at_a_time(db_url: str, first_use: str) -> None:
    """A store finds its person on first use. Doing so while holding a
    connection would take a second one; under load, threads that each hold
    one and wait for another use up the pool and stall (they did, for the
    pool's 30 s timeout, on PostgreSQL). With a pool of one connection,
    every first use must still work."""
    from sqlalchemy import create_engine

    from spasmcare.core.loader import load_knowledge
    from spasmcare.store.diary import PersonSettings
    from spasmcare.store.insights import diary_insights

    open_engine(db_url).dispose()  # migrated
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"),
                           pool_size=1, max_overflow=0, pool_timeout=2)
    store = DiaryStore.for_local_user(engine)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    uses: dict[str, Callable[[], object]] = {
        "records": lambda: store.records(PainEntry),
        "diary": store.diary,
        "open_episode": store.open_episode,
        "settings": store.settings,
        "find": lambda: store.find(PainEntry, "0" * 32),
        "add": lambda: store.add(make(PainEntry, now, at=now, pain=3, severity="mild")),
        "save_settings": lambda: store.save_settings(PersonSettings()),
        "insights": lambda: diary_insights(store, load_knowledge().careplan, now),
    }
    uses[first_use]()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.people)).scalar() == 1
    engine.dispose()
