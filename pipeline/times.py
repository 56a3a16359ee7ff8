"""Times and deadlines, resolved against the document's reference date (spec §3)."""
from __future__ import annotations

import datetime as dt

from .normalize import NormalText
from .records import Time


def extract(nt: NormalText, reference_date: dt.date | None) -> list[Time]:
    """Time mentions in the view of `nt`; spans index the original text."""
    return []


def find_reference_date(nt: NormalText) -> tuple[dt.date, str] | None:
    """The document's own date: a date line, a dateline at the top, else the latest full date."""
    return None
