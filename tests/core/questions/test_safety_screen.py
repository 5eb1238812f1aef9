"""The safety screen, table-driven: every triage finding is caught in lay
wording (with its tier), and its negated, past or hypothetical mentions are
not; ordinary back-spasm questions raise nothing; the highest tier wins."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from spasmcare.core.knowledge import KnowledgeBase, Urgency
from spasmcare.core.loader import KnowledgeError, data_dir, load_knowledge
from spasmcare.core.questions.safety_screen import Safety, screen
from tests.contract import FINDING_TIERS

# finding id -> lay phrasings that must report it.
SAYS = {
    "bladder_bowel_dysfunction": [
        "I wet myself this morning when I bent down",
        "I can't control my bladder since yesterday",
        "there's no control of my bladder anymore",
        "I cant pee even though I need to go",
        "I've lost control of my bowels",
        "I had to strain to pee and nothing much came out",
        "I don't feel when I need to go to the toilet anymore",
        "leaking urine since the spasm started",
        "having trouble with my bladdar since my back went",
        "I haven't peed in 14 hours and my back is killing me",
    ],
    "saddle_numbness": [
        "I can't feel my bum",
        "numbness around my groin and back passage",
        "I have no feeling down there",
        "it feels numb when I wipe after the toilet",
        "tingeling in my genitals and inner thighs",
        "my bottom has gone numb and my back hurts",
        "pins and needles between my legs",
    ],
    "both_legs_symptoms": [
        "both legs gone numb",
        "both my legs are tingling",
        "my legs feel weak and wobbly",
        "I can't feel my legs properly",
        "numbess in both feet since this morning",
        "the pain goes down both legs",
        "sciatica on both sides now",
        "it started in my left leg and now it has spread to the other leg",
        "my legs keep giving way",
    ],
    "new_sexual_dysfunction": [
        "since my back went I can't get an erection",
        "my penis feels numb",
        "I couldn't feel anything during sex last night",
        "erection problems since the back pain started",
    ],
    "chest_pain": [
        "my chest is tight and my back hurts",
        "chest pain with my back spasm",
        "I get short of breath with this back pain",
        "there's a crushing pressure in my chest",
        "pain between my shoulders going into my chest and I can't catch my breath",
    ],
    "major_trauma": [
        "I fell off a ladder and now my back is agony",
        "my back has hurt since I fell down the stairs",
        "I was in a car crash yesterday",
        "got hit by a car on my bike",
        "I fell about 10 feet from scaffolding",
        "took a heavy blow to my back playing rugby",
    ],
    "fainting": [
        "I fainted from the pain",
        "I nearly passed out when the spasm hit",
        "I collapsed in the kitchen with back pain",
        "feeling really lightheaded with this back pain",
        "I blacked out for a moment",
    ],
    "sudden_tearing_pain": [
        "a sudden tearing pain in my back",
        "it feels like something is ripping inside my chest",
        "sudden severe pain in my stomach going through to my back",
        "ripping sensation between my shoulder blades",
    ],
    "pulsating_abdominal_mass": [
        "there's a pulsing lump in my tummy",
        "I can feel my heartbeat in my belly",
        "a lump in my stomach that pulsates",
        "pulsating mass near my belly button and back pain",
    ],
    "sepsis_signs": [
        "I have a fever and I feel confused",
        "high temperature and breathing really fast",
        "running a fever, my skin looks blotchy and I feel extremely unwell",
        "chills and shivering and my husband says I'm not making sense",
    ],
    "confusion": [
        "my mum is confused and drowsy with her back pain",
        "I feel disoriented and my back hurts",
        "he doesn't know where he is",
        "new confusion since the back pain started",
    ],
    "fever_headache_stiff_neck": [
        "I've got a fever and a stiff neck",
        "temperature of 39 and a terrible headache",
        "fever, severe headache and my back aches",
        "feverish and I can't bend my neck to my chest",
    ],
    "pregnancy_bleeding_or_contractions": [
        "I'm 30 weeks pregnant with back pain and some bleeding",
        "pregnant and having contractions in my back",
        "I'm pregnant and the baby isn't moving as much",
        "my waters have broken and my back hurts",
    ],
    "fever": [
        "I have a fever with my back pain",
        "I've got chills and my lower back hurts",
        "temp is 38.5 and my back aches",
        "running a temperature since yesterday",
        "I feel hot and cold and shivery",
        "my fevre won't go down",
    ],
    "unexplained_weight_loss": [
        "I've lost weight without trying",
        "losing weight for no reason and my back aches",
        "I've dropped a stone in the last two months and I'm not dieting",
        "my clothes are getting looser but I haven't changed anything",
        "unexplained weight loss and back pain",
    ],
    "back_lump_or_deformity": [
        "there's a lump on my spine",
        "I noticed a swelling in my lower back",
        "my spine looks crooked now",
        "a bone is sticking out in my back",
    ],
    "night_or_rest_pain": [
        "my back hurts more at night",
        "the pain is worse at night",
        "resting doesn't help at all",
        "it hurts even when I'm lying still",
        "the pain wakes me up at night",
        "the pain doesn't ease when I lie down",
    ],
    "worse_cough_sneeze_strain": [
        "it hurts when I cough",
        "sneezing makes my back pain much worse",
        "every time I sneeze it shoots down my back",
        "pain is worse when I strain on the toilet",
        "it is agony to cough",
    ],
    "upper_back_pain": [
        "pain between my shoulder blades",
        "my upper back is killing me",
        "spasm in my upper back",
        "a knot under my shoulder blade that really hurts",
        "mid back pain when I breathe",
    ],
    "one_leg_weakness": [
        "my foot is dragging when I walk",
        "my left leg feels weak",
        "I think I have foot drop",
        "I can't lift my toes on the right foot",
        "my knee keeps giving way",
    ],
    "cancer_history": [
        "I've had breast cancer",
        "I had prostate cancer 10 years ago",
        "history of lymphoma, now my back hurts",
        "I finished chemo last year",
        "my cancer is in remission but my back aches",
    ],
    "weakened_immunity": [
        "I'm on prednisone for years",
        "I had a kidney transplant",
        "I'm HIV positive and my back hurts",
        "my immune system is weak",
        "I take methotrexate for my arthritis",
    ],
    "injecting_drug_use": [
        "I inject heroin",
        "I've been injecting drugs",
        "I'm an IV drug user",
        "we share needles",
    ],
    "osteoporosis_minor_trauma": [
        "I'm on prednisone for years and slipped on a step",
        "I have osteoporosis and tripped on the kerb",
        "thin bones and I lifted a heavy box yesterday",
        "osteopenia, then I bent over to pick up the cat and felt a crack",
    ],
    "blood_in_urine": [
        "I'm peeing blood",
        "there's blood in my urine",
        "my pee looks pink",
        "my wee is a dark red colour",
    ],
    "severe_abdominal_pain": [
        "severe stomach pain as well as my back",
        "really bad tummy pain and back pain",
        "my stomach is killing me and my back hurts",
        "excruciating pain in my belly",
    ],
    "leg_pain_radiating": [
        "pain down my leg",
        "it shoots down the back of my left leg",
        "the pain goes into my buttock and thigh",
        "my sciatica is flaring up",
        "my right leg hurts when I walk",
    ],
    "one_leg_numbness": [
        "numbness in my left foot",
        "my leg keeps going numb",
        "tingling in my toes on one side",
        "pins and needles down my right leg",
        "my foot feels dead",
    ],
    "not_improving": [
        "it's not getting any better",
        "still hurts after two weeks",
        "nothing helps",
        "painkillers aren't helping at all",
        "been a week and it's no better",
    ],
    "getting_worse": [
        "my back is getting worse",
        "the spasms are getting worse every day",
        "it's worse today than yesterday",
        "the pain keeps getting worse despite ibuprofen",
    ],
    "limits_daily_life": [
        "I can't go to work because of my back",
        "I'm struggling to cope with the pain",
        "I can't look after my kids",
        "I've been off work for a week",
        "this back pain is ruining my life",
    ],
    "frequent_without_trigger": [
        "my back keeps going into spasm for no reason",
        "I get spasms every day out of nowhere",
        "frequent spasms without any trigger",
        "the spasms keep coming back randomly",
    ],
    "inflammatory_pattern": [
        "I've had back pain for six months and I'm stiff every morning for over an hour",
        "morning stiffness that eases when I move, for a year now",
        "really stiff in the mornings for hours and it gets better with exercise",
        "I have ankylosing spondylitis",
    ],
}

# finding id -> mentions that must NOT report it: negated, past, resolved,
# hypothetical, or about someone else.
DENIES = {
    "bladder_bowel_dysfunction": [
        "no bladder problems", "without any bladder problems",
        "I haven't wet myself", "I've had stress incontinence for years",
    ],
    "saddle_numbness": ["no numbness around my groin", "I don't have any numbness down there"],
    "both_legs_symptoms": [
        "never had numbness in my legs", "my legs are tired", "pain down my leg",
        "lie on your back with both legs bent", "what if both my legs go numb?",
    ],
    "new_sexual_dysfunction": ["no erection problems", "can I have sex with a back spasm?"],
    "chest_pain": ["no chest pain", "chest stretches for posture", "I'm not short of breath"],
    "major_trauma": ["I fell", "I slipped on a step", "I had a car accident years ago"],
    "fainting": ["I haven't fainted", "I have a collapsed disc", "a faint ache in my back"],
    "sudden_tearing_pain": ["no tearing pain", "I think I tore a muscle"],
    "pulsating_abdominal_mass": ["no lump in my tummy"],
    "sepsis_signs": ["I have a fever but I'm not confused", "I'm confused about heat or ice"],
    "confusion": [
        "I'm confused about whether to use heat or ice", "I'm confused, should I rest?",
        "do muscle relaxants make you drowsy?",
    ],
    "fever_headache_stiff_neck": ["no fever, just a stiff neck", "stiff neck from sleeping"],
    "pregnancy_bleeding_or_contractions": [
        "not pregnant", "I'm pregnant, can I use a heat pack?",
        "are muscle contractions the same as a spasm?",
    ],
    "fever": [
        "no fever", "my fever went away last month", "I get hay fever",
        "I had a fever last year", "what temperature should the heat pad be?",
    ],
    "unexplained_weight_loss": [
        "will losing weight help my back?", "I've lost weight on my diet",
        "I haven't lost any weight",
    ],
    "back_lump_or_deformity": ["no lumps on my back", "there's a knot in my back"],
    "night_or_rest_pain": [
        "it's not worse at night", "are spasms worse at night?",
        "I get back spasms at night, what position should I sleep in?",
    ],
    "worse_cough_sneeze_strain": [
        "it doesn't hurt when I cough", "I sneezed and my back went into spasm",
        "does coughing make back pain worse?",
    ],
    "upper_back_pain": [
        "no pain in my upper back", "squeeze your shoulder blades together",
        "what causes upper back spasms?",
    ],
    "one_leg_weakness": ["no weakness in my legs", "my leg isn't weak, just sore"],
    "cancer_history": [
        "I've never had cancer", "my mum had breast cancer", "could my back pain be cancer?",
    ],
    "weakened_immunity": [
        "I had a steroid injection in my back", "my dad is on chemo",
        "the doctor gave me prednisone for five days",
    ],
    "injecting_drug_use": [
        "I inject insulin", "I don't use drugs", "the pain shot up my spine",
    ],
    "osteoporosis_minor_trauma": [
        "I have osteoporosis, is it safe to lift weights?",
        "I don't have osteoporosis and I slipped",
    ],
    "blood_in_urine": ["no blood in my urine", "my back is a wee bit red from the heat pack"],
    "severe_abdominal_pain": [
        "ibuprofen upsets my stomach a bit", "is sleeping on my stomach bad for my back?",
    ],
    "leg_pain_radiating": [
        "I don't have any leg pain", "can back spasms cause leg pain?",
        "no pain going down my leg",
    ],
    "one_leg_numbness": ["no numbness in my leg", "never had numbness"],
    "not_improving": ["it's getting better", "how long until it gets better?"],
    "getting_worse": ["it's not getting worse", "will heat make it worse?"],
    "limits_daily_life": ["can I go to work with a back spasm?", "I can still work"],
    "frequent_without_trigger": ["how often do spasms come back?", "why do I get spasms?"],
    "inflammatory_pattern": ["why is my back stiff in the morning?"],
}

# Ordinary back-spasm questions: no finding, so self-care and no message.
ORDINARY = [
    "heat or ice?", "how long do spasms last", "can I take ibuprofen with food",
    "is it ok to go to the gym", "my back locked up when I bent over, what do I do?",
    "should I use a heat pad or an ice pack first", "what stretches help a back spasm",
    "can I take paracetamol and ibuprofen together", "is a massage good for back spasms",
    "how should I sleep with a back spasm", "what mattress is best for back pain",
    "does magnesium help muscle spasms", "can stress cause back spasms",
    "my back went out lifting a box, how long until I can work",
    "how do I sit at my desk to protect my back", "are muscle relaxants safe",
    "can I do planks after a spasm", "should I see a chiropractor",
    "will a TENS machine help", "how much water should I drink for cramps",
    "is walking good for a back spasm", "I threw my back out yesterday, heat or ice?",
    "can I drive with a back spasm", "what causes back spasms",
    "my lower back is stiff in the morning", "how often should I ice my back",
    "is it normal for a spasm to hurt so much I can't stand up straight?",
    "what is the best sleeping position for lower back pain",
    "can I use Deep Heat cream", "how do I know if it's a spasm or a slipped disc",
    "does acupuncture work for back pain", "what does a back spasm feel like",
    "should I stay in bed", "how can I stop spasms coming back",
    "can dehydration cause back spasms", "is yoga good for back spasms",
    "when can I go back to the gym after a back spasm", "my legs are tired after walking",
    "can I have a hot bath for my back", "what are the warning signs I should watch for?",
]


def kb_screen(kb: KnowledgeBase, text: str) -> Safety:
    return screen(text, kb.safety_phrases, kb.triage, kb.crisis)


def test_every_finding_has_enough_rows() -> None:
    assert set(SAYS) == set(FINDING_TIERS) == set(DENIES)
    for finding in FINDING_TIERS:
        assert len(SAYS[finding]) >= 3 and len(DENIES[finding]) >= 1, finding


@pytest.mark.parametrize(("finding", "text"),
                         [(f, t) for f, texts in SAYS.items() for t in texts])
def test_lay_phrasing_reports_the_finding(kb: KnowledgeBase, finding: str, text: str) -> None:
    safety = kb_screen(kb, text)
    assert finding in safety.findings, (text, safety.findings)
    assert safety.urgency is Urgency(FINDING_TIERS[finding]), (text, safety.findings)
    assert safety.message is not None
    assert kb.triage.finding(finding).message in safety.message


@pytest.mark.parametrize(("finding", "text"),
                         [(f, t) for f, texts in DENIES.items() for t in texts])
def test_negated_past_or_general_mention_does_not(kb: KnowledgeBase, finding: str,
                                                  text: str) -> None:
    assert finding not in kb_screen(kb, text).findings, text


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_question_is_self_care(kb: KnowledgeBase, text: str) -> None:
    safety = kb_screen(kb, text)
    assert (safety.urgency, safety.findings, safety.message) == (Urgency.SELF_CARE, (), None)
    assert safety.to_dict() == {"urgency": "self-care", "message": None, "findings": [],
                                "crisis": False}


@pytest.mark.parametrize(("text", "kept"), [
    ("no fever, but now I can't feel my legs", "both_legs_symptoms"),
    ("I don't have leg pain but I wet myself", "bladder_bowel_dysfunction"),
    ("no fever and both legs are numb", "both_legs_symptoms"),
    ("I had a fever last year and wet myself today", "bladder_bowel_dysfunction"),
    ("for no reason both of my legs went numb", "both_legs_symptoms"),
    ("the numbness in my legs came back again", "both_legs_symptoms"),
    ("I'm not sure if I have a fever", "fever"),
])
def test_negation_and_time_stay_in_their_clause(kb: KnowledgeBase, text: str, kept: str) -> None:
    assert kept in kb_screen(kb, text).findings, text


def test_the_highest_tier_wins(kb: KnowledgeBase) -> None:
    safety = kb_screen(kb, "pain down my leg, a fever, and I wet myself")
    assert safety.urgency is Urgency.EMERGENCY
    assert safety.findings == ("bladder_bowel_dysfunction", "fever", "leg_pain_radiating")
    assert kb.triage.finding("fever").message not in (safety.message or "")


def test_emergency_message_leads_with_the_emergency_headline(kb: KnowledgeBase) -> None:
    safety = kb_screen(kb, "I can't control my bladder")
    headline = kb.triage.tier(Urgency.EMERGENCY).headline
    assert safety.message is not None and safety.message.startswith(headline)
    assert kb.triage.finding("bladder_bowel_dysfunction").message in safety.message
    assert safety.to_dict() == {"urgency": "emergency", "message": safety.message,
                                "findings": ["bladder_bowel_dysfunction"], "crisis": False}


@pytest.mark.parametrize("tier", ["urgent", "soon"])
def test_lower_tiers_use_their_own_headline(kb: KnowledgeBase, tier: str) -> None:
    text = {"urgent": "I have a fever", "soon": "pain down my leg"}[tier]
    safety = kb_screen(kb, text)
    assert safety.urgency.value == tier
    assert safety.message is not None
    assert safety.message.startswith(kb.triage.tier(Urgency(tier)).headline)


def test_every_triage_finding_has_safety_phrases_and_back() -> None:
    raw = yaml.safe_load((data_dir() / "safety_phrases.yaml").read_text(encoding="utf-8"))
    phrased = {f["id"] for f in raw["findings"]}
    triage = yaml.safe_load((data_dir() / "triage.yaml").read_text(encoding="utf-8"))
    assert phrased == {f["id"] for f in triage["findings"]} == set(FINDING_TIERS)
    for f in raw["findings"]:
        assert f.get("patterns") or len(f.get("together", ())) >= 2, f["id"]


def test_a_finding_without_phrases_is_a_load_error(data_copy: Path) -> None:
    path = data_copy / "safety_phrases.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: blood_in_urine\n", "  - id: blood_in_pee\n"),
                    encoding="utf-8")
    with pytest.raises(KnowledgeError, match="blood_in_pee"):
        load_knowledge.__wrapped__(data_copy)


def test_an_unknown_term_is_a_load_error(data_copy: Path) -> None:
    path = data_copy / "safety_phrases.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{belly}", "{tummy}", 1),
                    encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"safety_phrases\.yaml.*tummy"):
        load_knowledge.__wrapped__(data_copy)


def test_the_packaged_patterns_compile(kb: KnowledgeBase) -> None:
    compiled = kb.safety_phrases.compiled()
    assert [m.id for m in compiled.matchers] == list(kb.safety_phrases.finding_ids())
    assert kb.safety_phrases.compiled() is compiled  # compiled once, then kept


def test_screening_is_fast(kb: KnowledgeBase) -> None:
    questions = [t for texts in SAYS.values() for t in texts] + ORDINARY
    kb_screen(kb, "warm up")
    started = time.perf_counter()
    for q in questions:
        kb_screen(kb, q)
    per_question = (time.perf_counter() - started) / len(questions)
    assert per_question < 0.001, f"{per_question * 1000:.2f} ms per question"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("My feet and legs have gone senseless, I can't feel my toes", "both_legs_symptoms"),
        ("He says his both leg are numb since the operation", "both_legs_symptoms"),
        ("I'm losing muscle in my legs and can barely walk", "both_legs_symptoms"),
        ("My back has hurt ever since a motor vehicle accident in March", "major_trauma"),
        ("There is a swelling over my lower lumbar area", "back_lump_or_deformity"),
        # the wordings issue 10 names: reversed, told later, slang, relatives
        ("spasm since monday. down there feels kind of numb", "saddle_numbness"),
        ("hurt it lifting. anyway since tuesday i cant really feel down there", "saddle_numbness"),
        ("both legs have gone all pins n needles", "both_legs_symptoms"),
        ("from the waist down it feels like cotton wool", "both_legs_symptoms"),
        ("my trousers are falling off me and i eat the same", "unexplained_weight_loss"),
        ("my left foot keeps flopping and catching on the kerb", "one_leg_weakness"),
        ("my grandad is drowsy and not himself with this back pain", "confusion"),
        ("my nan has gone all spacey since her back went", "confusion"),
        ("my left arm aches and i feel sick and clammy, back too", "chest_pain"),
        ("he is 71 and says there is a throbbing in his tummy like a pulse",
         "pulsating_abdominal_mass"),
        ("34 weeks pregnant, back pain coming every few minutes",
         "pregnancy_bleeding_or_contractions"),
        ("she has osteoporosis and bent to lift the shopping and heard a crack",
         "osteoporosis_minor_trauma"),
    ],
)
def test_more_lay_wordings(text: str, finding: str) -> None:
    kb = load_knowledge()
    assert finding in kb_screen(kb, text).findings


# --- long stories and clinical words ------------------------------------------
# Each new way of saying a finding: what must report it (three or more of our
# own phrasings) and what must not (a negation, a reassurance or another body
# part), as (finding, says, denies).
STORIES = {
    "body part, then what it lost, in the next sentence": (
        "both_legs_symptoms",
        ["The trouble is both of my legs. From the knees down they are completely numb.",
         "It's both his legs. Since the fall he cannot feel anything below the knee.",
         "Both feet, really. Over the last two days they have gone weak and keep giving way.",
         "Both my legs, doctor. There is no sensation at all from the thighs down."],
        ["Both of my legs feel heavy after work. They are not numb though.",
         "Both legs are fine. My arm went numb last night.",
         "Lie on your back with both legs bent. My hands go numb when I do this."],
    ),
    "what was lost, then both legs": (
        "both_legs_symptoms",
        ["The numbness is spreading. Now it's in both legs.",
         "Pins and needles everywhere, both feet and up to the knees.",
         "Weakness that started on the right and is now affecting both legs."],
        ["No numbness at all, and both legs feel strong.",
         "Numbness in my hands, and both legs feel heavy."],
    ),
    "clinical words for both legs": (
        "both_legs_symptoms",
        ["bilateral leg weakness with low back pain",
         "paraesthesia in both lower limbs since Monday",
         "numbness in the legs bilaterally after lifting",
         "he has had progressive weakness in the legs this week",
         "new paraparesis after a fall"],
        ["no bilateral leg weakness", "progressive weakness in my arms",
         "progressive weakness in my left leg"],
    ),
    "bladder or bowel trouble beside a loss of feeling": (
        "bladder_bowel_dysfunction",
        ["My bladder has been strange and there's no feeling in my left foot.",
         "Numbness in my right thigh and now my bowels are playing tricks on me.",
         "I have bladder trouble. Also loss of sensation down my leg.",
         "Loss of feeling in my feet, and the bladder seems to have a mind of its own."],
        ["No bladder problems, just numbness in my foot.",
         "My foot is numb but my bladder is working fine.",
         "My bladder is fine but my foot is numb."],
    ),
    "clinical words for bladder and bowel": (
        "bladder_bowel_dysfunction",
        ["I have urinary retention since my back went",
         "he has urinary hesitancy and low back pain",
         "reduced anal tone on examination",
         "new faecal incontinence with the sciatica",
         "the doctor said it may be a neurogenic bladder"],
        ["no urinary retention", "no faecal incontinence and no numbness"],
    ),
    "clinical words for the saddle area": (
        "saddle_numbness",
        ["perineal numbness since yesterday", "reduced sensation over the perineum",
         "perianal paraesthesia with back pain", "she has saddle anaesthesia"],
        ["no perineal numbness", "no loss of sensation around the perineum"],
    ),
    "breathing held back": (
        "chest_pain",
        ["The spasm is restricting my breathing.",
         "My breathing has become very shallow with this back spasm.",
         "my chest has seized and I can only take shallow breaths",
         "back pain with dyspnoea"],
        ["Does deep breathing help back spasms?", "What breathing exercises help with stress?",
         "it is not restricting my breathing"],
    ),
    "numbness in a leg named without 'my'": (
        "one_leg_numbness",
        ["loss of feeling in right leg", "numbness in left foot since the spasm",
         "tingling down right leg"],
        ["no numbness in right leg"],
    ),
    "pain climbing into the upper back": (
        "upper_back_pain",
        ["the pain goes up into my neck and my upper back",
         "the ache spreads up to my upper back when I lift",
         "an ache that shoots into the middle of my back"],
        ["no pain going into my upper back"],
    ),
}


@pytest.mark.parametrize(("finding", "text"), [
    (finding, text) for finding, says, _ in STORIES.values() for text in says])
def test_stories_and_clinical_words_report_the_finding(kb: KnowledgeBase, finding: str,
                                                       text: str) -> None:
    safety = kb_screen(kb, text)
    assert finding in safety.findings, (text, safety.findings)
    assert safety.urgency is Urgency(FINDING_TIERS[finding]), (text, safety.findings)


@pytest.mark.parametrize(("finding", "text"), [
    (finding, text) for finding, _, denies in STORIES.values() for text in denies])
def test_stories_negated_or_about_something_else_do_not(kb: KnowledgeBase, finding: str,
                                                        text: str) -> None:
    assert finding not in kb_screen(kb, text).findings, text


def test_every_story_pattern_has_three_phrasings_and_a_denial() -> None:
    for name, (_, says, denies) in STORIES.items():
        assert len(says) >= 3 and denies, name


@pytest.mark.parametrize(("text", "dropped"), [
    ("If it is still not better in a week, should I see a doctor?", "not_improving"),
    ("What should I do if the pain does not get better?", "not_improving"),
    ("if things get worse, who do I call?", "getting_worse"),
    ("A history of chest pain, but today it is only my back", "chest_pain"),
    ("past history of numbness in both legs, now my back aches", "both_legs_symptoms"),
])
def test_conditions_and_history_are_not_current_findings(kb: KnowledgeBase, text: str,
                                                         dropped: str) -> None:
    assert dropped not in kb_screen(kb, text).findings, text


@pytest.mark.parametrize(("text", "kept"), [
    ("Even if I rest it is still not getting better", "not_improving"),
    ("I have a history of sciatica and today both legs are numb", "both_legs_symptoms"),
])
def test_conditions_and_history_do_not_hide_what_is_happening_now(
        kb: KnowledgeBase, text: str, kept: str) -> None:
    assert kept in kb_screen(kb, text).findings, text


def test_a_near_pair_needs_both_parts_close_together(kb: KnowledgeBase) -> None:
    far = ("Both of my legs were checked by the physio last spring and she said the "
           "muscles looked strong and there was nothing at all to worry about there, "
           "yet the skin on my scar feels numb")
    assert "both_legs_symptoms" not in kb_screen(kb, far).findings


def test_a_finding_may_be_said_by_near_pairs_alone(data_copy: Path) -> None:
    path = data_copy / "safety_phrases.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    legs = next(f for f in raw["findings"] if f["id"] == "both_legs_symptoms")
    legs["patterns"] = []
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    kb = load_knowledge.__wrapped__(data_copy)
    text = "It is both my legs. Since Tuesday they have gone completely numb."
    assert kb_screen(kb, text).findings == ("both_legs_symptoms",)
    # "numb legs" is one of the patterns, which this copy no longer has
    assert kb_screen(kb, "I have numb legs").findings == ()


def test_an_unknown_term_in_a_near_pair_is_a_load_error(data_copy: Path) -> None:
    path = data_copy / "safety_phrases.yaml"
    text = path.read_text(encoding="utf-8")
    assert "then: ['{deficit}']" in text
    path.write_text(text.replace("then: ['{deficit}']", "then: ['{deficits}']"),
                    encoding="utf-8")
    with pytest.raises(KnowledgeError, match="deficits"):
        load_knowledge.__wrapped__(data_copy)
