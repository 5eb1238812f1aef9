"""The knowledge base: sources, advice entries, disagreements and the rules
that triage and the care plan interpret.

Everything here is plain, immutable data validated by pydantic. The data lives
in YAML files inside the package and is read by ``spasmcare.core.loader``; this
module only says what a valid knowledge base looks like.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from spasmcare.core.diary_terms import Mobility
from spasmcare.core.questions.safety_screen import SafetyPhrases
from spasmcare.core.questions.vocabulary import ScopeRule, Synonyms


def _known(kind: str) -> AfterValidator:
    """Check ids against the registry the loader passes in the validation
    context, so that a bad reference is reported with its file and field."""

    def check(value: object, info: ValidationInfo) -> object:
        known = (info.context or {}).get(kind)
        if known is None or value is None:
            return value
        ids = value if isinstance(value, tuple) else (value,)
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"unknown {kind[:-1]} {', '.join(map(repr, unknown))}")
        return value

    return AfterValidator(check)


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SourceIds = Annotated[tuple[Id, ...], Field(min_length=1), _known("sources")]
TopicId = Annotated[Id, _known("topics")]


class Data(BaseModel):
    """Base for knowledge-base records: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class SourceKind(StrEnum):
    HOSPITAL_GUIDE = "hospital guide"
    BLOG = "blog"
    HOW_TO_GUIDE = "how-to guide"
    PUBLIC_ADVICE = "public health advice"
    GUIDELINE = "clinical guideline"
    STANDARD = "professional standard"
    CLINICAL_PATHWAY = "clinical pathway"
    SYSTEMATIC_REVIEW = "systematic review"


class Source(Data):
    id: Id
    title: Text
    kind: SourceKind
    publisher: Text | None = None
    year: int | None = None


class Topic(Data):
    id: Id
    label: Text
    covers: Text


class EvidenceNote(Data):
    text: Text
    sources: SourceIds


class Entry(Data):
    """One piece of advice in our own words. ``topic`` is None for entries that
    serve the care plan or triage but answer no question on their own."""

    id: Id
    topic: TopicId | None
    title: Text
    text: Text
    sources: SourceIds
    questions: tuple[Text, ...] = ()
    evidence: EvidenceNote | None = None


class Position(Data):
    claim: Text
    sources: SourceIds


class Disagreement(Data):
    """Where sources or guidelines say different things, and what we do about it."""

    id: Id
    subject: Text
    topics: Annotated[tuple[TopicId, ...], Field(min_length=1)]
    positions: Annotated[tuple[Position, ...], Field(min_length=2)]
    choice: Text
    choice_sources: SourceIds


# --- triage -----------------------------------------------------------------


class Urgency(StrEnum):
    SELF_CARE = "self-care"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _URGENCY_ORDER.index(self)


_URGENCY_ORDER = (Urgency.SELF_CARE, Urgency.SOON, Urgency.URGENT, Urgency.EMERGENCY)


def highest(urgencies: Iterable[Urgency]) -> Urgency:
    """The most pressing of ``urgencies``; self-care when there are none."""
    return max(urgencies, key=lambda u: u.rank, default=Urgency.SELF_CARE)


class Tier(Data):
    id: Urgency
    headline: Text
    action: Text
    sources: SourceIds


class Finding(Data):
    id: Id
    tier: Literal[Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON]
    concern: Text
    question: Text
    hint: Text | None = None
    message: Text
    sources: SourceIds


class QuestionGroup(Data):
    """Findings of one tier asked together as one checklist screen."""

    id: Id
    tier: Literal[Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON]
    title: Text
    findings: Annotated[tuple[Id, ...], Field(min_length=1)]


class DaysRule(Data):
    """A finding that only counts once the episode is older than ``after_days``
    (when the age of the episode is known)."""

    finding: Id
    after_days: Annotated[float, Field(ge=0)]
    early_message: Text
    explanation: Text
    sources: SourceIds


class NumberRule(Data):
    """A rule on the answers' numbers (CONTRACTS section 1 allows them): it
    holds when every condition it names holds. An age or a number of days
    that was not given holds no condition, so a rule never fires on a guess.
    ``urgency`` is the least the result becomes."""

    id: Id
    urgency: Literal[Urgency.URGENT, Urgency.SOON]
    concern: Text
    tell: Text  # what to tell a clinician, as one sentence
    age_below: Annotated[float, Field(ge=0)] | None = None
    age_above: Annotated[float, Field(ge=0)] | None = None
    days_from: Annotated[float, Field(ge=0)] | None = None
    days_below: Annotated[float, Field(ge=0)] | None = None
    with_another_flag: bool = False
    unless_answered_no: Id | None = None
    message: Text
    sources: SourceIds

    @model_validator(mode="after")
    def _has_a_condition(self) -> NumberRule:
        if self.age_below is None and self.age_above is None and self.days_from is None:
            raise ValueError(f"number rule {self.id!r} names no age or days condition")
        return self


class TriageRules(Data):
    tiers: tuple[Tier, ...]
    findings: Annotated[tuple[Finding, ...], Field(min_length=1)]
    days_rules: tuple[DaysRule, ...] = ()
    number_rules: tuple[NumberRule, ...] = ()
    # Checklist screens (the web app); without them, one per tier.
    groups: tuple[QuestionGroup, ...] = ()
    unsure_prefix: Text

    @model_validator(mode="after")
    def _complete(self) -> TriageRules:
        if {t.id for t in self.tiers} != set(Urgency):
            raise ValueError(f"tiers must describe each of {', '.join(Urgency)}")
        ids = [f.id for f in self.findings]
        _require_unique(ids, "finding id")
        for rule in self.days_rules:
            if rule.finding not in ids:
                raise ValueError(f"days rule names unknown finding {rule.finding!r}")
        _require_unique([*ids, *(r.id for r in self.number_rules)], "finding or rule id")
        for number in self.number_rules:
            if number.unless_answered_no is not None and number.unless_answered_no not in ids:
                raise ValueError(f"number rule {number.id!r} names unknown finding "
                                 f"{number.unless_answered_no!r}")
        if self.groups:
            self._check_groups()
        return self

    def _check_groups(self) -> None:
        """Every finding in exactly one group of its own tier, and the groups
        most urgent first, so that a checklist never hides a finding."""
        tiers = {f.id: f.tier for f in self.findings}
        grouped = [fid for g in self.groups for fid in g.findings]
        _require_unique(grouped, "grouped finding")
        _require_unique([g.id for g in self.groups], "group id")
        if set(grouped) != set(tiers):
            missing = sorted(set(tiers) - set(grouped))
            unknown = sorted(set(grouped) - set(tiers))
            raise ValueError(f"the groups must hold every finding once: missing {missing}, "
                             f"unknown {unknown}")
        for group in self.groups:
            wrong = [fid for fid in group.findings if tiers[fid] is not group.tier]
            if wrong:
                raise ValueError(f"group {group.id!r} is {group.tier.value} but holds {wrong}")
        ranks = [g.tier.rank for g in self.groups]
        if ranks != sorted(ranks, reverse=True):
            raise ValueError("the groups must go from the most urgent tier to the least")

    def tier(self, urgency: Urgency) -> Tier:
        return next(t for t in self.tiers if t.id is urgency)

    def finding(self, finding_id: str) -> Finding:
        return next(f for f in self.findings if f.id == finding_id)

    def number_rule(self, rule_id: str) -> NumberRule | None:
        return next((r for r in self.number_rules if r.id == rule_id), None)

    def days_rule(self, finding_id: str) -> DaysRule | None:
        return next((r for r in self.days_rules if r.finding == finding_id), None)


# --- care plan ----------------------------------------------------------------


class Phase(Data):
    id: Literal["acute", "subacute", "recovery"]
    starts_hours: Annotated[float, Field(ge=0)]
    summary: Text
    sources: SourceIds


class SessionKind(StrEnum):
    ICE = "ice"
    HEAT = "heat"
    WALK = "walk"
    STRETCH = "stretch"
    STRENGTH = "strength"
    BREAK = "break"


class Progression(Data):
    """A hold time that grows with the days spent in the session's window."""

    start_seconds: Annotated[int, Field(gt=0)]
    step_seconds: Annotated[int, Field(ge=0)]
    every_days: Annotated[float, Field(gt=0)]
    max_seconds: Annotated[int, Field(gt=0)]


class WalkingGrowth(Data):
    """How much walking a day the plan asks for: ``start_daily_minutes`` on the
    first day, growing by ``growth_percent`` every ``every_days`` up to
    ``max_daily_minutes``. Each day's walks share it out equally."""

    start_daily_minutes: Annotated[int, Field(gt=0, le=600)]
    growth_percent: Annotated[float, Field(ge=0, le=100)]
    every_days: Annotated[float, Field(gt=0)]
    max_daily_minutes: Annotated[int, Field(gt=0, le=600)]
    sources: SourceIds

    @model_validator(mode="after")
    def _grows(self) -> WalkingGrowth:
        if self.max_daily_minutes < self.start_daily_minutes:
            raise ValueError("max_daily_minutes cannot be below start_daily_minutes")
        return self


class Gate(Data):
    """When a kind of session may start. Without a recent check-in, from
    ``clock_hours`` since onset; with one, from ``from_hours`` once the latest
    check-in shows pain at most ``pain_at_most`` and a back that moves as
    ``mobility`` lists (and no flare)."""

    clock_hours: Annotated[float, Field(ge=0)]
    from_hours: Annotated[float, Field(ge=0)]
    pain_at_most: Annotated[int, Field(ge=0, le=10)]
    mobility: Annotated[tuple[Literal["full", "limited", "very-limited"], ...],
                        Field(min_length=1)]


class CheckInMessages(Data):
    """What the plan says about the latest check-in; ``{pain}`` is a gate's
    pain limit."""

    heading: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    moves: dict[Mobility, Text]
    worse: Text
    flare: Text
    stretch_waits: Text
    strength_waits: Text
    settled: Text
    helped: Text            # {said}: the treatments that eased this person's pain
    nothing_helped_yet: Text


class CheckInRules(Data):
    """How the daily check-in moves the plan: it gates stretching and core
    work, and a flare (worse the morning after, or pain up by
    ``flare_pain_rise`` since the check-in before) steps walking back one step
    and pauses core work. A check-in older than ``stale_after_days`` no longer
    counts, and the plan goes back to the clock."""

    gates: dict[Literal["stretch", "strength"], Gate]
    flare_pain_rise: Annotated[int, Field(ge=1, le=10)]
    stale_after_days: Annotated[float, Field(gt=0)]
    messages: CheckInMessages
    sources: SourceIds


class SessionRule(Data):
    """When and how one kind of session is scheduled, and why."""

    id: Id
    kind: SessionKind
    phases: Annotated[tuple[Literal["acute", "subacute", "recovery"], ...], Field(min_length=1)]
    from_hours: Annotated[float, Field(ge=0)] = 0
    until_hours: Annotated[float, Field(gt=0)] | None = None
    minutes: Annotated[int, Field(gt=0, le=120)]
    every_hours: Annotated[float, Field(gt=0)]
    min_gap_hours: Annotated[float, Field(ge=0)]
    max_per_day: Annotated[int, Field(gt=0)]
    priority: int
    entry: Id
    instructions: Text
    safety: tuple[Text, ...] = ()
    progression: Progression | None = None
    sources: SourceIds

    @model_validator(mode="after")
    def _gap_fits(self) -> SessionRule:
        if self.min_gap_hours > self.every_hours:
            raise ValueError("min_gap_hours cannot exceed every_hours")
        if self.until_hours is not None and self.until_hours <= self.from_hours:
            raise ValueError("until_hours must come after from_hours")
        return self


class Guidance(Data):
    """A note shown with the plan in its ``phases``, and only from ``from_days``
    (and before ``until_days``) since onset when those are given."""

    topic: TopicId
    phases: Annotated[tuple[Literal["acute", "subacute", "recovery"], ...], Field(min_length=1)]
    from_days: Annotated[float, Field(ge=0)] = 0
    until_days: Annotated[float, Field(gt=0)] | None = None
    heading: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = None
    pathway: bool = False  # a change of course, shown first and plainly
    adds: Literal["what-helped"] | None = None  # a line from the person's own diary
    text: Text
    sources: SourceIds

    def shown_at(self, phase: str, days: float) -> bool:
        return (phase in self.phases and days >= self.from_days
                and (self.until_days is None or days < self.until_days))


class PlanEvidenceNote(Data):
    """An evidence note shown with the plan whenever it includes ``when_kind``
    (or always, when ``when_kind`` is None)."""

    when_kind: SessionKind | None = None
    text: Text
    sources: SourceIds


class CarePlanRules(Data):
    phases: Annotated[tuple[Phase, ...], Field(min_length=3, max_length=3)]
    sessions: Annotated[tuple[SessionRule, ...], Field(min_length=1)]
    guidance: tuple[Guidance, ...]
    evidence_notes: tuple[PlanEvidenceNote, ...]
    walking: WalkingGrowth | None = None
    check_in: CheckInRules | None = None
    default_wake: Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}$")]
    default_sleep: Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}$")]
    slot_minutes: Annotated[int, Field(gt=0, le=60)]
    buffer_minutes: Annotated[int, Field(ge=0, le=60)]

    @model_validator(mode="after")
    def _ordered(self) -> CarePlanRules:
        if [p.id for p in self.phases] != ["acute", "subacute", "recovery"]:
            raise ValueError("phases must be acute, subacute, recovery in that order")
        starts = [p.starts_hours for p in self.phases]
        if starts[0] != 0 or not starts[0] < starts[1] < starts[2]:
            raise ValueError("phases must start at 0 hours and then at increasing hours")
        _require_unique([s.id for s in self.sessions], "session rule id")
        return self

    def phase_at(self, hours_since_onset: float) -> Phase:
        return [p for p in self.phases if p.starts_hours <= hours_since_onset][-1]


# --- diary severity levels ---------------------------------------------------


Impact = Literal["none", "some", "unable"]
SeverityId = Literal["mild", "moderate", "severe"]


class SeverityLevel(Data):
    id: SeverityId
    min_pain: Annotated[int, Field(ge=0, le=10)]
    impact: Impact
    description: Text


class SeverityRules(Data):
    """The articles' mild / moderate / severe levels, by pain score and by
    impact on daily activities; an entry takes the higher of the two."""

    levels: Annotated[tuple[SeverityLevel, ...], Field(min_length=3, max_length=3)]
    sources: SourceIds

    @model_validator(mode="after")
    def _ordered(self) -> SeverityRules:
        if [lv.id for lv in self.levels] != ["mild", "moderate", "severe"]:
            raise ValueError("levels must be mild, moderate, severe in that order")
        if [lv.impact for lv in self.levels] != ["none", "some", "unable"]:
            raise ValueError("level impacts must be none, some, unable in that order")
        mins = [lv.min_pain for lv in self.levels]
        if mins[0] != 0 or not mins[0] < mins[1] < mins[2]:
            raise ValueError("min_pain must start at 0 and increase")
        return self

    def classify(self, pain: int, impact: Impact | None) -> SeverityId:
        """The level of ``pain`` and ``impact``; by the pain alone when the
        impact was not answered."""
        by_pain = max(i for i, lv in enumerate(self.levels) if lv.min_pain <= pain)
        by_impact = next((i for i, lv in enumerate(self.levels) if lv.impact == impact), 0)
        return self.levels[max(by_pain, by_impact)].id


# --- crisis support ------------------------------------------------------------


class CrisisLine(Data):
    label: Text
    number: Annotated[str, StringConstraints(pattern=r"^[0-9 ]+$")]
    href: Annotated[str, StringConstraints(pattern=r"^(?:tel|sms):[0-9]+$")]


class Product(Data):
    names: Annotated[tuple[Text, ...], Field(min_length=1)]
    ingredients: Annotated[tuple[Text, ...], Field(min_length=1)]


class MedicineNames(Data):
    """Names of the same ingredients (``medicine_names.yaml``), for the
    diary's "same ingredient" note; ``note`` has {first}, {second} and
    {ingredient} to fill."""

    within_hours: Annotated[float, Field(gt=0)]
    note: Text
    sources: SourceIds
    products: tuple[Product, ...]

    def ingredients(self, name: str) -> frozenset[str]:
        """The ingredients of a medicine as a person logged its name: those of
        the longest known name it is, or begins with (a whole word)."""
        said = " ".join(name.casefold().split())
        best: tuple[int, frozenset[str]] = (0, frozenset())
        for product in self.products:
            for known in product.names:
                known = known.casefold()
                if (said == known or said.startswith(known + " ")) and len(known) > best[0]:
                    best = (len(known), frozenset(product.ingredients))
        return best[1]


class CrisisSupport(Data):
    """What to say first when someone speaks of suicide or self-harm, and the
    lines to call (``crisis.yaml``)."""

    headline: Text
    lead: Text
    message: Text
    lines: Annotated[tuple[CrisisLine, ...], Field(min_length=1)]
    sources: SourceIds

    @property
    def text(self) -> str:
        """All of it, as the API's safety message begins."""
        return f"{self.headline} {self.lead} {self.message}"


# --- the whole ------------------------------------------------------------------


class KnowledgeBase(Data):
    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    entries: tuple[Entry, ...]
    disagreements: tuple[Disagreement, ...]
    triage: TriageRules
    careplan: CarePlanRules
    severity: SeverityRules
    synonyms: Synonyms
    scope: ScopeRule
    safety_phrases: SafetyPhrases
    crisis: CrisisSupport
    medicine_names: MedicineNames

    @model_validator(mode="after")
    def _references_resolve(self) -> KnowledgeBase:
        source_ids = [s.id for s in self.sources]
        topic_ids = [t.id for t in self.topics]
        entry_ids = [e.id for e in self.entries]
        _require_unique(source_ids, "source id")
        _require_unique(topic_ids, "topic id")
        _require_unique(entry_ids, "entry id")
        for where, cited in self._citations():
            unknown = sorted(set(cited) - set(source_ids))
            if unknown:
                raise ValueError(f"{where} cites unknown source(s): {', '.join(unknown)}")
        for entry in self.entries:
            if entry.topic is not None and entry.topic not in topic_ids:
                raise ValueError(f"entry {entry.id!r} has unknown topic {entry.topic!r}")
        for d in self.disagreements:
            for t in d.topics:
                if t not in topic_ids:
                    raise ValueError(f"disagreement {d.id!r} has unknown topic {t!r}")
        findings = {f.id for f in self.triage.findings}
        screened = set(self.safety_phrases.finding_ids())
        if findings != screened:
            raise ValueError(
                "safety_phrases.yaml must list exactly the triage findings; "
                f"missing: {sorted(findings - screened)}, unknown: {sorted(screened - findings)}")
        for rule in self.careplan.sessions:
            if rule.entry not in entry_ids:
                raise ValueError(f"session rule {rule.id!r} names unknown entry {rule.entry!r}")
        for g in self.careplan.guidance:
            if g.topic not in topic_ids:
                raise ValueError(f"plan guidance has unknown topic {g.topic!r}")
        return self

    def _citations(self) -> Iterable[tuple[str, Sequence[str]]]:
        for e in self.entries:
            yield f"entry {e.id!r}", e.sources
            if e.evidence:
                yield f"entry {e.id!r} evidence", e.evidence.sources
        for d in self.disagreements:
            yield f"disagreement {d.id!r}", d.choice_sources
            for position in d.positions:
                yield f"disagreement {d.id!r}", position.sources
        for t in self.triage.tiers:
            yield f"tier {t.id.value!r}", t.sources
        for f in self.triage.findings:
            yield f"finding {f.id!r}", f.sources
        for r in self.triage.days_rules:
            yield f"days rule for {r.finding!r}", r.sources
        yield "crisis support", self.crisis.sources
        yield "medicine names", self.medicine_names.sources
        for p in self.careplan.phases:
            yield f"phase {p.id!r}", p.sources
        for s in self.careplan.sessions:
            yield f"session rule {s.id!r}", s.sources
        for g in self.careplan.guidance:
            yield f"plan guidance on {g.topic!r}", g.sources
        for n in self.careplan.evidence_notes:
            yield "plan evidence note", n.sources
        yield "severity levels", self.severity.sources

    def cited_sources(self) -> set[str]:
        return {s for _, cited in self._citations() for s in cited}

    def entry(self, entry_id: str) -> Entry:
        return next(e for e in self.entries if e.id == entry_id)

    def answering_entries(self) -> tuple[Entry, ...]:
        """The entries that answer questions (those with a topic), in file order:
        the order of the search index and of the shipped entry vectors."""
        return tuple(e for e in self.entries if e.topic is not None)

    def entries_on(self, topic: str) -> list[Entry]:
        return [e for e in self.entries if e.topic == topic]

    def disagreements_on(self, topic: str) -> list[Disagreement]:
        return [d for d in self.disagreements if topic in d.topics]


def _require_unique(ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what} {i!r}")
        seen.add(i)
