"""The database tables (SQLAlchemy ORM rows). Rows never leave the store:
``spasmcare.store.mapping`` turns them into the core's records and back.

The migrations in ``migrations/versions`` create exactly these tables; a test
checks that the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _id() -> Mapped[str]:
    return mapped_column(String(32), primary_key=True)


def _person() -> Mapped[str]:
    return mapped_column(String(32), ForeignKey("people.id", ondelete="CASCADE"), index=True)


def _episode() -> Mapped[str | None]:
    return mapped_column(String(32), ForeignKey("episodes.id", ondelete="SET NULL"), index=True)


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[str] = _id()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SettingsRow(Base):
    __tablename__ = "settings"

    person_id: Mapped[str] = mapped_column(String(32), ForeignKey("people.id", ondelete="CASCADE"),
                                           primary_key=True)
    wake: Mapped[str] = mapped_column(String(5))
    sleep: Mapped[str] = mapped_column(String(5))
    units: Mapped[str] = mapped_column(String(10))


class EpisodeRow(Base):
    __tablename__ = "episodes"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = _person()
    onset: Mapped[datetime] = mapped_column(UTCDateTime())
    region: Mapped[str | None] = mapped_column(String(10))
    side: Mapped[str | None] = mapped_column(String(10))
    triggers: Mapped[list[str]] = mapped_column(JSON)
    trigger_note: Mapped[str | None] = mapped_column(Text)
    triage_urgency: Mapped[str | None] = mapped_column(String(10))
    triage_answers: Mapped[dict[str, bool]] = mapped_column(JSON)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_episodes_person_onset", "person_id", "onset"),)


class PainRow(Base):
    __tablename__ = "pain_entries"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = _person()
    episode_id: Mapped[str | None] = _episode()
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    pain: Mapped[int] = mapped_column(Integer)
    impact: Mapped[str] = mapped_column(String(10))
    severity: Mapped[str] = mapped_column(String(10))
    stiffness: Mapped[int | None] = mapped_column(Integer)
    mobility: Mapped[str | None] = mapped_column(String(15))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("pain BETWEEN 0 AND 10", name="pain_range"),
        CheckConstraint("stiffness IS NULL OR stiffness BETWEEN 0 AND 10", name="stiffness_range"),
        Index("ix_pain_entries_person_at", "person_id", "at"),
    )


class SessionRow(Base):
    __tablename__ = "treatment_sessions"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = _person()
    episode_id: Mapped[str | None] = _episode()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(10))
    minutes: Mapped[float] = mapped_column(Float)
    pain_before: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    completed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("pain_before IS NULL OR pain_before BETWEEN 0 AND 10", name="before_range"),
        CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="after_range"),
        Index("ix_treatment_sessions_person_started", "person_id", "started_at"),
    )


class MedicineRow(Base):
    __tablename__ = "medicines"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = _person()
    episode_id: Mapped[str | None] = _episode()
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    name: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)


class HabitRow(Base):
    __tablename__ = "habit_logs"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = _person()
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[float] = mapped_column(Float)

    __table_args__ = (CheckConstraint("amount >= 0", name="amount_nonnegative"),)
