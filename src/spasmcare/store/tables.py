"""The database tables, as SQLAlchemy Core tables. Rows never leave the store:
``spasmcare.store.diary`` turns them into the core's records and back.

The store's queries are all Core SQL, so there is no ORM mapping: importing
the ORM layer cost a tenth of a second at every start. The migrations in
``migrations/versions`` create exactly these tables; a test checks that the
two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores instants in UTC on every database and gives them back as aware
    UTC datetimes (SQLite has no time zone type of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a datetime without a time zone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _id() -> Column[str]:
    return Column("id", String(32), primary_key=True)


def _person() -> Column[str]:
    return Column("person_id", String(32), ForeignKey("people.id", ondelete="CASCADE"),
                  nullable=False, index=True)


def _episode() -> Column[str]:
    return Column("episode_id", String(32), ForeignKey("episodes.id", ondelete="SET NULL"),
                  index=True)


people = Table(
    "people", metadata,
    _id(),
    Column("created_at", UTCDateTime(), nullable=False),
    # "local" for the one person of a local diary; unique, so simultaneous
    # first requests cannot create the person twice (migration 0003).
    Column("handle", String(64)),
    Index("ix_people_handle", "handle", unique=True),
)

settings = Table(
    "settings", metadata,
    Column("person_id", String(32), ForeignKey("people.id", ondelete="CASCADE"),
           primary_key=True),
    Column("wake", String(5), nullable=False),
    Column("sleep", String(5), nullable=False),
    Column("units", String(10), nullable=False),
)

episodes = Table(
    "episodes", metadata,
    _id(), _person(),
    Column("onset", UTCDateTime(), nullable=False),
    Column("region", String(10)),
    Column("side", String(10)),
    Column("triggers", JSON, nullable=False),
    Column("trigger_note", Text),
    Column("triage_urgency", String(10)),
    Column("triage_answers", JSON, nullable=False),
    Column("ended_at", UTCDateTime()),
    Column("note", Text),
    # Bumped by every write that can change the episode's plan adherence (its
    # own edits, sessions near it), so a cached figure knows it is out of date.
    Column("generation", Integer, nullable=False, server_default="0"),
    Index("ix_episodes_person_onset", "person_id", "onset"),
)

pain_entries = Table(
    "pain_entries", metadata,
    _id(), _person(), _episode(),
    Column("at", UTCDateTime(), nullable=False),
    Column("pain", Integer, nullable=False),
    Column("impact", String(10)),  # None: not answered
    Column("severity", String(10), nullable=False),
    Column("stiffness", Integer),
    Column("mobility", String(15)),
    Column("worse_next_morning", Boolean),
    Column("note", Text),
    CheckConstraint("pain BETWEEN 0 AND 10", name="pain_range"),
    CheckConstraint("stiffness IS NULL OR stiffness BETWEEN 0 AND 10", name="stiffness_range"),
    Index("ix_pain_entries_person_at", "person_id", "at"),
)

treatment_sessions = Table(
    "treatment_sessions", metadata,
    _id(), _person(), _episode(),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("minutes", Float, nullable=False),
    Column("pain_before", Integer),
    Column("pain_after", Integer),
    Column("completed", Boolean, nullable=False),
    Column("note", Text),
    CheckConstraint("minutes > 0", name="minutes_positive"),
    CheckConstraint("pain_before IS NULL OR pain_before BETWEEN 0 AND 10", name="before_range"),
    CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="after_range"),
    Index("ix_treatment_sessions_person_started", "person_id", "started_at"),
)

medicines = Table(
    "medicines", metadata,
    _id(), _person(), _episode(),
    Column("at", UTCDateTime(), nullable=False),
    Column("name", String(120), nullable=False),
    Column("note", Text),
    Column("name_key", String(480), nullable=False),  # the name casefolded
    Index("ix_medicines_person_at", "person_id", "at"),
    Index("ix_medicines_person_name_key", "person_id", "name_key", "at"),
)

habit_logs = Table(
    "habit_logs", metadata,
    _id(), _person(),
    Column("at", UTCDateTime(), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("amount", Float, nullable=False),
    CheckConstraint("amount >= 0", name="amount_nonnegative"),
    Index("ix_habit_logs_person_at", "person_id", "at"),
)

# What the insights need from a long diary, kept as it is written (migration
# 0005; ``spasmcare.store.summaries``) so that they cost the same at any size.
diary_counts = Table(
    "diary_counts", metadata,
    Column("person_id", String(32), ForeignKey("people.id", ondelete="CASCADE"),
           primary_key=True),
    Column("counter", String(20), primary_key=True),
    Column("key", String(480), primary_key=True),
    Column("n", Integer, nullable=False),
)

adherence_cache = Table(
    "adherence_cache", metadata,
    Column("episode_id", String(32), ForeignKey("episodes.id", ondelete="CASCADE"),
           primary_key=True),
    Column("basis", String(64), primary_key=True),   # time zone, waking hours, rules
    _person(),
    Column("generation", Integer, nullable=False),   # the episode's when computed
    Column("days_planned", Integer, nullable=False),
    Column("days_followed", Integer, nullable=False),
)

# The audit trail (migration 0007): every edit and deletion of a record, with
# the record as it was and as it became, so that a mis-tap loses nothing, an
# undo can put it back, and the clinician's report can say "edited".
record_changes = Table(
    "record_changes", metadata,
    _id(), _person(),
    Column("made_at", UTCDateTime(), nullable=False),
    Column("action", String(10), nullable=False),     # edited, deleted, restored
    Column("kind", String(10), nullable=False),       # corrections.NAMES
    Column("record_id", String(32), nullable=False),  # no key: it may be deleted
    Column("before", JSON),   # the record as it was; None: it was not there
    Column("after", JSON),    # the record as it became; None: deleted
    # The records that a deleted episode left outside any episode, by kind,
    # so that undoing the deletion puts them back in it.
    Column("detached", JSON, nullable=False),
    Column("undoes", String(32)),  # the change this one undid
    Index("ix_record_changes_person_made", "person_id", "made_at"),
    Index("ix_record_changes_record_id", "record_id"),
    Index("ix_record_changes_undoes", "undoes"),
)
