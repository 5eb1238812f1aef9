"""``spasmcare kb``: the knowledge base, whole or by topic."""

from __future__ import annotations

import typer

from spasmcare.cli import io, render
from spasmcare.core.errors import BadInput
from spasmcare.core.loader import load_knowledge


def kb_command(
    topic: str = typer.Option(None, "--topic", help="Only the entries on this topic id."),
    as_json: bool = typer.Option(False, "--json", help="Print the entries as a JSON array."),
) -> None:
    """The advice SpasmCare gives, in its own words, with its sources and disagreements."""
    kb = load_knowledge()
    topics = {t.id: t.label for t in kb.topics}
    if topic is not None and topic not in topics:
        raise BadInput(f"unknown topic {topic!r}; known topics: {', '.join(topics)}")
    entries = [e for e in kb.entries if topic is None or e.topic == topic]
    if as_json:
        io.print_json([
            {"id": e.id, "topic": e.topic, "title": e.title, "text": e.text,
             "sources": list(e.sources)}
            for e in entries
        ])
        return
    order = {t: i for i, t in enumerate(topics)}
    entries.sort(key=lambda e: order.get(e.topic or "", len(order)))
    disagreements = kb.disagreements_on(topic) if topic else list(kb.disagreements)
    render.entries(entries, disagreements, topics)
