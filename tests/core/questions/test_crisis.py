"""Words about suicide or self-harm put crisis support first (CONTRACTS
section 2, ``safety.crisis``): our own phrasings, and the negations and
idioms that must stay calm."""

from __future__ import annotations

import pytest

from spasmcare.core.knowledge import KnowledgeBase, Urgency
from spasmcare.core.loader import load_index
from spasmcare.core.questions.answering import answer
from spasmcare.core.questions.safety_screen import Safety, screen

CRISIS = [
    "I want to die, my back has been agony for three years",
    "honestly i just wanna die at this point",
    "ive been thinking about ending it all",
    "some days i think about killing myself because of the pain",
    "i've been thinking everyone would be better off without me",
    "I don't want to live like this any more",
    "thinking of taking all my co-codamol at once",
    "i have the whole box of tramadol and i want to take all of them",
    "sometimes i self harm when the pain gets bad",
    "I've started cutting myself again",
    "my husband says he wants to kill himself because of his back",
    "is it normal to have suicidal thoughts with chronic back pain?",
    "life isnt worth living with this back",
    "I wish I was dead, nothing helps the spasms",
    "I'm going to end my life if this pain does not stop",
    "I feel like there is no point in living anymore with this pain",
    "i cant go on like this, i just want it all to be over",
    "i wish i could go to sleep and never wake up",
    "Suicidal thoughts since the sciatica started, what do I do",
    "my mum keeps saying she wants to die, her back is so bad",
    "what if I took all my pills at once",
    "if i ever wanted to kill myself what should i do",
    "thinking of overdosing on my tramadol",
]

CALM = [
    "I'm not suicidal, just sore",
    "this pain is killing me",
    "my back is killing me today",
    "i could kill for a good nights sleep",
    "dying to get back to the gym after this spasm",
    "I don't want to die, I just want the pain to stop",
    "no thoughts of harming myself, just fed up",
    "I hurt myself lifting a box at work",
    "i think i hurt myself again at the gym",
    "I just want this pain to be over",
    "i have never had suicidal thoughts but the pain gets me down",
    "the suicide squats at bootcamp did my back in",
    "can I take all my pills at the same time in the morning",
]


def kb_screen(kb: KnowledgeBase, text: str) -> Safety:
    return screen(text, kb.safety_phrases, kb.triage, kb.crisis)


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_words_bring_crisis_support_first(kb: KnowledgeBase, text: str) -> None:
    safety = kb_screen(kb, text)
    assert safety.crisis is True, text
    assert safety.urgency is Urgency.EMERGENCY
    assert safety.message is not None and safety.message.startswith(kb.crisis.headline)
    assert "116 123" in safety.message and "988" in safety.message


@pytest.mark.parametrize("text", CALM)
def test_negations_and_idioms_are_not_a_crisis(kb: KnowledgeBase, text: str) -> None:
    assert kb_screen(kb, text).crisis is False, text


def test_crisis_support_comes_before_a_back_warning_sign(kb: KnowledgeBase) -> None:
    safety = kb_screen(kb, "i want to end it all, and since yesterday i cannot control my bladder")
    assert safety.crisis is True and safety.findings == ("bladder_bowel_dysfunction",)
    assert safety.message is not None
    crisis_at = safety.message.index(kb.crisis.headline)
    back_at = safety.message.index(kb.triage.finding("bladder_bowel_dysfunction").message)
    assert crisis_at == 0 < back_at


def test_crisis_alone_names_no_triage_finding(kb: KnowledgeBase) -> None:
    safety = kb_screen(kb, "I want to kill myself")
    assert safety.findings == () and safety.to_dict()["crisis"] is True


def test_the_crisis_lines_are_the_public_services(kb: KnowledgeBase) -> None:
    hrefs = {line.href for line in kb.crisis.lines}
    assert {"tel:116123", "tel:988", "sms:988", "tel:999", "tel:911", "tel:112"} <= hrefs
    assert kb.crisis.sources == ("crisis-lines",)


@pytest.mark.parametrize(("text", "crisis"), [*((t, True) for t in CRISIS),
                                             *((t, False) for t in CALM)])
def test_the_shipped_answer_with_both_nets_agrees(kb: KnowledgeBase, text: str,
                                                 crisis: bool) -> None:
    result = answer(text, kb, load_index())
    assert result.safety.crisis is crisis, text
    if crisis:  # and the person is answered, not told it is about something else
        assert result.in_scope is True and result.reply is None


def test_crisis_with_a_lower_tier_sign_keeps_that_signs_own_tier(kb: KnowledgeBase) -> None:
    safety = kb_screen(kb, "i cant work or sleep and i want to end it all")
    assert safety.crisis is True and safety.urgency is Urgency.EMERGENCY
    assert safety.warning is Urgency.SOON and safety.findings == ("limits_daily_life",)
    assert safety.advice is not None and safety.message is not None
    assert safety.message.endswith(safety.advice)
