"""Reading what a person typed or tapped into a page's form. Every problem is a
FieldError: a BadInput that also says which field it is about, so the page can
be shown again with the message next to that field and the value kept."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from spasmcare.core.errors import BadInput


class FieldError(BadInput):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def record_id(form: Any) -> dict[str, str]:
    """The ``id`` the form was drawn with (``record_id_field``), if it is one."""
    value = str(form.get("record_id") or "")
    return {"id": value} if re.fullmatch(r"[0-9a-f]{32}", value) else {}


def whole_number(text: object, field: str, label: str, low: int, high: int) -> int:
    value = str(text if text is not None else "").strip()
    # ASCII digits only: "²" and "①" are digits to str.isdigit but not to int().
    if not (value.isascii() and value.isdigit() and len(value) <= 9) \
            or not low <= int(value) <= high:
        raise FieldError(field, f"{label} must be a whole number from {low} to {high} "
                                f"(got {value!r})")
    return int(value)


def number(text: object, field: str, label: str, low: float, high: float) -> float:
    value = str(text if text is not None else "").strip()
    try:
        amount = float(value) if len(value) <= 32 else math.nan
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount) or not low <= amount <= high:
        raise FieldError(field, f"{label} must be a number from {low:g} to {high:g} "
                                f"(got {value!r})")
    return amount


def choice(text: object, field: str, label: str, allowed: Sequence[str],
           default: str | None = None) -> str:
    value = str(text).strip() if text is not None else ""
    if not value and default is not None:
        return default
    if value not in allowed:
        raise FieldError(field, f"{label} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def optional_choice(text: object, field: str, label: str, allowed: Sequence[str]) -> str | None:
    value = str(text).strip() if text is not None else ""
    return choice(value, field, label, allowed) if value else None
