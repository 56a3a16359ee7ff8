"""The date a document was written: what its relative times (今年, 年底前) resolve against.

Read from the text when the caller and the manifest give none: a date line, a dateline at the
top, the session of the National People's Congress a work report is addressed to, else the
latest full date that does not look ahead. The patterns are the `reference_date` section of
`rules/times.yaml`, which shares the times' fragments.
"""
from __future__ import annotations

import datetime as dt
import re

from pipeline.extractors.numerals import whole_number as cn_int
from pipeline.extractors.times import MAX_YEAR, Compiled, compile_rules


class Dating:
    """Finds the date a document was written, from the `reference_date` rules of times.yaml."""

    def __init__(self, r: Compiled | None = None):
        self.r = r or compile_rules()

    def reference_date(self, view: str) -> tuple[dt.date, str] | None:
        """The document's own date: a date line, a dateline at the top, the session of the National
        People's Congress it is addressed to (`session`), else the latest full date (`latest_date`)."""
        c = self.r
        for key in ("labelled", "bracketed"):
            for m in c.ref[key].finditer(view):
                d = self._full_date(m)
                if d:
                    return d, "dateline"
        head = self._head(view, c.spec.reference_date.dateline_lines)
        for m in c.ref["dateline"].finditer(head):
            d = self._full_date(m)
            if d:
                return d, "dateline"
        d = self._news_dateline(head, view)
        if d:
            return d, "dateline"
        d = self._session_date(head)
        if d:
            return d, "session"
        d = self._latest_date(view)
        return (d, "latest_date") if d else None

    @staticmethod
    def _head(view: str, lines: int) -> str:
        """The text up to the end of its first `lines` lines that hold a letter or a digit.

        Why: pages copied from the web open with blank and zero-width lines before the title.
        """
        seen = 0
        for m in re.finditer(r"[^\n]*\n?", view):
            if re.search(r"[0-9A-Za-z\u4e00-\u9fff]", m.group()):
                seen += 1
                if seen == lines:
                    return view[:m.end()]
            if not m.group():
                break
        return view

    def _session_date(self, head: str) -> dt.date | None:
        """The opening day of the People's Congress session a report is addressed to."""
        c = self.r
        m = c.ref["session"].search(head)
        if not m:
            return None
        term, session = m.group("term") or m.group("term2"), m.group("session") or m.group("session2")
        return c.spec.reference_date.npc_sessions.opening(cn_int(term), cn_int(session) if session else 1)

    def _latest_date(self, view: str) -> dt.date | None:
        """The latest full date the text writes, leaving out dates that look ahead.

        (`到1997年7月1日`, `1999年12月20日…将`: a report may name a planned day years ahead.)
        """
        c = self.r
        dates = []
        for m in c.ref["full_date"].finditer(view):
            before = view[max(0, m.start() - 4):m.start()]
            if c.ref["future_before"].search(before) or c.ref["future_after"].match(view, m.end()):
                continue
            d = self._full_date(m)
            if d:
                dates.append(d)
        return max(dates) if dates else None

    def _news_dateline(self, head: str, view: str) -> dt.date | None:
        """`北京11月10日消息` dated with the latest year the text writes (a news item's own year)."""
        c = self.r
        m = c.ref["news_dateline"].search(head)
        years = [cn_int(y.group("y")) for y in c.ref["text_year"].finditer(view)]
        years = [y for y in years if 1949 <= y <= MAX_YEAR]
        if not m or not years:
            return None
        g = m.groupdict()
        try:
            return dt.date(max(years), cn_int(g["m"] or g["m2"]), cn_int(g["d"] or g["d2"]))
        except ValueError:
            return None

    @staticmethod
    def _full_date(m: re.Match) -> dt.date | None:
        """A valid date from a `full_date` match, or None (2月30日, years outside 1949–2100)."""
        g = m.groupdict()
        try:
            y = cn_int(g["y"])
            d = dt.date(y, cn_int(g.get("m") or g["m2"]), cn_int(g.get("d") or g["d2"]))
        except (ValueError, TypeError, KeyError):
            return None
        return d if 1949 <= d.year <= MAX_YEAR else None
