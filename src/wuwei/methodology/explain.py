"""Explanations returned with a result, so the UI can answer "why?" in the user's language.

A `Reason` is a stable snake_case `code` plus the numbers behind it. The UI translates the code
into a sentence and fills in the params; the methodology never builds display text.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ReasonParam = str | int | Decimal | None


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired, e.g. `Reason("not_in_top_n", {"rank": 4, "top_n": 3})`."""

    code: str
    params: Mapping[str, ReasonParam] = field(default_factory=dict)
