"""Readable terminal output with Rich. Rich is imported on first use so that
the ``--json`` paths start quickly."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from spasmcare.core.careplan import Plan
    from spasmcare.core.knowledge import Disagreement, Entry
    from spasmcare.core.triage import Assessment

URGENCY_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "soon": "bold black on yellow",
    "self-care": "bold black on green",
}
KIND_LABEL = {
    "ice": "Ice", "heat": "Heat", "walk": "Walk", "stretch": "Stretch",
    "strength": "Strength", "break": "Get up",
}

_state: dict[str, Any] = {"stderr": False, "console": None}


def use_stderr(flag: bool) -> None:
    """Send prompts and text to standard error (when stdout carries JSON)."""
    if flag != _state["stderr"]:
        _state.update(stderr=flag, console=None)


def console() -> Console:
    if _state["console"] is None:
        from rich.console import Console

        _state["console"] = Console(stderr=_state["stderr"], highlight=False)
    return _state["console"]  # type: ignore[no-any-return]


def esc(text: str) -> str:
    """Knowledge-base and user text, made safe to embed in Rich markup."""
    from rich.markup import escape

    return escape(text)


def say(text: str) -> None:
    console().print(esc(text))


def heading(text: str) -> None:
    console().rule(f"[bold]{esc(text)}")


def ask(question: str) -> str:
    con = console()
    con.print(f"[bold]{esc(question)}[/bold] ", end="")
    return con.input()


def sources(ids: Iterable[str]) -> str:
    """The sources cited, by their titles (``spasmcare kb`` and the web app's
    source list give the rest), never by their file names."""
    titles = _source_titles()
    return "[dim]Sources: " + esc("; ".join(titles.get(i, i) for i in ids)) + "[/dim]"


@functools.cache
def _source_titles() -> dict[str, str]:
    from spasmcare.core.loader import load_knowledge

    return {s.id: s.title for s in load_knowledge().sources}


def assessment(result: Assessment) -> None:
    from rich.panel import Panel

    con = console()
    style = URGENCY_STYLE[result.urgency.value]
    body = [esc(result.advice)]
    for reason in result.reasons:
        body += ["", f"[bold]• {reason.finding.replace('_', ' ')}[/bold] ({reason.urgency.value})",
                 f"  {esc(reason.message)}", f"  {sources(reason.sources)}"]
    con.print(Panel("\n".join(body), title=f"[{style}] {result.urgency.value.upper()} [/]",
                    title_align="left", border_style=style.split()[-1]))


def findings(rows: Sequence[dict[str, str]]) -> None:
    from rich.table import Table

    table = Table("id", "tier", "question", show_lines=False)
    for row in rows:
        table.add_row(row["id"], row["tier"], esc(row["question"]))
    console().print(table)


def plan(p: Plan, summary: str) -> None:
    from rich.panel import Panel
    from rich.table import Table

    con = console()
    from datetime import timedelta

    from spasmcare.core.clock import said_minutes, said_span

    since = said_span(timedelta(hours=p.hours_since_onset))
    con.rule(f"[bold]Your plan · {p.phase} phase · {since} since it began")
    for note in (g for g in p.guidance if g.pathway):
        con.print(Panel(f"{esc(note.text)}\n{sources(note.sources)}",
                        title=f"[bold]{esc(note.heading or 'Next step')}", border_style="yellow"))
    con.print(esc(summary))
    for note in (g for g in p.guidance if g.lead):
        con.print(f"[bold]{esc(note.heading or '')}:[/bold] {esc(note.text)} "
                  f"{sources(note.sources)}")
    if p.done:
        done = ", ".join(f"{KIND_LABEL[d.kind.value].lower()} {d.start:%H:%M} "
                         f"({said_minutes(d.minutes)})" for d in p.done)
        con.print(f"[green]Done today:[/green] {esc(done)}. The times below follow on from it.")
    if p.missed:
        earlier = ", ".join(f"{KIND_LABEL[s.kind.value].lower()} {s.start:%H:%M}" for s in p.missed)
        con.print(f"[yellow]Earlier today, not recorded:[/yellow] {esc(earlier)}. You can still "
                  "do it now (spasmcare timer or treat); the times below move on from it.")
    table = Table("when", "what", "min", "how", show_lines=True, expand=True)
    for s in p.sessions:
        how = esc(s.instructions)
        if s.safety:
            how += "\n[italic]" + esc(" ".join(s.safety)) + "[/italic]"
        table.add_row(s.start.strftime("%a %H:%M"), KIND_LABEL[s.kind.value], str(s.minutes),
                      how + "\n" + sources(s.sources))
    con.print(table)
    if p.guidance:
        con.rule("[bold]Also")
        for g in (g for g in p.guidance if not (g.pathway or g.lead)):
            head = f"[bold]{esc(g.heading)}:[/bold] " if g.heading else ""
            con.print(f"• {head}{esc(g.text)}\n  {sources(g.sources)}")
    if p.evidence_notes:
        con.rule("[bold]What the evidence says")
        for n in p.evidence_notes:
            con.print(f"• {esc(n.text)}\n  {sources(n.sources)}")


def entries(items: Sequence[Entry], disagreements: Sequence[Disagreement],
            labels: dict[str, str]) -> None:
    con = console()
    topic = object()
    for e in items:
        if e.topic != topic:
            topic = e.topic
            con.rule(f"[bold]{esc(labels.get(e.topic or '', 'Care plan sessions'))}")
        con.print(f"[bold]{esc(e.title)}[/bold]  [dim]({e.id})[/dim]")
        con.print(esc(e.text))
        if e.evidence:
            con.print(f"[italic]Evidence: {esc(e.evidence.text)}[/italic] "
                      f"{sources(e.evidence.sources)}")
        con.print(sources(e.sources) + "\n")
    for d in disagreements:
        con.print(f"[bold yellow]Where sources disagree: {esc(d.subject)}[/bold yellow]")
        for pos in d.positions:
            con.print(f"  – {esc(pos.claim)} {sources(pos.sources)}")
        con.print(f"  [bold]What SpasmCare does:[/bold] {esc(d.choice)} "
                  f"{sources(d.choice_sources)}\n")
