"""The words people use for what the knowledge base covers, as data.

``synonyms.yaml`` maps lay, brand and short wording ("Aleve", "threw my back
out", "chiro") to the words the entries use; ``scope.yaml`` holds the rule that
decides when a question is about something SpasmCare does not cover. Both are
read by ``spasmcare.core.loader``; ``terms`` and ``scope`` interpret them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1,
                                          pattern=r"^[a-z0-9' -]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class SynonymGroup(_Vocabulary):
    """Every variant means ``term``: a variant found in a question or an entry
    is read as the term, so both sides meet on the same words."""

    term: Phrase
    variants: Annotated[tuple[Phrase, ...], Field(min_length=1)]


class Synonyms(_Vocabulary):
    """The synonym groups, and the words that say nothing about what a
    question is after ("what", "my", "the") and are left out of matching."""

    groups: tuple[SynonymGroup, ...]
    ignore: tuple[Phrase, ...] = ()

    @model_validator(mode="after")
    def _each_variant_once(self) -> Synonyms:
        seen: dict[str, str] = {}
        for group in self.groups:
            for variant in group.variants:
                if variant in seen:
                    raise ValueError(f"variant {variant!r} is in the groups of "
                                     f"{seen[variant]!r} and {group.term!r}")
                seen[variant] = group.term
        for group in self.groups:
            if seen.get(group.term, group.term) != group.term:
                raise ValueError(f"term {group.term!r} is also a variant of "
                                 f"{seen[group.term]!r}")
        return self


class ScopeRule(_Vocabulary):
    """When a question is in scope; ``core.scope`` applies the rule and
    ``scope.yaml`` explains it. ``reply`` is what SpasmCare says instead of
    an answer to a question out of scope."""

    min_score: Annotated[float, Field(ge=0, le=1)]
    min_closeness: Annotated[float, Field(ge=0, le=1)] = 0.0
    other_with_back_closeness: Annotated[float, Field(ge=0, le=1)] | None = None
    back_terms: Annotated[tuple[Phrase, ...], Field(min_length=1)]
    care_terms: tuple[Phrase, ...] = ()
    elsewhere: tuple[Phrase, ...] = ()
    other_subjects: tuple[Phrase, ...] = ()
    reply: Text
