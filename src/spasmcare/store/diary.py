"""The diary store: the core's records in and out of the database, for one person.

Every method that writes is one transaction: it either happens whole or not
at all. Rows are turned into the core's records here and nowhere else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from spasmcare.core.careplan import Plan, episode_plan
from spasmcare.core.clock import parse_clock, said_date_time
from spasmcare.core.corrections import KINDS as CORRECTED_KINDS
from spasmcare.core.corrections import NAMES, SAID, WHEN, Change
from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    Record,
    TreatmentSession,
    list_adapter,
    new_id,
)
from spasmcare.core.diary_terms import TreatmentKind
from spasmcare.core.errors import BadInput, Conflict, NotFound
from spasmcare.core.insights import relief_figures
from spasmcare.core.knowledge import CarePlanRules
from spasmcare.store import audit, summaries, tables
from spasmcare.store.database import insert_or_ignore, reading, upsert, writing

LOCAL = "local"  # the handle of the one person of a local diary

# Record type -> its table and the Diary field that lists it, in the order that
# respects foreign keys (episodes before what points at them).
KINDS: tuple[tuple[type[Record], Table, str], ...] = (
    (Episode, tables.episodes, "episodes"),
    (PainEntry, tables.pain_entries, "pain_entries"),
    (TreatmentSession, tables.treatment_sessions, "sessions"),
    (MedicineTaken, tables.medicines, "medicines"),
    (HabitLog, tables.habit_logs, "habits"),
)
TIME_COLUMN = WHEN  # the field, and column, that says when a record happened


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int


@dataclass(frozen=True)
class PersonSettings:
    wake: str = "07:00"
    sleep: str = "23:00"
    units: str = "metric"


def _reason(err: IntegrityError) -> str:
    text = " ".join(str(err.orig).split())
    if "FOREIGN KEY" in text.upper():
        return "it refers to an episode that does not exist"
    return text.split(" DETAIL")[0]


def _table(model: type[Record]) -> Table:
    return next(table for m, table, _ in KINDS if m is model)


# The statements every request runs, built once (building one costs more than
# running it); the person and the record are bound when they run.
_INSERTS = {model: insert(table) for model, table, _ in KINDS}
_LOCAL_PERSON = select(tables.people.c.id).where(tables.people.c.handle == LOCAL)


@functools.cache
def _mine(model: type[Record]) -> tuple[Select[Any], tuple[str, ...]]:
    """A query for one person's (``:person``) records of one kind, and the
    names of its columns that are the record's fields (not the store's own,
    such as person_id)."""
    table = _table(model)
    columns = [c for c in table.c if c.name in model.model_fields]
    return (select(*columns).where(table.c.person_id == bindparam("person")),
            tuple(c.name for c in columns))


@functools.cache
def _by_id_query(model: type[Record]) -> Select[Any]:
    query, _ = _mine(model)
    return query.where(_table(model).c.id == bindparam("record_id"))


@functools.cache
def _episode_at_query() -> Select[Any]:
    """The latest episode that had begun by ``:at`` and not ended before it."""
    query, _ = _mine(Episode)
    table = tables.episodes
    at = bindparam("at", type_=table.c.onset.type)
    return (query.where(table.c.onset <= at, or_(table.c.ended_at.is_(None),
                                                 table.c.ended_at >= at))
            .order_by(table.c.onset.desc(), table.c.id.desc()).limit(1))


@functools.cache
def _open_episode_query() -> Select[Any]:
    """The most recent episode that has not ended: one row by its index."""
    query, _ = _mine(Episode)
    table = tables.episodes
    return (query.where(table.c.ended_at.is_(None))
            .order_by(table.c.onset.desc(), table.c.id.desc()).limit(1))


class DiaryStore:
    """One person's diary in one database."""

    def __init__(self, engine: Engine, person_id: str | None = None) -> None:
        """The diary of ``person_id``, or without it of the local person
        (``for_local_user``)."""
        self.engine = engine
        self._person = person_id

    @classmethod
    def for_local_user(cls, engine: Engine) -> DiaryStore:
        """The diary of the one person who uses this database on their own
        machine: the person with the handle ``local``, created on first use.
        Making the store reads nothing: the person is found when the diary is
        first read or written, so a web request reaches the database once,
        in its own turn in the thread pool."""
        return cls(engine)

    @property
    def person_id(self) -> str:
        """The person's id. The first use may make the local person, which
        takes the write lock: use it before beginning a write of one's own
        outside this store (the store's own writes find the person inside)."""
        if self._person is None:
            with reading(self.engine) as conn:
                self._person = conn.execute(_LOCAL_PERSON).scalar()
        if self._person is None:
            with self._writing():  # makes the person
                pass
        assert self._person is not None
        return self._person

    def _reading(self) -> Connection:
        """A read connection (``database.reading``), the person found first:
        finding them while it is open would take a second connection, and
        threads that each hold one and wait for another use up the pool."""
        _ = self.person_id
        return reading(self.engine)

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction (``database.writing``) in which the person is
        known. Not yet known, they are found, or made, on its own connection:
        while it holds SQLite's write lock, another connection could not make
        them. The handle is unique, so simultaneous first requests all get
        the same person (insert-or-get)."""
        finding = self._person is None
        try:
            with writing(self.engine) as conn:
                if finding:
                    self._person = conn.execute(_LOCAL_PERSON).scalar()
                if self._person is None:
                    conn.execute(insert_or_ignore(conn, tables.people, ["handle"]), {
                        "id": new_id(), "handle": LOCAL, "created_at": datetime.now(UTC)})
                    self._person = conn.execute(_LOCAL_PERSON).scalar_one()
                yield conn
        except BaseException:
            if finding:  # a person made in a transaction that did not commit is not there
                self._person = None
            raise

    # --- writing -----------------------------------------------------------

    def add(self, *records: Record) -> None:
        """Save new records, all in one transaction: all or none."""
        try:
            with self._writing() as conn:
                for record in records:
                    conn.execute(_INSERTS[type(record)], self._row(record))
                summaries.written(conn, self.person_id, added=records)
        except IntegrityError as err:
            raise BadInput(f"not saved: {_reason(err)}") from None

    def add_once(self, record: Record, *, in_its_episode: bool = False) -> tuple[Record, bool]:
        """Save a record whose id the client chose, unless it is already saved:
        a retry of the same create gives back the first record and stores
        nothing new. Returns the stored record and whether it was new. With
        ``in_its_episode``, the record belongs to the episode going on at its
        time (``episode_at``, found in the same transaction, so an episode
        ended or begun meanwhile counts as it now is), or to none."""
        model = type(record)
        table = _table(model)
        try:
            with self._writing() as conn:
                if in_its_episode:
                    episode = self._episode_at(conn, getattr(record, TIME_COLUMN[model]))
                    joined = episode.id if episode else None
                    record = record.model_copy(update={"episode_id": joined})
                new = conn.execute(insert_or_ignore(conn, table, ["id"], returning="id"),
                                   self._row(record)).first()
                if new is not None:
                    summaries.written(conn, self.person_id, added=(record,))
                    return record, True
                kept = self._by_id(conn, model, record.id)
        except IntegrityError as err:
            raise BadInput(f"not saved: {_reason(err)}") from None
        if kept is None:
            raise BadInput(f"the id {record.id} is already used by another record")
        return kept, False

    def find(self, model: type[Record], record_id: str) -> Any:
        """This person's record of that kind with that id, or None."""
        with self._reading() as conn:
            return self._by_id(conn, model, record_id)

    def _by_id(self, conn: Connection, model: type[Record], record_id: str) -> Record | None:
        return self._first(conn, model, _by_id_query(model), record_id=record_id)

    def _first(self, conn: Connection, model: type[Record], query: Select[Any],
               **params: Any) -> Record | None:
        """The first of this person's records of one kind that ``query`` (one
        of ``_mine(model)``, narrowed) gives."""
        _, names = _mine(model)
        row = conn.execute(query, {"person": self.person_id, **params}).first()
        return None if row is None else model.model_validate(dict(zip(names, row, strict=True)))

    def replace(self, record: Record, now: datetime | None = None) -> None:
        """Save a changed record (same id). An episode must still hold its
        own records (``now`` is the moment the messages say times beside)."""
        with self._writing() as conn:
            old = self._by_id(conn, type(record), record.id)
            if old is None:
                raise NotFound(f"no such record {record.id}")
            if isinstance(record, Episode):
                self._check_span(conn, record, now or datetime.now(UTC))
            self._update(conn, old, record)

    # --- correcting: every edit and deletion kept in the audit trail -----------

    def locate(self, ref: str) -> Record:
        """A record of any kind by its id or an unambiguous start of it (at
        least four of its characters, as ``spasmcare history`` shows them)."""
        ref = ref.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{4,32}", ref):
            raise BadInput(f"{ref!r} is not a record's id: give the id shown beside it "
                           "(at least its first four characters)")
        found: list[Record] = []
        with self._reading() as conn:
            for model, table, _ in KINDS:
                query, names = _mine(model)
                rows = conn.execute(query.where(table.c.id.startswith(ref)).limit(2),
                                    {"person": self.person_id})
                found += [model.model_validate(dict(zip(names, r, strict=True))) for r in rows]
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFound(f"no record has the id {ref!r}")
        raise BadInput(f"{len(found)} records have ids starting {ref!r}; give more of the id")

    def correct(self, record: Record, now: datetime) -> Change | None:
        """Save an edited record (same id) and keep the edit in the audit
        trail, in one transaction; None when nothing changed. A record whose
        time moved joins the episode going on at its new time; an episode's
        start and end cannot move past its own records."""
        model = type(record)
        with self._writing() as conn:
            old = self._by_id(conn, model, record.id)
            if old is None:
                raise NotFound(f"no {SAID[model]} has the id {record.id}")
            when = TIME_COLUMN[model]
            if "episode_id" in model.model_fields and getattr(old, when) != getattr(record, when):
                episode = self._episode_at(conn, getattr(record, when))
                record = record.model_copy(update={"episode_id": episode.id if episode else None})
            if record == old:
                return None
            if isinstance(record, Episode):
                self._check_span(conn, record, now)
            self._update(conn, old, record)
            change = Change(new_id(), now, "edited", model, record.id, before=old, after=record)
            audit.write(conn, self.person_id, change)
        return change

    def delete(self, model: type[Record], record_id: str, now: datetime) -> Change:
        """Delete a record, kept in the audit trail so that ``undo`` can put
        it back. A deleted episode's records stay in the diary, outside any
        episode (the change lists them)."""
        table = _table(model)
        with self._writing() as conn:
            old = self._by_id(conn, model, record_id)
            if old is None:
                raise NotFound(f"no {SAID[model]} has the id {record_id}")
            detached: dict[str, tuple[str, ...]] = {}
            if model is Episode:
                for part, part_table, _ in KINDS:
                    if "episode_id" in part_table.c:
                        ids = tuple(conn.execute(
                            update(part_table).where(part_table.c.episode_id == record_id)
                            .values(episode_id=None).returning(part_table.c.id)).scalars())
                        if ids:
                            detached[NAMES[part]] = ids
            conn.execute(delete(table).where(table.c.id == record_id,
                                             table.c.person_id == self.person_id))
            summaries.written(conn, self.person_id, removed=(old,))
            change = Change(new_id(), now, "deleted", model, record_id, before=old, after=None,
                            detached=detached)
            audit.write(conn, self.person_id, change)
        return change

    def undo(self, now: datetime, change_id: str | None = None) -> Change:
        """Undo a change (by default the latest not yet undone): an edit
        puts the record back as it was, a deletion puts the record back (and
        a deleted episode's records back in it). The undo is a change of its
        own in the audit trail. Refused when the record changed since."""
        with self._writing() as conn:
            target = self._undoable(conn, change_id)
            model = target.model
            current = self._by_id(conn, model, target.record_id)
            if target.action == "deleted":
                if current is not None:
                    raise Conflict("it is already back in the diary")
                kept = target.before
                assert kept is not None
                self._put_back(conn, kept, target.detached)
                change = Change(new_id(), now, "restored", model, kept.id, before=None,
                                after=kept, undoes=target.id)
            else:
                if current is None or current != target.after:
                    raise Conflict("the record has changed since; undo the later change "
                                   "first" if current else "the record has been deleted since")
                assert target.before is not None and target.after is not None
                if isinstance(target.before, Episode):
                    self._check_span(conn, target.before, now)
                self._update(conn, current, target.before)
                change = Change(new_id(), now, "edited", model, current.id, before=current,
                                after=target.before, undoes=target.id)
            audit.write(conn, self.person_id, change)
        return change

    def changes(self, limit: int = 50) -> list[Change]:
        """The audit trail, newest first."""
        with self._reading() as conn:
            return audit.read(conn.execute(audit.mine(self.person_id).limit(limit)))

    def edited(self, conn: Connection | None = None) -> set[str]:
        """The ids of this person's records edited after they were saved (on
        ``conn``, a snapshot, when given)."""
        table = audit.CHANGES
        query = select(table.c.record_id).distinct().where(
            table.c.person_id == self.person_id, table.c.action == "edited")
        if conn is not None:
            return set(conn.execute(query).scalars())
        with self._reading() as own:
            return set(own.execute(query).scalars())

    def _undoable(self, conn: Connection, change_id: str | None) -> Change:
        table = audit.CHANGES
        undone = select(table.c.undoes).where(table.c.person_id == self.person_id,
                                              table.c.undoes.is_not(None))
        query = audit.mine(self.person_id).where(table.c.undoes.is_(None),
                                                 table.c.id.not_in(undone))
        if change_id is not None:
            query = audit.mine(self.person_id).where(table.c.id == change_id)
        found = audit.read(conn.execute(query.limit(1)))
        if not found:
            if change_id is None:
                raise NotFound("there is nothing to undo: no record has been edited or deleted")
            raise NotFound(f"no change has the id {change_id}")
        target = found[0]
        if target.undoes is not None:
            raise Conflict("that change was itself an undo")
        if change_id is not None and conn.execute(
                select(table.c.id).where(table.c.undoes == target.id)).first():
            raise Conflict("that change has already been undone")
        return target

    def _update(self, conn: Connection, old: Record, new: Record) -> None:
        model = type(new)
        table = _table(model)
        values = self._row(new)
        if model is Episode:  # a kept adherence figure of the old episode no longer holds
            values["generation"] = table.c.generation + 1
        conn.execute(update(table).where(table.c.id == new.id,
                                         table.c.person_id == self.person_id).values(values))
        summaries.written(conn, self.person_id, added=(new,), removed=(old,))

    def _put_back(self, conn: Connection, record: Record,
                  detached: Mapping[str, Sequence[str]]) -> None:
        if "episode_id" in type(record).model_fields and record.episode_id is not None \
                and self._by_id(conn, Episode, record.episode_id) is None:
            record = record.model_copy(update={"episode_id": None})  # its episode is gone
        conn.execute(_INSERTS[type(record)], self._row(record))
        summaries.written(conn, self.person_id, added=(record,))
        for kind, ids in detached.items():
            table = _table(CORRECTED_KINDS[kind])
            conn.execute(update(table).where(table.c.id.in_(list(ids)),
                                             table.c.person_id == self.person_id,
                                             table.c.episode_id.is_(None))
                         .values(episode_id=record.id))

    def _check_span(self, conn: Connection, episode: Episode, now: datetime) -> None:
        """Refuse an episode's start or end that would leave its own records outside it."""
        for model, table, _ in KINDS:
            if "episode_id" not in table.c:
                continue
            when = table.c[TIME_COLUMN[model]]
            first, last = conn.execute(select(func.min(when), func.max(when)).where(
                table.c.episode_id == episode.id, table.c.person_id == self.person_id)).one()
            if first is not None and first < episode.onset:
                raise BadInput(f"not changed: the episode has a {SAID[model]} from "
                               f"{said_date_time(first, now)}, before the new start; choose an "
                               "earlier start, or move or delete that record first")
            if last is not None and episode.ended_at is not None and last > episode.ended_at:
                raise BadInput(f"not changed: the episode has a {SAID[model]} from "
                               f"{said_date_time(last, now)}, after the new end; choose a later "
                               "end, or move or delete that record first")

    def import_diary(self, diary: Diary) -> ImportResult:
        """Add every record of ``diary`` that is not already here, in one
        transaction: importing the same export twice adds nothing the second time."""
        added = skipped = 0
        with self._writing() as conn:
            for model, _, field in KINDS:
                records: list[Record] = getattr(diary, field)
                table = _table(model)
                ids = [r.id for r in records]
                mine, others = self._existing(conn, table, ids)
                if others:
                    raise BadInput(f"the import holds {len(others)} record(s) that belong to "
                                   "another person's diary in this database; nothing was imported")
                new = [r for r in records if r.id not in mine]
                stored: set[str] = set()
                if new:
                    # Or-ignore: an import running at the same time may have
                    # stored some of them since they were looked for.
                    try:
                        stored = set(conn.execute(
                            insert_or_ignore(conn, table, ["id"], returning="id"),
                            [self._row(r) for r in new]).scalars())
                    except IntegrityError as err:
                        raise BadInput(f"the import is inconsistent ({field}): "
                                       f"{_reason(err)}; nothing was imported") from None
                    summaries.written(conn, self.person_id,
                                      added=[r for r in new if r.id in stored])
                added += len(stored)
                skipped += len(records) - len(stored)
        return ImportResult(added, skipped)

    def _existing(self, conn: Connection, table: Table,
                  ids: Sequence[str]) -> tuple[set[str], set[str]]:
        mine: set[str] = set()
        others: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for rid, owner in conn.execute(select(table.c.id, table.c.person_id)
                                           .where(table.c.id.in_(chunk))):
                (mine if owner == self.person_id else others).add(rid)
        return mine, others

    def _row(self, record: Record) -> dict[str, Any]:
        row = {**record.model_dump(mode="python"), "person_id": self.person_id}
        if isinstance(record, MedicineTaken):
            row["name_key"] = summaries.name_key(record.name)
        return row

    # --- reading -----------------------------------------------------------

    def records(self, model: type[Record], since: datetime | None = None,
                until: datetime | None = None) -> list[Any]:
        """This person's records of one kind, oldest first, optionally in [since, until)."""
        with self._reading() as conn:
            return self.read(conn, model, since, until)

    def read(self, conn: Connection, model: type[Record], since: datetime | None = None,
             until: datetime | None = None) -> list[Any]:
        """``records`` on a connection already open (a ``snapshot``)."""
        table = _table(model)
        when = table.c[TIME_COLUMN[model]]
        query, names = _mine(model)
        query = query.order_by(when, table.c.id)
        if since is not None:
            query = query.where(when >= since)
        if until is not None:
            query = query.where(when < until)
        rows = conn.execute(query, {"person": self.person_id}).all()
        return list_adapter(model).validate_python([dict(zip(names, r, strict=True))
                                                     for r in rows])

    def diary(self, since: datetime | None = None, until: datetime | None = None,
              only: Sequence[str] | None = None) -> Diary:
        """Everything (or the record kinds named in ``only``, by their Diary
        field), read in one transaction so the parts agree with each other."""
        with self.snapshot() as conn:
            return Diary(**{field: self.read(conn, model, since, until)
                            for model, _, field in KINDS if only is None or field in only})

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only transaction in which every read sees the same moment
        of the database, whatever is written meanwhile."""
        with self._reading() as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield conn

    def episodes(self) -> list[Episode]:
        return self.records(Episode)

    def episode_at(self, moment: datetime) -> Episode | None:
        """The episode something that happened at ``moment`` belongs to: the
        latest that had begun by then and had not yet ended; None when no
        episode was going on (before the first, or between two)."""
        with self._reading() as conn:
            return self._episode_at(conn, moment)

    def _episode_at(self, conn: Connection, moment: datetime) -> Episode | None:
        found = self._first(conn, Episode, _episode_at_query(), at=moment)
        return found if isinstance(found, Episode) else None

    def open_episode(self) -> Episode | None:
        """The most recent episode that has not ended, if any: one indexed row,
        not every episode, since every create asks for it."""
        with self._reading() as conn:
            found = self._first(conn, Episode, _open_episode_query())
        return found if isinstance(found, Episode) else None

    def plan(self, episode: Episode, now: datetime, rules: CarePlanRules, *,
             wake: str | None = None, sleep: str | None = None, days: int = 1) -> Plan:
        """The episode's care plan as the diary has it (``episode_plan``: what
        was done moves what comes next; check-ins gate and step back), in the
        person's own waking hours unless ``wake`` and ``sleep`` are given."""
        mine = self.settings()
        # The sessions the plan follows: the episode's own, from the day before
        # it began; what helped: counted by the database over the last year.
        since = episode.onset - timedelta(days=1)
        with self.snapshot() as conn:
            done = self.read(conn, TreatmentSession, since=since)
            felt = self.read(conn, PainEntry, since=episode.onset)
            helped = relief_figures(*self._relief_counts(
                conn, min(since, now - timedelta(days=365))))
        return episode_plan(episode, done, now, rules, days=days, check_ins=felt,
                            helped=helped,
                            wake=parse_clock(wake or mine.wake, "the wake time"),
                            sleep=parse_clock(sleep or mine.sleep, "the sleep time"))

    def _relief_counts(self, conn: Connection, since: datetime) -> tuple[
            dict[TreatmentKind, int], dict[TreatmentKind, dict[int, int]]]:
        """Sessions from ``since`` on, counted by kind, and by kind and relief
        (pain before minus after, where both were given): what
        ``relief_figures`` needs, without reading the sessions themselves."""
        table = tables.treatment_sessions
        mine = (table.c.person_id == self.person_id, table.c.started_at >= since)
        logged = {TreatmentKind(kind): n for kind, n in conn.execute(
            select(table.c.kind, func.count()).where(*mine).group_by(table.c.kind))}
        relief = table.c.pain_before - table.c.pain_after
        reliefs: dict[TreatmentKind, dict[int, int]] = {}
        for kind, eased, n in conn.execute(
                select(table.c.kind, relief, func.count())
                .where(*mine, table.c.pain_before.is_not(None), table.c.pain_after.is_not(None))
                .group_by(table.c.kind, relief)):
            reliefs.setdefault(TreatmentKind(kind), {})[int(eased)] = n
        return logged, reliefs

    def episode(self, ref: str) -> Episode:
        """An episode by id or by an unambiguous start of its id."""
        ref = ref.strip().lower()
        matches = [e for e in self.episodes() if e.id.startswith(ref)] if len(ref) >= 4 else []
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise BadInput(f"no episode with id {ref!r}; 'spasmcare episode list' shows them")
        raise BadInput(f"{len(matches)} episodes start with {ref!r}; give more of the id")

    def began(self, conn: Connection) -> datetime | None:
        """When the diary's first record was made: the earliest of each kind,
        each found by its (person, time) index."""
        firsts = [select(func.min(table.c[TIME_COLUMN[model]]))
                  .where(table.c.person_id == self.person_id).scalar_subquery()
                  for model, table, _ in KINDS]
        found = [first for first in conn.execute(select(*firsts)).one() if first is not None]
        return min(found, default=None)

    # --- settings ----------------------------------------------------------

    def settings(self) -> PersonSettings:
        table = tables.settings
        with self._reading() as conn:
            row = conn.execute(select(table).where(table.c.person_id == self.person_id)).first()
        return PersonSettings(row.wake, row.sleep, row.units) if row else PersonSettings()

    def save_settings(self, settings: PersonSettings) -> None:
        table = tables.settings
        values = {"wake": settings.wake, "sleep": settings.sleep, "units": settings.units}
        with self._writing() as conn:
            conn.execute(upsert(conn, table, ["person_id"], values)
                         .values(person_id=self.person_id, **values))

