"""The insights' fast path (counts kept as the diary is written, adherence kept
for settled episodes) gives exactly what the core computes from the whole
diary, after any mix of adds, edits, deletes, imports and settings changes,
and asked at any time, on a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select, text

from spasmcare.core import insights as core
from spasmcare.core.clock import parse_clock
from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitKind,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentKind,
    TreatmentSession,
    Trigger,
    new_id,
)
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.store import tables
from spasmcare.store.database import make_engine
from spasmcare.store.diary import DiaryStore, PersonSettings
from spasmcare.store.insights import diary_insights
from spasmcare.store.migrate import upgrade
from tests.store.conftest import BACKENDS, fresh_url

LONDON = ZoneInfo("Europe/London")          # the clocks change on 29 March 2026
BASE = datetime(2026, 3, 10, tzinfo=UTC)
SPAN_HOURS = 24 * 40   # short, so that records often fall in an episode's two weeks
NAMES = ("Ibuprofen", "ibuprofen", "IBUPROFEN", "Paracetamol", "Straße", "STRASSE")
HOURS = ("07:00", "23:00"), ("06:30", "22:00"), ("09:00", "01:00")

moments = st.integers(0, SPAN_HOURS).map(lambda h: BASE + timedelta(hours=h))
scores = st.none() | st.integers(0, 10)


def _episode(onset: datetime, days: int | None, triggers: list[Trigger]) -> Episode:
    return Episode(onset=onset, triggers=tuple(triggers),
                   ended_at=None if days is None else onset + timedelta(days=days))


episodes = st.builds(_episode, moments, st.none() | st.integers(1, 20),
                     st.lists(st.sampled_from(list(Trigger)), max_size=2, unique=True))
sessions = st.builds(TreatmentSession, started_at=moments,
                     kind=st.sampled_from(list(TreatmentKind)),
                     minutes=st.sampled_from((5.0, 15.0, 20.0)), pain_before=scores,
                     pain_after=scores, completed=st.booleans())
medicines = st.builds(MedicineTaken, at=moments, name=st.sampled_from(NAMES))
habits = st.builds(HabitLog, at=moments, kind=st.sampled_from(list(HabitKind)),
                   amount=st.integers(0, 30).map(float))
pains = st.builds(PainEntry, at=moments, pain=st.integers(0, 10),
                  severity=st.sampled_from(("mild", "severe")))
records = st.one_of(episodes, sessions, sessions, medicines, habits, pains)


def _course(start: datetime, count: int) -> list[TreatmentSession]:
    """A day's sessions done as the plan sets them (of each of its kinds, every
    two hours from the morning): enough to tip a day into followed."""
    morning = start.replace(hour=8, minute=0)
    return [TreatmentSession(started_at=morning + timedelta(hours=2 * i, minutes=k), kind=kind,
                             minutes=15.0, completed=True)
            for i in range(count)
            for k, kind in enumerate((TreatmentKind.ICE, TreatmentKind.WALK,
                                      TreatmentKind.HEAT, TreatmentKind.STRETCH))]


courses = st.builds(_course, moments, st.integers(3, 6))

# One step of using the diary; "ask" reads the insights (and so keeps figures).
steps = st.one_of(
    st.tuples(st.just("add"), st.lists(records, min_size=1, max_size=4)),
    st.tuples(st.just("add"), st.tuples(episodes)),
    st.tuples(st.just("add"), courses),
    st.tuples(st.just("import"), st.lists(records, max_size=12)),
    st.tuples(st.just("edit"), st.integers(0, 10_000), moments, scores, st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("hours"), st.sampled_from(HOURS)),
    st.tuples(st.just("ask"), st.integers(0, SPAN_HOURS + 24 * 40)),
)


@pytest.fixture(params=BACKENDS)
def shared_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> Any:
    engine = make_engine(fresh_url(request.param, tmp_path_factory.mktemp("s") / "d.sqlite3"))
    upgrade(engine)
    yield engine
    engine.dispose()


def _person(engine: Engine) -> DiaryStore:
    """A new person of their own in the shared database: every example
    starts empty, and counts must not leak between people."""
    pid = new_id()
    with engine.begin() as conn:
        conn.execute(insert(tables.people).values(id=pid, created_at=BASE))
    return DiaryStore(engine, pid)


def _expected(store: DiaryStore, kb: KnowledgeBase, now: datetime) -> dict[str, Any]:
    mine = store.settings()
    return core.compute(store.diary(), now, kb.careplan,
                        wake=parse_clock(mine.wake, "wake"),
                        sleep=parse_clock(mine.sleep, "sleep")).to_dict()


def _apply(store: DiaryStore, step: tuple[Any, ...]) -> None:
    what = step[0]
    everything = store.diary()
    stored: list[Any] = [*everything.episodes, *everything.sessions, *everything.medicines,
                         *everything.habits, *everything.pain_entries]
    if what == "add":
        store.add(*step[1])
    elif what == "import":
        # An import holds new records and some already stored (skipped).
        store.import_diary(Diary(
            episodes=[r for r in (*step[1], *stored[:2]) if isinstance(r, Episode)],
            sessions=[r for r in (*step[1], *stored[:3]) if isinstance(r, TreatmentSession)],
            medicines=[r for r in step[1] if isinstance(r, MedicineTaken)],
            habits=[r for r in step[1] if isinstance(r, HabitLog)],
            pain_entries=[r for r in step[1] if isinstance(r, PainEntry)]))
    elif what == "edit" and stored:
        _, pick, when, score, flag = step
        record = stored[pick % len(stored)]
        if isinstance(record, Episode):
            changed = record.model_copy(update={
                "onset": when, "ended_at": None if flag else when + timedelta(days=3)})
        elif isinstance(record, TreatmentSession):
            changed = record.model_copy(update={"started_at": when, "pain_after": score,
                                                "completed": flag})
        elif isinstance(record, MedicineTaken):
            changed = record.model_copy(update={"at": when,
                                                "name": NAMES[(score or 0) % len(NAMES)]})
        else:
            changed = record.model_copy(update={"at": when})
        store.replace(changed)
    elif what == "delete" and stored:
        record = stored[step[1] % len(stored)]
        store.delete(type(record), record.id, datetime.now(UTC))
    elif what == "hours":
        store.save_settings(PersonSettings(*step[1]))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(before=st.lists(steps, min_size=1, max_size=10),
       after=st.lists(st.one_of(st.tuples(st.just("add"), courses), steps),
                      min_size=1, max_size=6),
       asked=st.lists(st.integers(0, SPAN_HOURS + 24 * 60), min_size=1, max_size=3)
       | st.just([SPAN_HOURS + 24 * 30]))
def test_fast_insights_equal_the_core_on_the_whole_diary(
        shared_engine: Engine, kb: KnowledgeBase, before: list[tuple[Any, ...]],
        after: list[tuple[Any, ...]], asked: list[int]) -> None:
    """Steps, insights asked (which keeps the settled figures), more steps,
    the same insights asked twice (once working out, once from what was kept)."""
    store = _person(shared_engine)
    times = [(BASE + timedelta(hours=hours)).astimezone(LONDON) for hours in asked]

    def check() -> None:
        for now in times:
            assert (diary_insights(store, kb.careplan, now).to_dict()
                    == _expected(store, kb, now))

    for step in before:
        _apply(store, step)
        if step[0] == "ask":
            now = (BASE + timedelta(hours=step[1])).astimezone(LONDON)
            assert diary_insights(store, kb.careplan, now).to_dict() == _expected(store, kb, now)
    check()
    for step in after:
        _apply(store, step)
    check()
    check()


def test_settled_figures_are_kept_and_a_later_session_makes_them_stale(
        diary_store: DiaryStore, kb: KnowledgeBase) -> None:
    onset = datetime(2026, 3, 2, 8, tzinfo=UTC)
    episode = Episode(onset=onset, ended_at=onset + timedelta(days=10))
    diary_store.add(episode, *(TreatmentSession(started_at=onset + timedelta(days=d, hours=2),
                                                kind=TreatmentKind.ICE, minutes=15)
                               for d in range(5)))
    now = (onset + timedelta(days=40)).astimezone(LONDON)
    first = diary_insights(diary_store, kb.careplan, now).adherence
    with diary_store.engine.connect() as conn:
        kept = conn.execute(select(tables.adherence_cache.c.generation,
                                   tables.adherence_cache.c.days_followed)).all()
    assert len(kept) == 1 and kept[0][1] == first.days_followed
    diary_store.add(TreatmentSession(started_at=onset + timedelta(days=6, hours=3),
                                     kind=TreatmentKind.ICE, minutes=15))
    with diary_store.engine.connect() as conn:
        generation = conn.execute(select(tables.episodes.c.generation)).scalar_one()
    assert generation == kept[0][0] + 1  # the kept figure is stale now
    assert (diary_insights(diary_store, kb.careplan, now).to_dict()
            == _expected(diary_store, kb, now))


def test_an_upgraded_diary_gets_its_counts_from_its_rows(tmp_path: Any, kb: KnowledgeBase
                                                         ) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO people (id, created_at, handle) "
                          "VALUES ('p', '2026-01-01', 'local')"))
        for i, (kind, before, after) in enumerate([("ice", 7, 4), ("heat", 6, 6),
                                                   ("ice", None, 3), ("walk", 5, 2)]):
            conn.execute(text(
                "INSERT INTO treatment_sessions (id, person_id, started_at, kind, minutes, "
                "pain_before, pain_after, completed) "
                f"VALUES (:id, 'p', '2026-01-0{i + 2} 09:00:00', :k, 10, :b, :a, 1)"),
                {"id": f"{i + 1:032x}", "k": kind, "b": before, "a": after})
        for i, name in enumerate(["Ibuprofen", "IBUPROFEN", "Paracetamol"]):
            conn.execute(text("INSERT INTO medicines (id, person_id, at, name) "
                              f"VALUES (:id, 'p', '2026-01-0{i + 2} 12:00:00', :n)"),
                         {"id": f"{i + 100:032x}", "n": name})
    upgrade(engine)
    store = DiaryStore(engine, "p")
    now = datetime(2026, 2, 1, tzinfo=UTC).astimezone(LONDON)
    fast = diary_insights(store, kb.careplan, now).to_dict()
    assert fast == _expected(store, kb, now)
    assert fast["records"] == 7
    assert fast["medicines"] == [{"name": "Ibuprofen", "count": 2},
                                 {"name": "Paracetamol", "count": 1}]
    engine.dispose()
