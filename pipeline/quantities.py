"""Quantities: every count in a report with its value, unit and what it counts (spec §2)."""
from __future__ import annotations

from .normalize import NormalText
from .records import Quantity


def extract(nt: NormalText) -> list[Quantity]:
    """Quantities found in the view of `nt`; spans index the original text."""
    return []
