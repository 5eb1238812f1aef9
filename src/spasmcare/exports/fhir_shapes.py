"""The shapes of the resources SpasmCare writes by the thousand (pain scores
and habits, sessions, medicines), so that an import can check most entries
fast and leave the rest to the full R4B models.

``SHAPES`` lists, for each element, the parts SpasmCare writes: ``None`` for
a primitive, whose type is taken from the R4B model itself (so a value is
accepted or refused by the very validator the model uses), or the name of
another shape (in a list when the element repeats). Which parts are required
and which are choices of one (``value[x]``) is read from the models too. An
entry that fits is valid R4 (extra elements, nulls and empty lists are
refused, so anything else goes to the models), no deeper and with no longer
arrays than ``core.documents.check_shape`` allows, and its values come out
as the models hold them. ``fit`` answers None for an entry that does not fit:
the models then decide, and say what is wrong, exactly as before.

The tests hold ``fit`` to the models on damaged and random resources.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal, NotRequired, Required, Union, get_args

from pydantic import AfterValidator, ConfigDict, Discriminator, Field, Tag, TypeAdapter
from pydantic import ValidationError as PydanticError
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from spasmcare.core.documents import MAX_NESTED_ITEMS

Part = str | list[str] | None
SHAPES: dict[str, dict[str, Part]] = {
    "Coding": {"system": None, "code": None, "display": None},
    "CodeableConcept": {"coding": ["Coding"], "text": None},
    "Identifier": {"system": None, "value": None},
    "Reference": {"reference": None, "type": None, "identifier": "Identifier"},
    "Annotation": {"text": None},
    "Quantity": {"value": None, "unit": None, "system": None, "code": None},
    "Period": {"start": None, "end": None},
    "Extension": {"url": None, "valueCode": None, "valueString": None, "valueInteger": None,
                  "valueBoolean": None, "valueDecimal": None},
    "ProcedurePerformer": {"actor": "Reference"},
    "Observation": {
        "extension": ["Extension"], "identifier": ["Identifier"], "status": None,
        "category": ["CodeableConcept"], "code": "CodeableConcept", "subject": "Reference",
        "focus": ["Reference"], "effectiveDateTime": None, "performer": ["Reference"],
        "valueInteger": None, "valueQuantity": "Quantity", "note": ["Annotation"],
        "bodySite": "CodeableConcept"},
    "Procedure": {
        "extension": ["Extension"], "identifier": ["Identifier"], "status": None,
        "code": "CodeableConcept", "subject": "Reference", "performedPeriod": "Period",
        "performer": ["ProcedurePerformer"], "reasonReference": ["Reference"],
        "note": ["Annotation"]},
    "MedicationStatement": {
        "extension": ["Extension"], "identifier": ["Identifier"], "status": None,
        "medicationCodeableConcept": "CodeableConcept", "subject": "Reference",
        "effectiveDateTime": None, "informationSource": "Reference",
        "reasonReference": ["Reference"], "note": ["Annotation"]},
}
RESOURCES = ("Observation", "Procedure", "MedicationStatement")


def fit(entry: object) -> tuple[str, dict[str, Any]] | None:
    """The fullUrl and resource of a Bundle entry in one of SHAPES, its values
    validated as the R4B models validate them; None when it is not in one."""
    try:
        found = _entry().validate_python(entry)
    except PydanticError:
        return None
    return found["fullUrl"], found["resource"]


@cache
def _entry() -> TypeAdapter[Any]:
    from fhir.resources.R4B import get_fhir_model_class

    built: dict[str, Any] = {}

    def shape(name: str) -> Any:
        if name not in built:
            built[name] = _shape(name, get_fhir_model_class(name), shape)
        return built[name]

    entry_model = get_fhir_model_class("BundleEntry")
    resource = Annotated[Union[tuple(Annotated[shape(r), Tag(r)] for r in RESOURCES)],  # noqa: UP007
                         Discriminator(_resource_type)]
    entry = TypedDict("BundleEntry", {  # type: ignore[operator]  # noqa: UP013 - built here
        "fullUrl": Required[_primitive(entry_model.model_fields["fullUrl"].annotation)],
        "resource": Required[resource]})
    entry.__pydantic_config__ = ConfigDict(extra="forbid")
    return TypeAdapter(entry)


def _shape(name: str, model: Any, shape: Callable[[str], Any]) -> Any:
    required = {n for n, _ in model.get_required_fields(None)}
    required |= {n for n, f in model.model_fields.items() if f.is_required()}
    choices: list[tuple[frozenset[str], bool]] = []
    for members in model.get_one_of_many_fields(None).values():
        ours = frozenset(m for m in members if m in SHAPES[name])
        needed = (model.model_fields[members[0]].json_schema_extra or {}).get(
            "one_of_many_required") is True
        if needed and len(ours) == 1:
            required |= ours  # the one choice a resource of ours can make
        elif len(ours) > 1 or needed:
            choices.append((ours, needed))
    fields: dict[str, Any] = {}
    if name in RESOURCES:
        fields["resourceType"] = Required[Literal[name]]
    for element, part in SHAPES[name].items():
        if part is None:
            kind = _primitive(model.model_fields[element].annotation)
        elif isinstance(part, list):
            # Never empty (the models would keep it), never long (check_shape would
            # refuse it): such a list goes to them.
            kind = Annotated[list[shape(part[0])],  # type: ignore[misc]
                             Field(min_length=1, max_length=MAX_NESTED_ITEMS)]
        else:
            kind = shape(part)
        fields[element] = Required[kind] if element in required else NotRequired[kind]
    typed = TypedDict(name, fields)  # type: ignore[operator]
    typed.__pydantic_config__ = ConfigDict(extra="forbid")
    if not choices:
        return typed
    return Annotated[typed, AfterValidator(lambda value: _one_of(choices, value))]


def _one_of(choices: list[tuple[frozenset[str], bool]], value: dict[str, Any]) -> dict[str, Any]:
    """The models' rule for value[x] and the like: at most one, and one when
    the choice is required."""
    for members, required in choices:
        present = len(members.intersection(value))
        if present > 1 or (required and present == 0):
            raise ValueError("one of " + ", ".join(sorted(members)))
    return value


def _primitive(annotation: Any) -> Any:
    """A model's primitive type without its ``None``: a null is left to the models."""
    kinds = [a for a in get_args(annotation) if a is not type(None)]
    assert len(kinds) == 1, annotation
    return kinds[0]


def _resource_type(value: Any) -> str | None:
    return value.get("resourceType") if isinstance(value, dict) else None
