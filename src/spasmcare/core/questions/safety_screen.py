"""The safety screen: does a free-text question describe a warning sign?

The phrases, the negation, hypothetical and time cues and the scope rules are
knowledge-base data (``safety_phrases.yaml``, whose header explains the
approach); this module validates them, compiles them once and applies them.

This module does not import ``spasmcare.core.knowledge`` at import time:
``knowledge`` imports ``SafetyPhrases`` from here for ``KnowledgeBase``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

if TYPE_CHECKING:
    from spasmcare.core.knowledge import CrisisSupport, TriageRules, Urgency
    from spasmcare.core.questions.safety_net import SafetyNet

Pattern = Annotated[str, StringConstraints(min_length=1)]
Patterns = Annotated[tuple[Pattern, ...], Field(min_length=1)]
Tier = Literal["emergency", "urgent", "soon"]

_TERM = re.compile(r"\{([a-z_]+)\}")


class _Phrases(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class NegationCues(_Phrases):
    """Cues that negate a match when they are among the last ``reach`` words
    before it, in the same clause."""

    reach: Annotated[int, Field(gt=0, le=20)]
    cues: Patterns


class GeneralQuestion(_Phrases):
    """A general question ("does coughing make back pain worse?") with no
    person in its clause does not report a finding of these tiers."""

    tiers: tuple[Tier, ...]
    cues: Patterns
    personal: Pattern


class TimeCues(_Phrases):
    """Cue sets that put a mention in the past (``cues``: within its time
    clause; ``after``: said just after that clause), the ``modes`` that say
    which sets apply to a finding, and the ``ongoing`` cues that cancel them."""

    ongoing: Patterns
    cues: Mapping[str, Patterns]
    after: Mapping[str, Patterns] = {}
    modes: Mapping[str, tuple[str, ...]]

    @model_validator(mode="after")
    def _modes_name_cues(self) -> TimeCues:
        for mode, names in self.modes.items():
            unknown = sorted(set(names) - set(self.cues))
            if unknown:
                raise ValueError(f"time mode {mode!r} names unknown cue set(s): {unknown}")
        unknown = sorted(set(self.after) - set(self.cues))
        if unknown:
            raise ValueError(f"time.after names unknown cue set(s): {unknown}")
        return self


class NearPhrases(_Phrases):
    """A finding told across clauses or sentences ("both legs. They have gone
    numb"): a ``first`` match followed, within ``within`` words, by a ``then``
    match, with nothing from ``not_between`` in between (a new subject such as
    "my arm", or "fine"). Each match is kept or dropped in its own clause as
    usual."""

    within: Annotated[int, Field(gt=0, le=40)]
    first: Patterns
    then: Patterns
    not_between: tuple[Pattern, ...] = ()


class FindingPhrases(_Phrases):
    """How one triage finding is said: any of ``patterns``, every group of
    ``together`` somewhere in the question, or any ``near`` pair; never within
    an ``unless`` clause."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    time: str
    patterns: tuple[Pattern, ...] = ()
    together: tuple[Patterns, ...] = ()
    near: tuple[NearPhrases, ...] = ()
    unless: tuple[Pattern, ...] = ()
    # Crisis words count even when supposed ("what if I took all my pills"):
    # someone who asks that is shown the crisis lines.
    even_if_supposed: bool = False

    @model_validator(mode="after")
    def _has_patterns(self) -> FindingPhrases:
        if not self.patterns and len(self.together) < 2 and not self.near:
            raise ValueError("needs patterns, near pairs, or at least two groups under together")
        return self


class SafetyPhrases(_Phrases):
    """The data of ``safety_phrases.yaml``. Loading checks its structure and
    that every ``{term}`` exists; the regexes are compiled on the first
    ``screen`` (about 0.1 s, which commands that never screen should not pay)
    and kept on the instance. A test compiles the packaged file."""

    rewrites: tuple[tuple[str, str], ...]
    clause_breaks: Patterns
    time_breaks: tuple[Pattern, ...] = ()
    negation: Annotated[tuple[NegationCues, ...], Field(min_length=1)]
    pseudo_negation: tuple[Pattern, ...] = ()
    hypothetical: tuple[Pattern, ...] = ()
    general_question: GeneralQuestion
    time: TimeCues
    terms: Mapping[str, Pattern]
    crisis: FindingPhrases
    findings: Annotated[tuple[FindingPhrases, ...], Field(min_length=1)]

    _compiled: _Compiled | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> SafetyPhrases:
        ids = [f.id for f in self.findings]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"findings listed more than once: {duplicates}")
        for f in (self.crisis, *self.findings):
            if f.time not in self.time.modes:
                raise ValueError(f"finding {f.id!r} has unknown time mode {f.time!r}")
        for pattern in self._all_patterns():
            for name in _TERM.findall(pattern):
                if name not in self.terms:
                    raise ValueError(f"unknown term {{{name}}} in pattern {pattern!r}")
        return self

    def compiled(self) -> _Compiled:
        if self._compiled is None:
            self._compiled = _compile(self)
        return self._compiled

    def finding_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.findings)

    def _all_patterns(self) -> Iterable[str]:
        yield from self.terms.values()
        for f in (self.crisis, *self.findings):
            yield from f.patterns
            yield from f.unless
            for group in f.together:
                yield from group
            for pair in f.near:
                yield from (*pair.first, *pair.then, *pair.not_between)


# --- compiled form ----------------------------------------------------------


@dataclass(frozen=True)
class _Near:
    window: re.Pattern[str]  # the next ``within`` words
    first: re.Pattern[str]
    then: re.Pattern[str]
    not_between: re.Pattern[str] | None


@dataclass(frozen=True)
class _Matcher:
    id: str
    any: re.Pattern[str] | None
    groups: tuple[re.Pattern[str], ...]
    near: tuple[_Near, ...]
    unless: re.Pattern[str] | None
    time: re.Pattern[str] | None
    time_after: re.Pattern[str] | None
    even_if_supposed: bool = False


@dataclass(frozen=True)
class _Compiled:
    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    clause: re.Pattern[str]
    time_clause: re.Pattern[str]
    negation: tuple[tuple[int, re.Pattern[str]], ...]
    pseudo: re.Pattern[str] | None
    hypothetical: re.Pattern[str] | None
    general: re.Pattern[str]
    general_tiers: frozenset[str]
    personal: re.Pattern[str]
    ongoing: re.Pattern[str]
    past: re.Pattern[str]  # any resolved or past cue, for the second net's sentences
    crisis: _Matcher
    matchers: tuple[_Matcher, ...]


def _compile(rules: SafetyPhrases) -> _Compiled:
    terms = rules.terms

    def expand(pattern: str, depth: int = 0) -> str:
        def term(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in terms:
                raise ValueError(f"unknown term {{{name}}} in pattern {pattern!r}")
            if depth > 5:
                raise ValueError(f"terms nest too deeply in {pattern!r}")
            return f"(?:{expand(terms[name], depth + 1)})"

        return _TERM.sub(term, pattern)

    def one(patterns: tuple[str, ...], words: bool = False) -> re.Pattern[str]:
        body = "|".join(f"(?:{expand(p)})" for p in patterns)
        if words:  # whole words only, at both ends of every pattern
            body = f"(?<![a-z0-9])(?:{body})(?![a-z0-9])"
        try:
            return re.compile(body)
        except re.error as err:
            for p in patterns:  # name the culprit, not the whole alternation
                try:
                    re.compile(expand(p))
                except re.error as bad:
                    raise ValueError(f"pattern {p!r} is not a valid regex: {bad}") from None
            raise ValueError(f"patterns do not combine: {err}") from None

    def maybe(patterns: tuple[str, ...], words: bool = False) -> re.Pattern[str] | None:
        return one(patterns, words) if patterns else None

    try:
        rewrites = tuple((re.compile(old), new) for old, new in rules.rewrites)
    except re.error as err:
        raise ValueError(f"a rewrite is not a valid regex: {err}") from None
    time = rules.time

    def matcher(f: FindingPhrases) -> _Matcher:
        sets = time.modes[f.time]
        cue_sets = [p for name in sets for p in time.cues[name]]
        after_sets = [p for name in sets for p in time.after.get(name, ())]
        return _Matcher(
            id=f.id,
            any=maybe(f.patterns, words=True),
            groups=tuple(one(g, words=True) for g in f.together),
            near=tuple(_Near(window=re.compile(rf"(?:\s*\S+){{0,{n.within}}}"),
                             first=one(n.first, words=True), then=one(n.then, words=True),
                             not_between=maybe(n.not_between, words=True))
                       for n in f.near),
            unless=maybe(f.unless, words=True),
            time=maybe(tuple(cue_sets)),
            time_after=maybe(tuple(after_sets)),
            even_if_supposed=f.even_if_supposed,
        )

    gq = rules.general_question
    return _Compiled(
        rewrites=rewrites,
        clause=one(rules.clause_breaks),
        time_clause=one(rules.clause_breaks + rules.time_breaks),
        negation=tuple((n.reach, one(n.cues)) for n in rules.negation),
        pseudo=maybe(rules.pseudo_negation),
        hypothetical=maybe(rules.hypothetical),
        general=one(gq.cues),
        general_tiers=frozenset(gq.tiers),
        personal=one((gq.personal,)),
        ongoing=one(time.ongoing),
        past=one(tuple(p for name in ("resolved", "past") for p in time.cues.get(name, ()))),
        crisis=matcher(rules.crisis),
        matchers=tuple(matcher(f) for f in rules.findings),
    )


# --- screening ----------------------------------------------------------------


@dataclass(frozen=True)
class Safety:
    """What the screen found: the most pressing tier, the findings behind it
    (most pressing first), whether the text speaks of suicide or self-harm
    (``crisis``), and what to tell the person (None for self-care). With
    crisis, ``urgency`` is an emergency whatever the findings; ``warning``
    and ``advice`` are the findings' own tier and advice."""

    urgency: Urgency
    findings: tuple[str, ...]
    message: str | None
    crisis: bool = False
    advice: str | None = None  # the part of ``message`` about the warning signs found
    warning: Urgency | None = None  # their tier, None when none was found

    def to_dict(self) -> dict[str, Any]:
        return {"urgency": self.urgency.value, "message": self.message,
                "findings": list(self.findings), "crisis": self.crisis}


def screen(text: str, rules: SafetyPhrases, triage: TriageRules,
           crisis: CrisisSupport, net: SafetyNet | None = None) -> Safety:
    """Screen ``text`` for words about suicide or self-harm and for every
    triage finding, in lay wording, ignoring negated ("no fever"),
    hypothetical ("what if") and past or resolved ("my fever went away")
    mentions. The highest tier found wins; its message is the tier's headline
    followed by the message of each finding at that tier.
    Crisis words make the urgency an emergency and put ``crisis``'s support
    first, before anything about the back. With ``net``, findings that the
    phrases miss can also be raised by sentence similarity
    (``safety_net``)."""
    from spasmcare.core.knowledge import Urgency, highest  # see the module docstring

    compiled = rules.compiled()
    question = _Question(compiled, text)
    in_crisis = question.reports(compiled.crisis, Urgency.EMERGENCY.value)
    ids = [m.id for m in compiled.matchers if question.reports(m, triage.finding(m.id).tier.value)]
    if net is not None:
        for found_id in net.findings(text, rules, supposed_too=(compiled.crisis.id,)):
            if found_id == compiled.crisis.id:
                in_crisis = True
            elif found_id not in ids:
                ids.append(found_id)
    order = {m.id: i for i, m in enumerate(compiled.matchers)}
    found = [triage.finding(i) for i in sorted(ids, key=order.__getitem__)]
    back = None
    top = Urgency.SELF_CARE
    if found:
        top = highest(f.tier for f in found)
        found.sort(key=lambda f: -f.tier.rank)  # stable: triage order within a tier
        headline = triage.tier(top).headline
        back = " ".join((headline, *said_once(f.message for f in found if f.tier is top)))
    found_ids = tuple(f.id for f in found)
    warning = top if found else None
    if in_crisis:
        return Safety(Urgency.EMERGENCY, found_ids, " ".join(filter(None, (crisis.text, back))),
                      True, back, warning)
    return Safety(top, found_ids, back, False, back, warning)


def said_once(messages: Iterable[str]) -> list[str]:
    """``messages`` with any sentence that an earlier one already said left
    out (two leg findings both say "Keep following your care plan")."""
    seen: set[str] = set()
    out = []
    for message in messages:
        kept = [x for x in _SENTENCE_END.split(message) if x and x not in seen]
        seen.update(kept)
        if kept:
            out.append(" ".join(kept))
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def normalise(compiled: _Compiled, text: str) -> str:
    """``text`` lower-cased and rewritten as the patterns expect it."""
    normal = text.lower()
    for old, new in compiled.rewrites:
        normal = old.sub(new, normal)
    return normal.strip()


class _Question:
    """One normalised question and where its clauses break."""

    def __init__(self, compiled: _Compiled, text: str) -> None:
        self.c = compiled
        self.text = normalise(compiled, text)
        self.breaks = [(m.start(), m.end()) for m in compiled.clause.finditer(self.text)]
        self._time_breaks: list[tuple[int, int]] | None = None

    def reports(self, m: _Matcher, tier: str) -> bool:
        if m.any is not None and self._any_kept(m.any, m, tier):
            return True
        if m.groups and all(self._any_kept(g, m, tier) for g in m.groups):
            return True
        return any(self._near_kept(n, m, tier) for n in m.near)

    def _near_kept(self, near: _Near, m: _Matcher, tier: str) -> bool:
        text = self.text
        for first in near.first.finditer(text):
            if not self._kept(first.start(), first.end(), m, tier):
                continue
            window = near.window.match(text, first.end())
            stop = window.end() if window else first.end()
            for then in near.then.finditer(text, first.end()):
                if then.start() > stop or (near.not_between is not None and near.not_between
                                           .search(text, first.end(), then.start())):
                    break  # too far, or a new subject: nothing further on is about ``first``
                if self._kept(then.start(), then.end(), m, tier):
                    return True
        return False

    def _any_kept(self, pattern: re.Pattern[str], m: _Matcher, tier: str) -> bool:
        return any(self._kept(hit.start(), hit.end(), m, tier)
                   for hit in pattern.finditer(self.text))

    def _kept(self, start: int, end: int, m: _Matcher, tier: str) -> bool:
        c, text = self.c, self.text
        begin, finish = _clause(self.breaks, start, end, len(text))
        before = text[begin:start]
        if (not m.even_if_supposed and c.hypothetical is not None
                and c.hypothetical.search(before)):
            return False
        if m.unless is not None and m.unless.search(text, begin, finish):
            return False
        if self._negated(before):
            return False
        if (tier in c.general_tiers and c.general.search(before)
                and not c.personal.search(text, begin, finish)):
            return False
        return (not self._in_the_past(start, end, m)
                or self.c.ongoing.search(text, begin, finish) is not None)

    def _negated(self, before: str) -> bool:
        if self.c.pseudo is not None:
            before = self.c.pseudo.sub(" ", before)
        words = before.split()
        return any(cue.search(" ".join(words[-reach:])) for reach, cue in self.c.negation)

    def _in_the_past(self, start: int, end: int, m: _Matcher) -> bool:
        if m.time is None:
            return False
        if self._time_breaks is None:
            self._time_breaks = [(b.start(), b.end())
                                 for b in self.c.time_clause.finditer(self.text)]
        begin, finish = _clause(self._time_breaks, start, end, len(self.text))
        return (m.time.search(self.text, begin, finish) is not None
                or (m.time_after is not None and m.time_after.match(self.text, finish) is not None))


def _clause(breaks: list[tuple[int, int]], start: int, end: int, length: int) -> tuple[int, int]:
    """The span of the clause around ``start:end``: from the end of the last
    break before it to the start of the first break after it."""
    begin = max((b_end for _, b_end in breaks if b_end <= start), default=0)
    finish = min((b_start for b_start, _ in breaks if b_start >= end), default=length)
    return begin, finish
