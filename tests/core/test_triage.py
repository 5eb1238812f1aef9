"""Table-driven triage: every finding raises its own tier alone, never when
absent; combinations take the highest; the days rule; bad answers."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase, Urgency
from spasmcare.core.triage import (
    Answers,
    assess,
    next_question,
    parse_answers,
    question_order,
    require_red_flag_check,
)
from tests.contract import FINDING_TIERS, URGENCIES

IDS = list(FINDING_TIERS)


def all_no(**overrides: bool) -> dict[str, bool]:
    return {**dict.fromkeys(IDS, False), **overrides}


def test_the_findings_are_exactly_the_contracts(kb: KnowledgeBase) -> None:
    assert {f.id: f.tier.value for f in kb.triage.findings} == FINDING_TIERS


@pytest.mark.parametrize(("finding", "tier"), FINDING_TIERS.items())
def test_finding_alone_gives_its_tier(kb: KnowledgeBase, finding: str, tier: str) -> None:
    result = assess(Answers(findings=all_no(**{finding: True})), kb.triage)
    assert result.urgency.value == tier
    assert [r.finding for r in result.reasons] == [finding]
    assert result.reasons[0].sources and result.reasons[0].message
    assert result.complete


@pytest.mark.parametrize("finding", IDS)
def test_finding_answered_no_gives_nothing(kb: KnowledgeBase, finding: str) -> None:
    result = assess(Answers(findings={finding: False}), kb.triage)
    assert result.urgency is Urgency.SELF_CARE
    assert result.reasons == ()


def test_all_no_is_self_care_and_complete(kb: KnowledgeBase) -> None:
    result = assess(Answers(findings=all_no()), kb.triage)
    assert (result.urgency, result.complete, result.reasons) == (Urgency.SELF_CARE, True, ())


@given(st.sets(st.sampled_from(IDS), min_size=1, max_size=6))
def test_combinations_take_the_highest_tier(present: set[str]) -> None:
    from spasmcare.core.loader import load_knowledge

    rules = load_knowledge().triage
    result = assess(Answers(findings=all_no(**dict.fromkeys(present, True))), rules)
    expected = max((FINDING_TIERS[f] for f in present), key=URGENCIES.index)
    assert result.urgency.value == expected
    assert {r.finding for r in result.reasons} == present


@pytest.mark.parametrize(
    ("days", "expected"),
    [(None, "soon"), (0, "self-care"), (2, "self-care"), (3, "self-care"), (3.5, "soon"),
     (10, "soon"), (60, "soon")],
)
def test_not_improving_waits_for_the_days_threshold(kb: KnowledgeBase, days: float | None,
                                                   expected: str) -> None:
    rule = kb.triage.days_rule("not_improving")
    assert rule is not None and rule.after_days == 3
    answers = Answers(findings=all_no(not_improving=True), days_since_onset=days)
    result = assess(answers, kb.triage)
    assert result.urgency.value == expected
    if expected == "self-care":
        assert rule.early_message in result.advice


def test_days_rule_does_not_hide_other_findings(kb: KnowledgeBase) -> None:
    answers = Answers(findings=all_no(not_improving=True, fever=True), days_since_onset=1)
    assert assess(answers, kb.triage).urgency is Urgency.URGENT


def test_unanswered_lists_emergency_and_urgent_findings_only(kb: KnowledgeBase) -> None:
    result = assess(Answers(findings={"fever": False}), kb.triage)
    expected = [i for i, t in FINDING_TIERS.items()
                if t in ("emergency", "urgent") and i != "fever"]
    assert sorted(result.unanswered) == sorted(expected)
    assert not result.complete
    assert "unanswered" in result.advice


def test_soon_tier_questions_are_not_required_for_completeness(kb: KnowledgeBase) -> None:
    answers = {i: False for i, t in FINDING_TIERS.items() if t != "soon"}
    assert assess(Answers(findings=answers), kb.triage).complete


def test_unsure_counts_as_present_and_says_so(kb: KnowledgeBase) -> None:
    result = assess(Answers(unsure=frozenset({"saddle_numbness"})), kb.triage)
    assert result.urgency is Urgency.EMERGENCY
    assert result.reasons[0].message.startswith(kb.triage.unsure_prefix)


def test_questions_come_emergency_first(kb: KnowledgeBase) -> None:
    tiers = [f.tier.rank for f in question_order(kb.triage)]
    assert tiers == sorted(tiers, reverse=True)


def test_flow_asks_every_question_when_all_are_no(kb: KnowledgeBase) -> None:
    answers, asked = Answers(), []
    while (f := next_question(answers, kb.triage)) is not None:
        asked.append(f.id)
        answers = answers.with_answer(f.id, "no")
    assert sorted(asked) == sorted(IDS)
    assert assess(answers, kb.triage).complete


@pytest.mark.parametrize("reply", ["yes", "unsure"])
def test_an_emergency_answer_stops_the_questions(kb: KnowledgeBase, reply: str) -> None:
    first = next_question(Answers(), kb.triage)
    assert first is not None and first.tier is Urgency.EMERGENCY
    answers = Answers().with_answer(first.id, reply)  # type: ignore[arg-type]
    assert next_question(answers, kb.triage) is None
    assert assess(answers, kb.triage).urgency is Urgency.EMERGENCY


def test_flow_cannot_reach_self_care_with_emergency_questions_open(kb: KnowledgeBase) -> None:
    answers = Answers()
    for f in question_order(kb.triage):
        if f.tier is not Urgency.EMERGENCY:
            answers = answers.with_answer(f.id, "no")
    nxt = next_question(answers, kb.triage)
    assert nxt is not None and nxt.tier is Urgency.EMERGENCY


def test_changing_an_answer_replaces_it(kb: KnowledgeBase) -> None:
    answers = Answers().with_answer("fever", "unsure").with_answer("fever", "no")
    assert not answers.says_yes("fever") and answers.answered("fever")


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ({"findings": {"flying_pigs": True}}, "flying_pigs"),
        ({"pain_score": 12}, "pain_score"),
        ({"pain_score": 6.5}, "pain_score"),
        ({"age": -1}, "age"),
        ({"age": 130}, "age"),
        ({"days_since_onset": -2}, "days_since_onset"),
        ({"findings": {"fever": "yes"}}, "findings.fever"),
        ({"findings": ["fever"]}, "findings"),
        ({"symptoms": {}}, "symptoms"),
        (["fever"], "JSON object"),
    ],
)
def test_bad_answers_are_named(kb: KnowledgeBase, document: object, fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment):
        parse_answers(document, kb.triage)


def test_contract_example_parses(kb: KnowledgeBase) -> None:
    doc = {"age": 45, "days_since_onset": 2, "pain_score": 7,
           "findings": {"both_legs_symptoms": False, "fever": True}}
    result = assess(parse_answers(doc, kb.triage), kb.triage)
    assert result.urgency is Urgency.URGENT
    assert result.to_dict()["reasons"][0]["finding"] == "fever"
    assert set(result.to_dict()) == {"urgency", "reasons", "unanswered", "complete", "advice"}


def test_every_tier_message_is_distinct_and_sourced(kb: KnowledgeBase) -> None:
    tiers = kb.triage.tiers
    assert len({t.action for t in tiers}) == 4
    assert all(t.sources for t in tiers)


@pytest.mark.parametrize("pair", list(itertools.combinations(["emergency", "urgent", "soon"], 2)))
def test_tier_pairs(kb: KnowledgeBase, pair: tuple[str, str]) -> None:
    picks = [next(i for i, t in FINDING_TIERS.items() if t == tier) for tier in pair]
    result = assess(Answers(findings=dict.fromkeys(picks, True)), kb.triage)
    assert result.urgency.value == pair[0]


def test_an_episode_needs_every_emergency_question_answered(kb: KnowledgeBase) -> None:
    emergency = [i for i, t in FINDING_TIERS.items() if t == "emergency"]
    with pytest.raises(BadInput, match=f"{len(emergency)} emergency"):
        require_red_flag_check(Answers(), kb.triage)
    require_red_flag_check(Answers(findings=dict.fromkeys(emergency, False)), kb.triage)
    require_red_flag_check(Answers(unsure=frozenset({emergency[-1]})), kb.triage)


# --- rules on the numbers (age, days since onset) -------------------------------------

def _numbers(kb: KnowledgeBase, findings: dict[str, bool], **numbers: float) -> Any:
    emergency_no = {f.id: False for f in kb.triage.findings if f.tier.value == "emergency"}
    document = {"findings": {**emergency_no, **findings}, **numbers}
    return assess(parse_answers(document, kb.triage), kb.triage)


@pytest.mark.parametrize(("numbers", "findings", "urgency", "rule"), [
    # under 16: at least soon, whatever else
    ({"age": 12}, {}, "soon", "age_under_16"),
    ({"age": 15.9}, {}, "soon", "age_under_16"),
    ({"age": 16}, {}, "self-care", None),
    ({"age": 8}, {"fever": True}, "urgent", "age_under_16 age_with_another_flag"),
    # under 20 or over 50 with another flag: at least urgent
    ({"age": 55}, {"leg_pain_radiating": True}, "urgent", "age_with_another_flag"),
    ({"age": 18}, {"limits_daily_life": True}, "urgent", "age_with_another_flag"),
    ({"age": 51}, {"fever": True}, "urgent", "age_with_another_flag"),
    ({"age": 55}, {}, "self-care", None),          # on its own it is no flag
    ({"age": 50}, {"leg_pain_radiating": True}, "soon", None),
    ({"age": 20}, {"leg_pain_radiating": True}, "soon", None),
    ({"age": 70}, {"saddle_numbness": True}, "emergency", "age_with_another_flag"),
    # about 4-6 weeks without improvement: soon, with why
    ({"days_since_onset": 28}, {}, "soon", "weeks_without_improvement"),
    ({"days_since_onset": 40}, {"not_improving": True}, "soon", "weeks_without_improvement"),
    ({"days_since_onset": 27.9}, {}, "self-care", None),
    ({"days_since_onset": 40}, {"not_improving": False}, "self-care", None),  # it is improving
    # beyond 12 weeks: the persistent-pain pathway
    ({"days_since_onset": 84}, {}, "soon", "persistent_pain"),
    ({"days_since_onset": 400}, {}, "soon", "persistent_pain"),
    ({"days_since_onset": 400}, {"not_improving": False}, "self-care", None),
])
def test_every_number_rule(kb: KnowledgeBase, numbers: dict[str, float],
                           findings: dict[str, bool], urgency: str, rule: str | None) -> None:
    result = _numbers(kb, findings, **numbers)
    assert result.urgency.value == urgency
    rules = {r.finding for r in result.reasons} & {n.id for n in kb.triage.number_rules}
    assert rules == set(rule.split() if rule else ())


def test_weeks_and_persistent_rules_never_both_apply(kb: KnowledgeBase) -> None:
    for days in (27, 28, 50, 83.9, 84, 85, 365):
        found = {r.finding for r in _numbers(kb, {}, days_since_onset=days).reasons}
        assert not {"weeks_without_improvement", "persistent_pain"} <= found


def test_number_rules_never_lower_an_urgency(kb: KnowledgeBase) -> None:
    """Adding an age or a duration can only keep or raise the result (except
    that "not improving" counts only after day 3: the days rule, by design)."""
    for finding in kb.triage.findings:
        base = _numbers(kb, {finding.id: True}).urgency
        for numbers in ({"age": 5}, {"age": 30}, {"age": 80}, {"days_since_onset": 1},
                        {"days_since_onset": 60}, {"days_since_onset": 200}):
            if finding.id == "not_improving" and numbers.get("days_since_onset") == 1:
                continue
            raised = _numbers(kb, {finding.id: True}, **numbers).urgency
            assert ORDER.index(raised.value) >= ORDER.index(base.value), (finding.id, numbers)


ORDER = ["self-care", "soon", "urgent", "emergency"]


def test_every_number_rule_is_sourced_and_says_why(kb: KnowledgeBase) -> None:
    known = {s.id for s in kb.sources}
    for rule in kb.triage.number_rules:
        assert set(rule.sources) <= known and rule.message and rule.concern and rule.tell
