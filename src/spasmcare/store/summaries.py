"""What insights need from a long diary, kept so that they cost the same for a
month's diary as for ten years' (migration 0005).

- Counts (``diary_counts``), changed in the same transaction as every write:
  records of each kind, sessions logged of each kind, sessions that eased the
  pain by each amount, medicines by casefolded name. ``tallies`` reads them
  back as the core's ``Tallies``.
- Plan adherence of settled episodes (``adherence_cache``), worked out once
  by the core and kept with the episode's ``generation``, which every write
  that could change it bumps: the episode's own edits (``DiaryStore.replace``)
  and any session written in its window (``written``). A figure is used only
  while the generation it was computed at is still the episode's.

A figure computed while a writer bumps the generation carries the old one, so
it is never used: readers work out the figures from one snapshot of the
episodes and sessions, and write them with the generation they read.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from spasmcare.core.adherence import WINDOW, EpisodeAdherence, settled
from spasmcare.core.diary import Diary, Episode, MedicineTaken, Record, TreatmentSession
from spasmcare.core.diary_terms import TreatmentKind
from spasmcare.core.insights import Tallies
from spasmcare.core.knowledge import CarePlanRules
from spasmcare.store import tables
from spasmcare.store.database import dialect_insert, writing

# Bump when the core's adherence computation changes: figures kept by an
# older version are then not used.
ADHERENCE_VERSION = 1

FIELDS = {Diary.record_model(field): field for field in Diary.model_fields}
Key = tuple[str, str]   # (counter, key)
# The core adds WINDOW's days on the local clock, so across a change of clocks
# its window is an hour off one of whole days: the store's are a day wider.
SLACK = timedelta(days=1)


# --- writing: in the writer's transaction ---------------------------------------


def name_key(name: str) -> str:
    """The form medicine names are counted and found by: case does not matter."""
    return name.casefold()


def tally(records: Iterable[Record], sign: int = 1) -> Counter[Key]:
    """The change to the counts that adding (sign 1) or removing (-1) ``records`` makes."""
    counts: Counter[Key] = Counter()
    for r in records:
        counts["records", FIELDS[type(r)]] += sign
        if isinstance(r, TreatmentSession):
            counts["logged", r.kind.value] += sign
            if (relief := r.relief) is not None:
                counts["relief", f"{r.kind.value}:{relief}"] += sign
        elif isinstance(r, MedicineTaken):
            counts["medicine", name_key(r.name)] += sign
    return counts


def written(conn: Connection, person_id: str, added: Sequence[Record] = (),
            removed: Sequence[Record] = ()) -> None:
    """Keep the summaries true after ``added`` were stored and ``removed``
    deleted (an edit is both), in the transaction that did it."""
    change = tally(added)
    change.update(tally(removed, -1))
    _add_counts(conn, person_id, {k: n for k, n in change.items() if n})
    moments = [r.started_at for r in (*added, *removed) if isinstance(r, TreatmentSession)]
    if moments:
        _touch_near(conn, person_id, min(moments), max(moments))


def _add_counts(conn: Connection, person_id: str, change: dict[Key, int]) -> None:
    if not change:
        return
    conn.execute(_adding_counts(conn.dialect.name),
                 [{"person_id": person_id, "counter": c, "key": k, "n": n}
                  for (c, k), n in sorted(change.items())])


@functools.cache
def _adding_counts(dialect: str) -> Any:
    """Adds to a count, or starts it (built once: see ``database.insert_or_ignore``)."""
    table = tables.diary_counts
    stmt = dialect_insert(dialect, table)
    return stmt.on_conflict_do_update(index_elements=["person_id", "counter", "key"],
                                      set_={"n": table.c.n + stmt.excluded.n})


def _touch_near(conn: Connection, person_id: str, earliest: datetime, latest: datetime) -> None:
    """Bump the generation of every episode whose window holds a moment in
    [earliest, latest]: a session there may change its adherence."""
    episodes = tables.episodes
    conn.execute(update(episodes)
                 .where(episodes.c.person_id == person_id,
                        episodes.c.onset > earliest - WINDOW[1] - SLACK,
                        episodes.c.onset <= latest - WINDOW[0] + SLACK)
                 .values(generation=episodes.c.generation + 1))


# --- reading ---------------------------------------------------------------------


def tallies(conn: Connection, person_id: str) -> Tallies:
    """The counts, as the core's ``Tallies`` of the whole diary."""
    table = tables.diary_counts
    records = 0
    logged: dict[TreatmentKind, int] = {}
    reliefs: dict[TreatmentKind, dict[int, int]] = defaultdict(dict)
    taken: dict[str, int] = {}
    for counter, key, n in conn.execute(select(table.c.counter, table.c.key, table.c.n)
                                        .where(table.c.person_id == person_id,
                                               table.c.n != 0)):
        if counter == "records":
            records += n
        elif counter == "logged":
            logged[TreatmentKind(key)] = n
        elif counter == "relief":
            kind, relief = key.rsplit(":", 1)
            reliefs[TreatmentKind(kind)][int(relief)] = n
        elif counter == "medicine":
            taken[key] = n
    return Tallies(records, logged, reliefs, taken, _shown(conn, person_id, taken))


def _shown(conn: Connection, person_id: str, keys: Iterable[str]) -> dict[str, str]:
    """Each medicine's name as first written: one indexed row per name."""
    medicines = tables.medicines
    return {key: conn.execute(select(medicines.c.name)
                              .where(medicines.c.person_id == person_id,
                                     medicines.c.name_key == key)
                              .order_by(medicines.c.at, medicines.c.id).limit(1)).scalar_one()
            for key in keys}


def basis(tz: Any, wake: time, sleep: time, rules: CarePlanRules) -> str:
    """What an adherence figure depends on besides the diary: the time zone,
    the waking hours and the care-plan rules (by digest), and this code."""
    zone = getattr(tz, "key", None) or str(tz)
    return f"{ADHERENCE_VERSION}|{zone}|{wake:%H:%M}|{sleep:%H:%M}|{_digest(rules)}"[:64]


_digests: dict[int, tuple[CarePlanRules, str]] = {}


def _digest(rules: CarePlanRules) -> str:
    kept = _digests.get(id(rules))
    if kept is None or kept[0] is not rules:
        kept = rules, hashlib.sha256(rules.model_dump_json().encode()).hexdigest()[:16]
        _digests[id(rules)] = kept
    return kept[1]


def kept_adherence(conn: Connection, person_id: str, episodes: Sequence[Episode],
                   now: datetime, key: str) -> tuple[dict[str, EpisodeAdherence],
                                                       dict[str, int]]:
    """The kept figures still valid for ``episodes`` (by id), and every
    episode's generation as read (for keeping the figures computed now)."""
    ep, cache = tables.episodes, tables.adherence_cache
    rows = conn.execute(
        select(ep.c.id, ep.c.generation, cache.c.generation,
               cache.c.days_planned, cache.c.days_followed)
        .select_from(ep.outerjoin(cache, (cache.c.episode_id == ep.c.id)
                                  & (cache.c.basis == key)))
        .where(ep.c.person_id == person_id)).all()
    generations = {r[0]: r[1] for r in rows}
    by_id = {e.id: e for e in episodes}
    known = {}
    for rid, generation, kept_at, planned, followed in rows:
        episode = by_id.get(rid)
        if episode is not None and kept_at == generation and settled(episode, now):
            known[rid] = EpisodeAdherence(rid, episode.onset.astimezone(now.tzinfo),
                                          planned, followed)
    return known, generations


def windows(episodes: Iterable[Episode]) -> list[tuple[datetime, datetime]]:
    """The stretches of time whose sessions the adherence of ``episodes``
    reads, overlapping ones merged, oldest first."""
    merged: list[tuple[datetime, datetime]] = []
    for start, stop in sorted((e.onset + WINDOW[0] - SLACK, e.onset + WINDOW[1] + SLACK)
                              for e in episodes):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def keep_adherence(engine: Engine, person_id: str, key: str,
                   figures: Sequence[tuple[EpisodeAdherence, int]]) -> None:
    """Keep the settled figures with the generation they were computed at.
    A newer figure already kept is not overwritten by an older one. Best
    effort: if the database cannot take the write now, the figures are worked
    out again next time."""
    if not figures:
        return
    cache = tables.adherence_cache
    try:
        with writing(engine) as conn:
            stmt = dialect_insert(conn, cache)
            stmt = stmt.on_conflict_do_update(
                index_elements=["episode_id", "basis"],
                set_={"generation": stmt.excluded.generation,
                      "days_planned": stmt.excluded.days_planned,
                      "days_followed": stmt.excluded.days_followed},
                where=stmt.excluded.generation >= cache.c.generation)
            conn.execute(stmt, [{"episode_id": f.episode_id, "basis": key,
                                 "person_id": person_id, "generation": generation,
                                 "days_planned": f.days_planned,
                                 "days_followed": f.days_followed}
                                for f, generation in figures])
    except (OperationalError, IntegrityError):  # busy, or the episode deleted meanwhile
        return
