"""The fixed faces of CONTRACTS.md, restated for the tests. If the contract
file is beside the repository the tests also check that they agree with it."""

FINDING_TIERS = {
    "bladder_bowel_dysfunction": "emergency",
    "saddle_numbness": "emergency",
    "both_legs_symptoms": "emergency",
    "new_sexual_dysfunction": "emergency",
    "chest_pain": "emergency",
    "major_trauma": "emergency",
    "fainting": "emergency",
    "sudden_tearing_pain": "emergency",
    "pulsating_abdominal_mass": "emergency",
    "sepsis_signs": "emergency",
    "confusion": "emergency",
    "fever_headache_stiff_neck": "emergency",
    "pregnancy_bleeding_or_contractions": "emergency",
    "fever": "urgent",
    "unexplained_weight_loss": "urgent",
    "back_lump_or_deformity": "urgent",
    "night_or_rest_pain": "urgent",
    "worse_cough_sneeze_strain": "urgent",
    "upper_back_pain": "urgent",
    "one_leg_weakness": "urgent",
    "cancer_history": "urgent",
    "weakened_immunity": "urgent",
    "injecting_drug_use": "urgent",
    "osteoporosis_minor_trauma": "urgent",
    "blood_in_urine": "urgent",
    "severe_abdominal_pain": "urgent",
    "leg_pain_radiating": "soon",
    "one_leg_numbness": "soon",
    "not_improving": "soon",
    "getting_worse": "soon",
    "limits_daily_life": "soon",
    "frequent_without_trigger": "soon",
    "inflammatory_pattern": "soon",
}

TOPICS = (
    "what-is-a-spasm", "symptoms", "causes", "duration", "recurrence", "first-aid",
    "rest-positioning", "ice", "heat", "ice-or-heat", "nsaids", "acetaminophen",
    "muscle-relaxants", "topical", "injections", "stretching", "staying-active",
    "activity-and-sport", "core-strength", "physical-therapy", "massage", "chiropractic",
    "acupuncture", "tens", "stress-mind-body", "hydration-nutrition", "weight", "ergonomics",
    "sleep", "when-to-see-doctor", "diagnosis", "surgery-procedures", "sciatica-nerve",
    "neurological", "chronic-pain",
)

SEEDS = (
    "000_eb439f06da8e50f9.txt",
    "001_4e7ba610bc003b73.txt",
    "002_794139d6192a0f74.txt",
    "003_595be0246448ec0a.txt",
    "004_cf1d4bbfe326f655.txt",
)
# The ids of CLINICAL_FACTS.md that the knowledge base cites (outcome measures'
# ostelo-2008 comes with the questionnaires).
GUIDELINES = ("nhs-back-pain", "nice-ng59", "acp-2017", "bass-ces-2018", "nhs-redflags-clinician",
              "nhs-conditions", "nhs-medicines", "crisis-lines", "brinjikji-2015")
SESSION_KINDS = {"ice", "heat", "walk", "stretch", "strength", "break"}
URGENCIES = ("self-care", "soon", "urgent", "emergency")
