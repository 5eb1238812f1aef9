""""My back has just gone": the warning signs as a few checklists ("Do you
have any of these right now?", "None of these" in one tap), emergency ones
first, each group's questions one at a time for whoever is not sure; any
sign present goes straight to what to do. Then the result, when it started,
and the episode begins.

Nothing is kept on the server until the episode starts: the answers so far
travel in hidden form fields (``web.triage_form``) and are checked again on
every request."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from spasmcare.core import triage as core
from spasmcare.core.diary_terms import Trigger
from spasmcare.core.knowledge import Finding, KnowledgeBase, QuestionGroup, Urgency
from spasmcare.web import routing, triage_form
from spasmcare.web.deps import FormDep, KnowledgeDep, NowDep, StoreDep
from spasmcare.web.episode_form import ONSET_CHOICES, SPOTS, read_episode
from spasmcare.web.form_fields import FieldError
from spasmcare.web.pages.templates import templates

router = routing.router()

TIER_HEADINGS = {
    Urgency.EMERGENCY: "First, signs that need emergency help",
    Urgency.URGENT: "Next, signs that need a doctor today",
    Urgency.SOON: "Last, signs worth a doctor's or physio's appointment",
}


@router.get("/triage", response_class=HTMLResponse)
def first_question(request: Request, kb: KnowledgeDep) -> Response:
    return _next_step(request, core.Answers(), kb)


@router.post("/triage", response_class=HTMLResponse)
def answer(request: Request, form: FormDep, kb: KnowledgeDep) -> Response:
    answers = triage_form.read(form, kb.triage)
    if form.get("group") is not None:
        return _checklist(request, form, answers, kb)
    if form.get("back"):  # the last question again, on its own
        done = triage_form.answered_in_order(answers, kb.triage)
        if not done:
            return _next_step(request, answers, kb)
        return _question_page(request, triage_form.without_last(answers, kb.triage), kb,
                              kb.triage.finding(done[-1]))
    if form.get("finding") is not None:
        finding = triage_form.read_finding(form.get("finding"), kb.triage)
        reply = triage_form.read_reply(form.get("reply"))
        answers = answers.with_answer(finding, reply)
        if finding == "not_improving" and reply != "no" and answers.days_since_onset is None:
            return _page(request, "triage_days.html", answers, kb)
    return _next_step(request, answers, kb, asked_age=triage_form.age_asked(form))


def _checklist(request: Request, form: FormData, answers: core.Answers,
               kb: KnowledgeBase) -> Response:
    """A checklist sent: its ticks are present, the rest absent. "None of
    these" with something ticked counts the ticks, to be safe; "one at a
    time" asks the group's questions singly, with "Not sure" for each."""
    group = triage_form.read_group(form.get("group"), kb.triage)
    if form.get("back"):
        groups = core.question_groups(kb.triage)
        earlier = groups[max(groups.index(group) - 1, 0)]
        return _group_page(request, triage_form.without_group(answers, earlier), kb, earlier)
    reply = triage_form.read_checklist_reply(form.get("reply"))
    if reply == "one_by_one":
        return _question_page(request, answers, kb, _first_unanswered(answers, group, kb))
    ticked = [str(t) for t in form.getlist("tick")]
    if reply == "ticked" and not ticked:
        return _group_page(request, answers, kb, group, status=400,
                           error="Tick the signs you have, or tap “None of these”.")
    answers = core.with_checklist(answers, group, ticked)
    if "not_improving" in ticked and answers.days_since_onset is None:
        return _page(request, "triage_days.html", answers, kb)
    return _next_step(request, answers, kb)


@router.post("/triage/start", response_class=HTMLResponse)
def start_episode(request: Request, form: FormDep, kb: KnowledgeDep, diary: StoreDep,
                  now: NowDep) -> Response:
    answers = triage_form.read(form, kb.triage)
    if core.next_group(answers, kb.triage) is not None:
        return _next_step(request, answers, kb)  # not finished: carry on asking
    result = core.assess(answers, kb.triage)
    if result.urgency is Urgency.EMERGENCY:
        return _page(request, "triage_emergency.html", answers, kb, result=result)
    if diary.open_episode() is not None:
        return RedirectResponse("/plan?continued=1", status_code=303)
    try:
        episode = read_episode(form, now, result.urgency, triage_form.stored(answers))
    except FieldError as err:
        return _page(request, "triage_result.html", answers, kb, result=result, error=err,
                     form=form, status=400)
    diary.add(episode)
    return RedirectResponse("/plan?started=1", status_code=303)


def _next_step(request: Request, answers: core.Answers, kb: KnowledgeBase, *,
               asked_age: bool = False) -> Response:
    group = core.next_group(answers, kb.triage)
    if group is not None:
        if any(answers.answered(fid) for fid in group.findings):  # going one at a time
            return _question_page(request, answers, kb, _first_unanswered(answers, group, kb))
        return _group_page(request, answers, kb, group)
    result = core.assess(answers, kb.triage)
    if result.urgency is Urgency.EMERGENCY:
        return _page(request, "triage_emergency.html", answers, kb, result=result)
    if not asked_age:  # one optional question, once no emergency is in sight
        return _page(request, "triage_age.html", answers, kb)
    return _page(request, "triage_result.html", answers, kb, result=result)


def _first_unanswered(answers: core.Answers, group: QuestionGroup,
                      kb: KnowledgeBase) -> Finding:
    return next(kb.triage.finding(fid) for fid in group.findings if not answers.answered(fid))


def _question_page(request: Request, answers: core.Answers, kb: KnowledgeBase,
                   question: Finding) -> Response:
    return _page(request, "triage_question.html", answers, kb, question=question,
                 heading=TIER_HEADINGS[question.tier])


def _group_page(request: Request, answers: core.Answers, kb: KnowledgeBase,
                group: QuestionGroup, *, error: str | None = None,
                status: int = 200) -> Response:
    groups = core.question_groups(kb.triage)
    step = groups.index(group)
    return _page(request, "triage_group.html", answers, kb, status=status, group=group,
                 findings=[kb.triage.finding(fid) for fid in group.findings],
                 step=step + 1, steps=len(groups), heading=TIER_HEADINGS[group.tier],
                 first=step == 0, group_error=error)


def _page(request: Request, name: str, answers: core.Answers, kb: KnowledgeBase,
          status: int = 200, **context: object) -> Response:
    order = core.question_order(kb.triage)
    done = len(triage_form.answered_in_order(answers, kb.triage))
    return templates.TemplateResponse(request, name, {
        "hidden": triage_form.fields(answers, kb.triage),
        "number": done + 1, "total": len(order), "can_go_back": done > 0,
        "tier": kb.triage.tier, "finding": kb.triage.finding, "rule": kb.triage.number_rule,
        "spots": SPOTS, "triggers": list(Trigger),
        "onset_choices": ONSET_CHOICES,
        "unsure": answers.unsure, "form": None, "error": None, **context,
    }, status_code=status)
