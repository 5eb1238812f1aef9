"""Terminal view of an answer to a question (Rich, imported on first use)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from spasmcare.cli.render import URGENCY_STYLE, console, esc, sources

CRISIS_STYLE = "bold white on blue"

if TYPE_CHECKING:
    from spasmcare.core.questions.answering import Answer


def answer(result: Answer, labels: Mapping[str, str]) -> None:
    """Crisis support first when the question speaks of suicide or
    self-harm, else the safety message when it describes a warning sign; then
    the entries with their sources and evidence, or what SpasmCare covers."""
    from rich.panel import Panel

    con = console()
    con.rule(f"[bold]{esc(result.question.strip() or '(no question)')}")
    safety = result.safety
    if safety.crisis:  # calm, and first: crisis support before anything about the back
        support = (safety.message or "").removesuffix(safety.advice or "").strip()
        con.print(Panel(esc(support), title=f"[{CRISIS_STYLE}] SUPPORT NOW [/]",
                        title_align="left", border_style="blue"))
    if safety.advice and safety.warning is not None:
        tier = safety.warning.value
        style = URGENCY_STYLE[tier]
        con.print(Panel(esc(safety.advice), title=f"[{style}] {tier.upper()} [/]",
                        title_align="left", border_style=style.split()[-1]))
    if not result.in_scope:
        con.print(esc(result.reply or ""))
        return
    for item in result.answers:
        label = labels.get(item.topic, item.topic)
        con.print(f"\n[bold]{esc(item.title)}[/bold]  "
                  f"[dim]{esc(label)} · match {item.score:.2f}[/dim]")
        con.print(esc(item.text))
        if item.evidence:
            con.print(f"[italic]What the evidence says: {esc(item.evidence.text)}[/italic] "
                      + sources(item.evidence.sources))
        con.print(sources(item.sources))
