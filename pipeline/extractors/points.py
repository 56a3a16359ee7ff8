"""Calendar points as a time rule writes them, and the calendar arithmetic that places them.

A point is what `point_parts` of `rules/times.yaml` reads out of one point's text: its year
(written, two digits, in brackets, relative, or left to the context), a part of the year, a
month with its day or tail, a month counted from the reference date, or a day alone. The
functions here know nothing of rules: they add months, place two-digit years and find the
first and last day of a month, a tail or a leap day.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from pipeline.extractors.numerals import whole_number


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, n: int) -> dt.date:
    """`day` moved by `n` calendar months, the day clipped to the month's length
    (2019-03-31 less one month is 2019-02-28)."""
    year, month = divmod(day.year * 12 + day.month - 1 + n, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def pivot(yy: int, ref_year: int, back: int) -> int:
    """The year ending in the two digits `yy` that lies in [ref_year − back, ref_year − back + 99]."""
    low = ref_year - back
    return low + (yy - low) % 100


def leap_year_before(year: int) -> int:
    """The latest year up to `year` that has a 29 February."""
    while not calendar.isleap(year):
        year -= 1
    return year


def tail(kind, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The part of [first, last] a tail word keeps: its first day, last day, whole, or days a–b."""
    if kind == "first":
        return first, first
    if kind == "last":
        return last, last
    if kind == "whole":
        return first, last
    a, b = kind
    return first.replace(day=a), min(last, first.replace(day=min(b, last.day)))


@dataclass(frozen=True)
class Point:
    """One calendar point as written: its named parts (the groups of `point_parts`)."""

    g: dict

    @property
    def written_year(self) -> bool:
        """The point writes its year itself (a number or a word), not left to the context."""
        return any(self.g.get(k) for k in ("iy", "y", "yy", "by", "ry", "rm", "rdp", "cy", "cm"))

    @property
    def from_reference(self) -> bool:
        """The point is counted from the reference date (`今年`, `本月`)."""
        return bool(self.g.get("ry") or self.g.get("rm") or self.g.get("rdp"))

    @property
    def month_from_context(self) -> bool:
        """A day alone (`22日`) or a month's end alone (`月底`): the month is the context's."""
        return bool(self.g.get("d0") or self.g.get("mt0"))

    @property
    def leap_day(self) -> bool:
        """29 February written without its year (a leap day looked for in earlier years)."""
        m, d = self.g.get("m"), self.g.get("d")
        return bool(m and d) and (whole_number(m), whole_number(d)) == (2, 29)

    @property
    def empty(self) -> bool:
        return not any(self.g.values())
