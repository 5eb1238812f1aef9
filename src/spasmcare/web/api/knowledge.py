"""/api/knowledge: topics, entries with their sources and evidence, disagreements."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.web import routing
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.knowledge import (
    DisagreementPublic,
    EntryPublic,
    SourcePublic,
    TopicPublic,
    disagreement_public,
    entry_public,
    source_public,
    topic_public,
)
from spasmcare.web.deps import KnowledgeDep

router = routing.router(prefix="/knowledge", tags=["knowledge"])

TopicQuery = Annotated[str | None, Query(max_length=80, description="Only this topic id.")]


def known_topic(kb: KnowledgeBase, topic: str | None) -> str | None:
    ids = [t.id for t in kb.topics]
    if topic is not None and topic not in ids:
        raise BadInput(f"unknown topic {topic!r}; known topics: {', '.join(ids)}")
    return topic


@router.get("/topics")
def topics(kb: KnowledgeDep) -> list[TopicPublic]:
    return [topic_public(t) for t in kb.topics]


@router.get("/entries", responses=problems(400, 422))
def entries(kb: KnowledgeDep, topic: TopicQuery = None) -> list[EntryPublic]:
    """The advice SpasmCare gives, each entry with its sources and evidence note."""
    wanted = known_topic(kb, topic)
    return [entry_public(e) for e in kb.entries if wanted is None or e.topic == wanted]


@router.get("/disagreements", responses=problems(400, 422))
def disagreements(kb: KnowledgeDep, topic: TopicQuery = None) -> list[DisagreementPublic]:
    """Where sources disagree, and which way SpasmCare goes."""
    wanted = known_topic(kb, topic)
    found = kb.disagreements_on(wanted) if wanted else kb.disagreements
    return [disagreement_public(d) for d in found]


@router.get("/sources")
def sources(kb: KnowledgeDep) -> list[SourcePublic]:
    """The articles and guidelines the entries cite, by id."""
    return [source_public(s) for s in kb.sources]
