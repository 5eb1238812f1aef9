"""The knowledge base over HTTP: topics, entries with their evidence notes and
example questions, disagreements between sources, and the sources themselves."""

from __future__ import annotations

from spasmcare.core.knowledge import Disagreement, Entry, Source, SourceKind, Topic
from spasmcare.web.api.schemas.values import Public


class TopicPublic(Public):
    id: str
    label: str
    covers: str


class EvidencePublic(Public):
    text: str
    sources: list[str]


class EntryPublic(Public):
    """A CONTRACTS section 4 item, with its evidence note and example questions."""

    id: str
    topic: str | None
    title: str
    text: str
    sources: list[str]
    evidence: EvidencePublic | None
    questions: list[str]


class PositionPublic(Public):
    claim: str
    sources: list[str]


class DisagreementPublic(Public):
    id: str
    subject: str
    topics: list[str]
    positions: list[PositionPublic]
    choice: str
    choice_sources: list[str]


class SourcePublic(Public):
    id: str
    title: str
    kind: SourceKind
    publisher: str | None
    year: int | None


def topic_public(topic: Topic) -> TopicPublic:
    return TopicPublic.model_validate(topic)


def entry_public(entry: Entry) -> EntryPublic:
    return EntryPublic.model_validate(entry)


def disagreement_public(disagreement: Disagreement) -> DisagreementPublic:
    return DisagreementPublic.model_validate(disagreement)


def source_public(source: Source) -> SourcePublic:
    return SourcePublic.model_validate(source)
