"""``spasmcare triage`` and ``spasmcare start``: the red-flag check in the terminal."""

from __future__ import annotations

from datetime import datetime

import typer

from spasmcare.cli import io, render
from spasmcare.core import triage as core
from spasmcare.core.clock import parse_onset, said_date_time
from spasmcare.core.diary_terms import Region, Side, Trigger
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import TriageRules, Urgency
from spasmcare.core.loader import load_knowledge
from spasmcare.local_zone import local_zone

REPLIES = {"y": "yes", "yes": "yes", "n": "no", "no": "no",
           "?": "unsure", "not sure": "unsure", "unsure": "unsure", "ns": "unsure"}

TIER_HEADINGS = {
    Urgency.EMERGENCY: "First, the signs that need emergency help",
    Urgency.URGENT: "Next, the signs that need a doctor today",
    Urgency.SOON: "Last, the signs worth a doctor's or physiotherapist's appointment",
}


def triage_command(
    answers: str = typer.Option(None, "--answers", metavar="FILE",
                                help="A JSON answers file (CONTRACTS section 1); '-' for stdin. "
                                     "Without it, the questions are asked one by one."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    list_findings: bool = typer.Option(False, "--list", help="List the finding ids and tiers."),
) -> None:
    """Check for warning signs and say how urgently to get help."""
    rules = load_knowledge().triage
    if list_findings:
        rows = [{"id": f.id, "tier": f.tier.value, "question": f.question}
                for f in core.question_order(rules)]
        if as_json:
            io.print_json(rows)
        else:
            render.findings(rows)
        return
    if answers is not None:
        given = core.parse_answers(io.read_json(answers, "answers"), rules)
    else:
        given = ask_questions(rules, to_stderr=as_json)
    result = core.assess(given, rules)
    if as_json:
        io.print_json(result.to_dict())
    else:
        render.assessment(result)


def start_command() -> None:
    """Start here when your back has just gone: the warning-sign check, then the
    episode is recorded in your diary and today's plan is shown."""
    from spasmcare.cli.database import store
    from spasmcare.cli.plan import show_plan
    from spasmcare.core.diary import Episode, make

    kb, diary = load_knowledge(), store()
    given = ask_questions(kb.triage)
    result = core.assess(given, kb.triage)
    render.assessment(result)
    if result.urgency is Urgency.EMERGENCY:
        return
    now = datetime.now(local_zone())
    episode = diary.open_episode()
    if episode is None:
        while True:
            reply = render.ask("When did the spasm start? (now, 3h, 2d, or a date-time such as "
                               "2026-11-21T08:30)")
            try:
                onset = parse_onset(reply, now, local_zone())
                break
            except BadInput as err:
                render.say(str(err))
        region, side = _ask_where()
        episode = make(Episode, now, onset=onset, region=region, side=side,
                       triggers=_ask_triggers(), triage_urgency=result.urgency,
                       triage_answers={**given.findings, **dict.fromkeys(given.unsure, True)})
        diary.add(episode)
        render.say(f"Episode {episode.id[:8]} recorded in your diary. To add or change where "
                   f"it hurts or what set it off later: spasmcare edit {episode.id[:8]} "
                   "--where lower --side left --trigger lifting")
    else:
        render.say(f"Continuing your episode that began {said_date_time(episode.onset, now)}.")
    show_plan(diary, episode, now, kb)


def _optional(question: str) -> str:
    """A reply that may be left empty; the end of the input counts as empty."""
    try:
        return render.ask(question).strip().lower()
    except EOFError:
        return ""


def _ask_where() -> tuple[Region | None, Side | None]:
    """Where it hurts, as a part of the back and a side (either may be left out)."""
    while True:
        reply = _optional("Where does it hurt? A part (upper, middle, lower) and a side "
                          "(left, right, centre, both), such as 'lower left'; Enter to skip:")
        words = reply.replace(",", " ").replace("center", "centre").replace("middle of", "")
        parts = words.split()
        region = next((r for r in Region if r.value in parts), None)
        side = next((s for s in Side if s.value in parts), None)
        known = {r.value for r in Region} | {s.value for s in Side} | {"back", "side", "sides"}
        if not parts or all(p in known for p in parts):
            return region, side
        render.say("Please give a part of the back and a side, such as 'lower left', "
                   "or press Enter to skip.")


def _ask_triggers() -> tuple[Trigger, ...]:
    """What set it off: numbers or names from the list, any number of them."""
    listed = list(Trigger)
    menu = ", ".join(f"{n} {t.value.replace('-', ' ')}" for n, t in enumerate(listed, 1))
    while True:
        reply = _optional(f"What set it off? {menu}. Numbers or names, separated by commas; "
                          "Enter to skip:")
        chosen: list[Trigger] = []
        for part in filter(None, (p.strip() for p in reply.split(","))):
            found = (listed[int(part) - 1] if part.isdigit() and 1 <= int(part) <= len(listed)
                     else next((t for t in listed if t.value == part.replace(" ", "-")), None))
            if found is None:
                break
            if found not in chosen:
                chosen.append(found)
        else:
            return tuple(chosen)
        render.say(f"{part!r} is not on the list; give its number or name, or press Enter "
                   "to skip.")


def ask_questions(rules: TriageRules, *, to_stderr: bool = False) -> core.Answers:
    """Ask the findings one at a time, emergency tier first; an emergency
    answer (yes or not sure) ends the questions at once."""
    render.use_stderr(to_stderr)
    render.say("Answer each question: y (yes), n (no) or ? (not sure). "
               "'Not sure' counts as yes, to be safe.")
    answers = core.Answers()
    tier = None
    while (finding := core.next_question(answers, rules)) is not None:
        if finding.tier is not tier:
            tier = finding.tier
            render.heading(TIER_HEADINGS[tier])
        reply = _reply(finding.question, finding.hint)
        answers = answers.with_answer(finding.id, reply)
        if finding.id == "not_improving" and reply != "no":
            answers = _with_days(answers)
    emergency = any(answers.says_yes(f.id) for f in rules.findings
                    if f.tier is Urgency.EMERGENCY)
    return answers if emergency else _with_age(answers)


def _with_age(answers: core.Answers) -> core.Answers:
    """Age, asked once and optional: some warning signs weigh more before 20
    or after 50, and under 16 a doctor should look."""
    from dataclasses import replace

    while True:
        try:
            text = render.ask("How old are you? (optional: press Enter to skip)").strip()
        except EOFError:  # answers piped in without an age
            return answers
        if not text:
            return answers
        if text.isascii() and text.isdigit() and int(text) <= 120:
            return replace(answers, age=float(text))
        render.say("Please give your age in years, such as 42, or press Enter.")


def _reply(question: str, hint: str | None) -> core.Reply:
    while True:
        text = render.ask(question + (f"\n  ({hint})" if hint else "") + " [y/n/?]")
        reply = REPLIES.get(text.strip().lower())
        if reply is not None:
            return reply  # type: ignore[return-value]
        render.say("Please answer y, n or ?.")


def _with_days(answers: core.Answers) -> core.Answers:
    from dataclasses import replace

    while True:
        text = render.ask("How many days ago did it start? (press Enter to skip)").strip()
        if not text:
            return answers
        try:
            days = float(text)
            if days >= 0:
                return replace(answers, days_since_onset=days)
        except ValueError:
            pass
        render.say("Please give a number of days, such as 2, or press Enter.")
