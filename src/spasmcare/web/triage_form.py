"""The triage answers given so far, carried from one question page to the next
in hidden form fields, and checked again on every request: anything in a form
can be changed on the way, so an unknown finding id or a strange reply is bad
input (400), exactly as in an answers document.

Each answer is one ``answer`` field holding ``finding_id:reply`` (yes, no or
unsure), in the order the questions were asked; ``days_since_onset`` travels
in its own field once the person has said it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from starlette.datastructures import FormData

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import QuestionGroup, TriageRules
from spasmcare.core.triage import Answers, Reply, parse_answers, question_groups

REPLIES: dict[object, Reply] = {"yes": "yes", "no": "no", "unsure": "unsure"}
ANSWER = "answer"
DAYS = "days_since_onset"
AGE = "age"
AGE_ASKED = "age_asked"  # present once the age question was shown (it may be skipped)


def read(form: FormData, rules: TriageRules) -> Answers:
    """The answers carried in ``form``; BadInput naming what is wrong."""
    findings: dict[str, bool] = {}
    unsure: set[str] = set()
    for raw in form.getlist(ANSWER):
        finding, _, said = str(raw).partition(":")
        reply = read_reply(said)
        if finding in findings:
            raise BadInput(f"answer: the finding {finding!r} is answered twice")
        findings[finding] = reply != "no"
        if reply == "unsure":
            unsure.add(finding)
    document: dict[str, Any] = {"findings": findings}
    days = read_days(form.get(DAYS))
    if days is not None:
        document[DAYS] = days
    age = read_age(form.get(AGE))
    if age is not None:
        document[AGE] = age
    return replace(parse_answers(document, rules), unsure=frozenset(unsure))


def age_asked(form: FormData) -> bool:
    return form.get(AGE_ASKED) is not None or read_age(form.get(AGE)) is not None


def read_age(text: object) -> float | None:
    """Age in whole years, 0 to 120, or None when left blank."""
    if text is None or str(text).strip() == "":
        return None
    value = str(text).strip()
    if not (value.isascii() and value.isdigit() and int(value) <= 120):
        raise BadInput(f"age must be a whole number of years from 0 to 120 (got {text!r})")
    return float(value)


def read_reply(text: object) -> Reply:
    if text not in REPLIES:
        raise BadInput(f"reply must be yes, no or unsure (got {text!r})")
    return REPLIES[text]


def read_finding(text: object, rules: TriageRules) -> str:
    known = {f.id for f in rules.findings}
    if text not in known:
        raise BadInput(f"finding: unknown finding id {text!r}")
    return str(text)


def read_days(text: object) -> float | None:
    """Days since the pain began: a number of 0 or more, or None when left blank."""
    if text is None or str(text).strip() == "":
        return None
    try:
        days = float(str(text))
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or days < 0 or days > 36500:
        raise BadInput(f"days_since_onset must be a number of days, 0 or more (got {text!r})")
    return days


def reply_of(answers: Answers, finding: str) -> Reply:
    if finding in answers.unsure:
        return "unsure"
    return "yes" if answers.findings.get(finding) else "no"


def answered_in_order(answers: Answers, rules: TriageRules) -> list[str]:
    """The findings answered, in the order they are asked (by checklist)."""
    return [fid for group in question_groups(rules) for fid in group.findings
            if answers.answered(fid)]


def fields(answers: Answers, rules: TriageRules) -> list[tuple[str, str]]:
    """The hidden (name, value) pairs that carry ``answers`` to the next page."""
    pairs = [(ANSWER, f"{fid}:{reply_of(answers, fid)}")
             for fid in answered_in_order(answers, rules)]
    if answers.days_since_onset is not None:
        pairs.append((DAYS, f"{answers.days_since_onset:g}"))
    if answers.age is not None:
        pairs.append((AGE, f"{answers.age:g}"))
    return pairs


def without_last(answers: Answers, rules: TriageRules) -> Answers:
    """The answers before the last question answered, to go back one step."""
    done = answered_in_order(answers, rules)
    if not done:
        return answers
    last = done[-1]
    findings: Mapping[str, bool] = {k: v for k, v in answers.findings.items() if k != last}
    days = None if last == "not_improving" else answers.days_since_onset
    return replace(answers, findings=findings, unsure=answers.unsure - {last},
                   days_since_onset=days)


CHECKLIST_REPLIES = ("none", "ticked", "one_by_one")


def read_group(text: object, rules: TriageRules) -> QuestionGroup:
    found = next((g for g in question_groups(rules) if g.id == text), None)
    if found is None:
        raise BadInput(f"group: unknown checklist {text!r}")
    return found


def read_checklist_reply(text: object) -> str:
    if text not in CHECKLIST_REPLIES:
        raise BadInput(f"reply must be none, ticked or one_by_one (got {text!r})")
    return str(text)


def without_group(answers: Answers, group: QuestionGroup) -> Answers:
    """The answers without ``group``'s, to show its checklist again."""
    mine = set(group.findings)
    findings: Mapping[str, bool] = {k: v for k, v in answers.findings.items() if k not in mine}
    days = None if "not_improving" in mine else answers.days_since_onset
    return replace(answers, findings=findings, unsure=answers.unsure - mine,
                   days_since_onset=days)


def stored(answers: Answers) -> dict[str, bool]:
    """The answers as an episode keeps them: "not sure" is kept as yes, as the CLI does."""
    return {**answers.findings, **dict.fromkeys(answers.unsure, True)}
