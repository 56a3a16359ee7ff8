"""Write expected/*.json from the hand-written expectations below.

The expectations (which figure, which date, which check) are written by hand, by reading each
notice; this script only (1) turns "the k-th `24个` after `反馈的`" into offsets and checks
`text[start:end] == text`, (2) does the calendar arithmetic of anchored deadlines and of
`days_over`, and (3) computes the comparison table by the rules of design.md §8, so that the
numbers in expected/ cannot drift from the notices. Run: python3 make_expected.py
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NOTICES, EXPECTED = ROOT / "notices", ROOT / "expected"
FIGURES = ("problems", "measures", "done", "ongoing", "rate", "rules", "disciplined", "leads",
           "new_problems")
ORDER = ("record_id", "doc_id", "notice", "document_date", "region", "body", "reason", "inspector",
         "inspection_period", "feedback_date", "deadline", "as_of", *FIGURES, "rate_computed",
         "checks", "links")


def span(text: str, needle: str, k: int = 1, after: str | None = None) -> dict:
    """The k-th occurrence of `needle` (after the first occurrence of `after`, if given)."""
    pos = text.index(after) if after else 0
    for _ in range(k):
        pos = text.index(needle, pos)
        while needle[0].isdigit() and pos and (text[pos - 1].isdigit() or text[pos - 1] == "."):
            pos = text.index(needle, pos + 1)  # `5个` is not the tail of `35个`
        found, pos = pos, pos + 1
    assert text[found:found + len(needle)] == needle
    return {"text": needle, "start": found, "end": found + len(needle)}


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, the day clamped to the month's length (01-31 + P1M = 02-28/29)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve(anchor: str, offset: str) -> str:
    assert offset.startswith("P") and offset.endswith("M"), offset
    return add_months(dt.date.fromisoformat(anchor), int(offset[1:-1])).isoformat()


class Notice:
    """Expectations for one notice, written against its text."""

    def __init__(self, name: str, manifest: dict):
        self.name, self.text, self.row = name, (NOTICES / name).read_text(encoding="utf-8"), manifest
        self.records: list[dict] = []

    def s(self, needle, k=1, after=None):
        return span(self.text, needle, k, after)

    def fig(self, value, unit, *spans, combine=None, values=None, approx=None):
        """A figure: spans are (needle, k, after) tuples or needles; each with its own value."""
        evidence = []
        for item in spans:
            needle, k, after, v = (item + (None,) * 4)[:4] if isinstance(item, tuple) else (item, 1, None, None)
            e = self.s(needle, k or 1, after)
            e["value"] = v if v is not None else value
            evidence.append(e)
        if combine is None:
            combine = "single" if len(evidence) == 1 else "repeat"
        out = {"value": value, "approx": approx, "unit": unit, "combine": combine,
               "conflict": values is not None, "evidence": evidence}
        if values is not None:
            out["values"] = values
        return out

    def record(self, **kw) -> dict:
        n = len(self.records) + 1
        rec = {"record_id": f"{self.name}#{n}", "doc_id": self.name,
               "document_date": self.row["publish_date"], "region": self.row["region"] or None,
               "reason": None, "inspector": None, "inspection_period": None,
               "feedback_date": None, "deadline": None, "as_of": None,
               **{f: None for f in FIGURES}, "rate_computed": None, "checks": [], "links": None}
        rec.update(kw)
        rec = {k: rec[k] for k in ORDER}
        self.records.append(rec)
        return rec


def body(n: Notice, name, key, level, needle, k=1, after=None):
    return {"name": name, "key": key, "level": level, **n.s(needle, k, after)}


def inspector(n: Notice, name, needle, k=1, after=None):
    return {"name": name, **n.s(needle, k, after)}


def period(n: Notice, start, end, needle, k=1, earlier=()):
    return {"start_date": start, "end_date": end, **n.s(needle, k), "earlier": list(earlier)}


def feedback(n: Notice, date, needle=None, k=1, earlier=()):
    if needle is None:
        return {"date": date, "source": "manifest", "text": None, "start": None, "end": None,
                "earlier": list(earlier)}
    return {"date": date, "source": "text", **n.s(needle, k), "earlier": list(earlier)}


def deadline(n: Notice, needle, offset=None, anchor=None, fb=None, end_date=None, later=(), k=1):
    d = {**n.s(needle, k), "offset": offset, "anchor": anchor}
    if offset:
        d.update(anchor_date=fb["date"], anchor_source=fb["source"],
                 anchor_text=fb["text"], anchor_start=fb["start"], end_date=resolve(fb["date"], offset))
    else:
        d.update(anchor_date=None, anchor_source=None, anchor_text=None, anchor_start=None,
                 end_date=end_date)
    d["later"] = [{**n.s(t), "end_date": e} for t, e in later]
    return d


def as_of(n: Notice, date, needle):
    return {"date": date, **n.s(needle)}


def rate_of(done, problems):
    """Percent to one decimal, half up (81.25 -> 81.3), as an analyst would round it."""
    exact = Decimal(100) * Decimal(done) / Decimal(problems)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def checks_for(rec: dict) -> list[dict]:
    """The checks of design.md §6, from the expected values (used to cross-check the hand list)."""
    out, v = [], {f: (rec[f] or {}).get("value") for f in FIGURES}
    for f in FIGURES:
        if rec[f] and rec[f]["conflict"]:
            out.append({"check": "conflict", "field": f, "values": rec[f]["values"]})
    p, d, o, r = v["problems"], v["done"], v["ongoing"], v["rate"]
    if p is not None and d is not None and o is not None and d + o != p:
        out.append({"check": "sum_mismatch", "problems": p, "done": d, "ongoing": o})
    if r is not None and p and d is not None and abs(r - 100 * d / p) > 0.5:
        out.append({"check": "rate_mismatch", "stated": r, "computed": rate_of(d, p)})
    dl = rec["deadline"]
    open_, basis = (o, "stated") if o is not None else ((p - d, "implied") if p is not None and d is not None else (None, None))
    if dl and dl["end_date"] and open_:
        ref, ref_kind = (rec["as_of"]["date"], "as_of") if rec["as_of"] else (rec["document_date"], "document_date")
        over = (dt.date.fromisoformat(ref) - dt.date.fromisoformat(dl["end_date"])).days
        if over > 0:
            out.append({"check": "overdue", "open": open_, "open_basis": basis, "deadline": dl["end_date"],
                        "reference": ref_kind, "reference_date": ref, "days_over": over})
    return out


def build(rows: dict[str, dict]) -> dict[str, Notice]:
    N = {name: Notice(name, row) for name, row in rows.items()}

    n = N["01_qinglan-agri-progress.txt"]
    fb = feedback(n, "2024-06-14", "2024年6月14日")
    n.record(notice="progress",
             body=body(n, "青岚县农业农村局党组", "青岚县农业农村局", "county", "县农业农村局党组", after="县委第二巡察组对"),
             inspector=inspector(n, "青岚县委第二巡察组", "县委第二巡察组", 2),
             inspection_period=period(n, "2024-03-11", "2024-05-10", "2024年3月11日至5月10日"),
             feedback_date=fb, deadline=deadline(n, "反馈后3个月内", "P3M", "反馈", fb),
             as_of=as_of(n, "2024-08-31", "截至2024年8月31日"),
             problems=n.fig(24, "个", ("24个",)), measures=n.fig(56, "条", ("56条",)),
             done=n.fig(21, "个", ("21个",)),
             ongoing=n.fig(3, "个", ("3个", 1, "正在整改"), ("3个", 1, "对正在整改的")),
             rate=n.fig(87.5, "%", ("87.5%",)), rules=n.fig(14, "项", ("14项",)),
             disciplined=n.fig(6, "人", ("2人", 1, None, 2), ("4人", 1, None, 4), combine="sum"),
             leads=n.fig(5, "件", ("5件",)), rate_computed=rate_of(21, 24))

    n = N["02_shitang-town-report.txt"]
    fb = feedback(n, "2023-11-06")  # undated in the text: the manifest's feedback_date
    n.record(notice="report",
             body=body(n, "松川县石塘镇党委", "松川县石塘镇", "township", "石塘镇党委", after="第一巡察组对"),
             inspector=inspector(n, "松川县委第一巡察组", "县委第一巡察组"),
             inspection_period=period(n, "2023-09-04", "2023-10-20", "2023年9月4日至10月20日"),
             feedback_date=fb, deadline=deadline(n, "反馈后3个月内", "P3M", "反馈", fb),
             as_of=as_of(n, "2024-02-29", "截至2024年2月29日"),
             problems=n.fig(18, "个", ("18个", 1)), measures=n.fig(42, "条", ("42条",)),
             done=n.fig(18, "个", ("18个", 2)), rate=n.fig(100, "%", ("100%",)),
             rules=n.fig(9, "项", ("9项",)), disciplined=n.fig(2, "名", ("2名",)),
             rate_computed=100.0)

    n = N["03_linxi-culture-recheck.txt"]
    first_fb = feedback(n, "2023-06-16", "2023年6月16日")
    fb = feedback(n, "2024-10-22", "2024年10月22日", earlier=[first_fb])
    first_period = period(n, "2023-04-10", "2023-05-26", "2023年4月10日至5月26日")
    n.record(notice="recheck",
             body=body(n, "临溪市文化广电旅游局党组", "临溪市文化广电旅游局", "municipal", "市文化广电旅游局党组"),
             inspector=inspector(n, "临溪市委第三巡察组", "市委第三巡察组", 1, "2024年10月22日"),
             inspection_period=period(n, "2024-08-19", "2024-09-13", "2024年8月19日至9月13日", earlier=[first_period]),
             feedback_date=fb, deadline=deadline(n, "反馈后2个月内", "P2M", "反馈", fb),
             problems=n.fig(31, "个", ("31个",)), done=n.fig(27, "个", ("27个",)),
             ongoing=n.fig(4, "个", ("4个",)), rate=n.fig(87.1, "%", ("87.1%",)),
             leads=n.fig(1, "件", ("1件",)), new_problems=n.fig(6, "个", ("6个",)),
             rate_computed=rate_of(27, 31))

    n = N["04_yunfeng-medinsurance-feedback.txt"]
    fb = feedback(n, "2024-04-18", "2024年4月18日")
    n.record(notice="feedback",
             body=body(n, "云峰县医疗保障局党组", "云峰县医疗保障局", "county", "县医疗保障局党组"),
             inspector=inspector(n, "云峰县委第四巡察组", "云峰县委第四巡察组"),
             inspection_period=period(n, "2024-02-26", "2024-03-29", "2024年2月26日至3月29日"),
             feedback_date=fb, deadline=deadline(n, "反馈后2个月内", "P2M", "反馈", fb),
             problems=n.fig(21, "个", ("21个",)), leads=n.fig(3, "件", ("3件",)))

    n = N["05_beiyuan-two-bodies-progress.txt"]
    fb = feedback(n, "2024-09-10", "2024年9月10日")
    shared = dict(notice="progress", inspector=inspector(n, "北沅市委第一巡察组", "市委第一巡察组", 2),
                  inspection_period=period(n, "2024-05-13", "2024-07-05", "2024年5月13日至7月5日"),
                  feedback_date=fb, deadline=deadline(n, "反馈后3个月内", "P3M", "反馈", fb),
                  as_of=as_of(n, "2024-11-30", "截至2024年11月30日"))
    n.record(body=body(n, "北沅市水利局党组", "北沅市水利局", "municipal", "市水利局党组"), **shared,
             problems=n.fig(26, "个", ("26个",)), done=n.fig(22, "个", ("22个",)),
             ongoing=n.fig(4, "个", ("4个",)), rate=n.fig(84.6, "%", ("84.6%",)),
             measures=n.fig(58, "条", ("58条",)), rules=n.fig(7, "项", ("7项",)),
             disciplined=n.fig(3, "名", ("3名",)), rate_computed=rate_of(22, 26))
    n.record(body=body(n, "北沅市林业局党组", "北沅市林业局", "municipal", "市林业局党组"), **shared,
             problems=n.fig(19, "个", ("19个", 1)), done=n.fig(19, "个", ("19个", 2)),
             rate=n.fig(100, "%", ("100%",)), measures=n.fig(41, "条", ("41条",)),
             rules=n.fig(5, "项", ("5项",)), leads=n.fig(2, "件", ("2件",)), rate_computed=100.0)

    n = N["06_wuxiqu-housing-overdue.txt"]
    fb = feedback(n, "2023-05-22", "2023年5月22日")  # the text wins over the manifest's 2023-05-25
    n.record(notice="progress",
             body=body(n, "梧溪区住房和城乡建设局党组", "梧溪区住房和城乡建设局", "county", "区住房和城乡建设局党组", after="第三巡察组对"),
             inspector=inspector(n, "梧溪区委第三巡察组", "区委第三巡察组", 2),
             inspection_period=period(n, "2023-03-06", "2023-04-21", "2023年3月6日至4月21日"),
             feedback_date=fb,
             deadline=deadline(n, "反馈后2个月内", "P2M", "反馈", fb, later=[("2023年12月底前", "2023-12-31")]),
             as_of=as_of(n, "2023-10-31", "截至2023年10月31日"),
             problems=n.fig(35, "个", ("35个",)), done=n.fig(30, "个", ("30个",)),
             ongoing=n.fig(5, "个", ("5个", 1), ("5个", 2)), rate=n.fig(85.7, "%", ("85.7%",)),
             measures=n.fig(88, "条", ("88条",)),
             rules=n.fig(15, "项", ("6项", 1, None, 6), ("9项", 1, None, 9), combine="sum"),
             disciplined=n.fig(7, "人", ("1人", 1, None, 1), ("2人", 1, None, 2), ("4人", 1, None, 4), combine="sum"),
             rate_computed=rate_of(30, 35))

    n = N["07_nanping-college-norate.txt"]
    n.record(notice="progress",
             body=body(n, "南屏职业技术学院党委", "南屏职业技术学院", "unit", "学院党委", 1, "第二巡察组对"),
             inspector=inspector(n, "市委第二巡察组", "市委第二巡察组", 2),
             inspection_period=period(n, "2024-04-08", "2024-05-31", "2024年4月8日至5月31日"),
             feedback_date=feedback(n, "2024-07-05", "2024年7月5日"),
             deadline=deadline(n, "2024年12月31日前", end_date="2024-12-31"),
             problems=n.fig(27, "个", ("27个",)), done=n.fig(25, "个", ("25个",)),
             ongoing=n.fig(2, "个", ("2个",)), measures=n.fig(63, "条", ("63条",)),
             rules=n.fig(11, "项", ("11项",)), rate_computed=rate_of(25, 27))

    n = N["08_hechuan-transport-contradiction.txt"]
    n.record(notice="progress",
             body=body(n, "鹤川县交通运输局党组", "鹤川县交通运输局", "county", "县交通运输局党组", after="第一巡察组对"),
             inspector=inspector(n, "鹤川县委第一巡察组", "县委第一巡察组", 2),
             inspection_period=period(n, "2024-04-01", "2024-05-17", "2024年4月1日至5月17日"),
             feedback_date=feedback(n, "2024-06-20", "2024年6月20日"),
             as_of=as_of(n, "2024-10-31", "截至2024年10月31日"),
             problems=n.fig(None, "个", ("32个", 1, None, 32), ("34个", 1, None, 34), combine="single", values=[32, 34]),
             done=n.fig(30, "个", ("30个",)), ongoing=n.fig(4, "个", ("4个",)),
             measures=n.fig(71, "条", ("71条",)), rules=n.fig(10, "项", ("10项",)))

    n = N["09_dongling-health-trad.txt"]
    n.record(notice="progress",
             body=body(n, "东岭市卫生健康委员会党组", "东岭市卫生健康委员会", "municipal", "市衛生健康委員會黨組", 1, "第二巡察組對"),
             inspector=inspector(n, "东岭市委第二巡察组", "市委第二巡察組", 2),
             inspection_period=period(n, "2023-10-16", "2023-12-15", "2023年10月16日至12月15日"),
             feedback_date=feedback(n, "2024-01-26", "2024年1月26日"),
             deadline=deadline(n, "2024年6月30日前", end_date="2024-06-30"),
             as_of=as_of(n, "2024-05-31", "截至2024年5月31日"),
             problems=n.fig(40, "个", ("40個",)), done=n.fig(36, "个", ("36個",)),
             ongoing=n.fig(4, "个", ("4個",)), rate=n.fig(92, "%", ("92%",)),
             measures=n.fig(97, "条", ("97條",)), rules=n.fig(12, "项", ("12項",)),
             leads=n.fig(4, "件", ("4件",)), disciplined=n.fig(3, "人", ("3人",)),
             rate_computed=rate_of(36, 40))

    n = N["10_nobody-progress.txt"]
    fb = feedback(n, "2024-01-08", "2024年1月8日")
    n.record(notice="progress", body=None, reason="self_reference_only",
             inspector=inspector(n, "市委第五巡察组", "巡察组", 1, "2024年1月8日"),  # refers back
             inspection_period=period(n, "2023-10-09", "2023-11-24", "2023年10月9日至11月24日"),
             feedback_date=fb, deadline=deadline(n, "反馈后2个月内", "P2M", "反馈", fb),
             problems=n.fig(16, "个", ("16个",)), done=n.fig(13, "个", ("13个",)),
             ongoing=n.fig(3, "个", ("3个",)), rate=n.fig(81.3, "%", ("81.3%",)),
             measures=n.fig(37, "条", ("37条",)), rules=n.fig(8, "项", ("8项",)),
             rate_computed=rate_of(13, 16))

    n = N["11_jiangpan-market-interim.txt"]
    fb = feedback(n, "2024-04-12", "2024年4月12日")
    n.record(notice="progress",
             body=body(n, "江畔区市场监督管理局党组", "江畔区市场监督管理局", "county", "区市场监管局党组"),
             inspector=inspector(n, "江畔区委第一巡察组", "区委第一巡察组", 2),
             inspection_period=period(n, "2024-02-19", "2024-03-29", "2024年2月19日至3月29日"),
             feedback_date=fb, deadline=deadline(n, "反馈后3个月内", "P3M", "反馈", fb),
             as_of=as_of(n, "2024-06-30", "截至2024年6月30日"),
             problems=n.fig(30, "个", ("30个",)), done=n.fig(22, "个", ("22个",)),
             ongoing=n.fig(8, "个", ("8个", 1), ("8个", 2)), rate=n.fig(73.3, "%", ("73.3%",)),
             measures=n.fig(75, "条", ("75条",)), rules=n.fig(5, "项", ("5项",)),
             rate_computed=rate_of(22, 30),
             links={"key": "湖南省|江畔区市场监督管理局", "previous": None,
                    "next": "12_jiangpan-market-final.txt#1", "position": 1, "count": 2})

    n = N["12_jiangpan-market-final.txt"]
    n.record(notice="report",
             body=body(n, "江畔区市场监督管理局党组", "江畔区市场监督管理局", "county", "江畔区市场监督管理局党组", 1, "巡察组向"),
             inspector=inspector(n, "江畔区委第一巡察组", "区委第一巡察组"),
             feedback_date=feedback(n, "2024-04-12", "2024年4月12日"),
             as_of=as_of(n, "2024-10-15", "截至2024年10月15日"),
             problems=n.fig(30, "个", ("30个", 1)), done=n.fig(30, "个", ("30个", 2)),
             rate=n.fig(100, "%", ("100%",)), measures=n.fig(75, "条", ("75条",)),
             rules=n.fig(16, "项", ("7项", 1, None, 7), ("9项", 1, None, 9), combine="sum"),
             disciplined=n.fig(3, "名", ("3名",)), rate_computed=100.0,
             links={"key": "湖南省|江畔区市场监督管理局", "previous": "11_jiangpan-market-interim.txt#1",
                    "next": None, "position": 2, "count": 2})

    n = N["13_jiangpan-market-jiangxi-summismatch.txt"]
    n.record(notice="progress",
             body=body(n, "江畔区市场监督管理局党组", "江畔区市场监督管理局", "county", "局党组", 1, "巡察组向"),
             inspector=inspector(n, "江畔区委第二巡察组", "区委第二巡察组"),
             feedback_date=feedback(n, "2023-11-20", "2023年11月20日"),
             as_of=as_of(n, "2024-03-15", "截至2024年3月15日"),
             problems=n.fig(45, "个", ("45个",)), done=n.fig(38, "个", ("38个",)),
             ongoing=n.fig(5, "个", ("5个",)), rate=n.fig(84.4, "%", ("84.4%",)),
             measures=n.fig(102, "条", ("102条",)), rules=n.fig(13, "项", ("13项",)),
             leads=n.fig(2, "件", ("2件",)), disciplined=n.fig(6, "名", ("6名",)),
             rate_computed=rate_of(38, 45))
    return N


# The checks each notice should fire, written by hand; build() cross-checks them with checks_for().
HAND_CHECKS = {
    "06_wuxiqu-housing-overdue.txt#1": ["overdue"],
    "08_hechuan-transport-contradiction.txt#1": ["conflict"],
    "09_dongling-health-trad.txt#1": ["rate_mismatch"],
    "10_nobody-progress.txt#1": ["overdue"],
    "13_jiangpan-market-jiangxi-summismatch.txt#1": ["sum_mismatch"],
}


def finish(N: dict[str, Notice]) -> None:
    for n in N.values():
        for rec in n.records:
            rec["checks"] = checks_for(rec)
            got = sorted(c["check"] for c in rec["checks"])
            assert got == sorted(HAND_CHECKS.get(rec["record_id"], [])), (rec["record_id"], got)
            if rec["body"] and rec["links"] is None:
                rec["links"] = {"key": f"{rec['region']}|{rec['body']['key']}", "previous": None,
                                "next": None, "position": 1, "count": 1}


def chain_deadline(chain: list[dict]) -> str | None:
    for rec in reversed(chain):
        if rec["deadline"] and rec["deadline"]["end_date"]:
            return rec["deadline"]["end_date"]
    return None


def body_status(chain: list[dict]) -> dict:
    """A body's row in the table: its latest record, with the latest known deadline of its chain."""
    last = chain[-1]
    v = {f: (last[f] or {}).get("value") for f in ("problems", "done", "ongoing")}
    conflict = any(last[f] and last[f]["conflict"] for f in FIGURES)
    open_ = v["ongoing"] if v["ongoing"] is not None else (
        v["problems"] - v["done"] if v["problems"] is not None and v["done"] is not None else None)
    dl = chain_deadline(chain)
    ref = last["as_of"]["date"] if last["as_of"] else last["document_date"]
    return {**v, "conflict": conflict, "has_deadline": dl is not None and open_ is not None,
            "overdue": bool(dl and open_ and ref > dl)}


def table(records: list[dict], by: str) -> list[dict]:
    chains: dict[str, list[dict]] = {}
    for rec in records:
        if rec["body"]:
            chains.setdefault(rec["links"]["key"], []).append(rec)
    groups: dict[str | None, dict] = {}

    def row(g):
        return groups.setdefault(g, {by: g, "records": 0, "bodies": 0, "problems": None, "problems_n": 0,
                                     "done": None, "done_n": 0, "rate": None, "rate_n": 0, "overdue": 0,
                                     "overdue_evaluable": 0, "overdue_share": None, "conflicts": 0,
                                     "unattributed": 0, "_rp": 0, "_rd": 0})
    for rec in records:
        g = rec["region"] if by == "region" else (rec["body"] or {}).get("level")
        r = row(g)
        r["records"] += 1
        if not rec["body"]:
            r["unattributed"] += 1
    for chain in chains.values():
        chain.sort(key=lambda rec: (rec["as_of"]["date"] if rec["as_of"] else rec["document_date"], rec["doc_id"]))
        last = chain[-1]
        r = row(last["region"] if by == "region" else last["body"]["level"])
        st = body_status(chain)
        r["bodies"] += 1
        for f in ("problems", "done"):
            if st[f] is not None:
                r[f] = (r[f] or 0) + st[f]
                r[f + "_n"] += 1
        if st["problems"] is not None and st["done"] is not None:
            r["_rp"] += st["problems"]
            r["_rd"] += st["done"]
            r["rate_n"] += 1
        r["conflicts"] += st["conflict"]
        r["overdue_evaluable"] += st["has_deadline"]
        r["overdue"] += st["overdue"]
    out = []
    for g in sorted(groups, key=lambda x: (x is None, x or "")):
        r = groups[g]
        rp, rd = r.pop("_rp"), r.pop("_rd")
        r["rate"] = rate_of(rd, rp) if rp else None
        r["overdue_share"] = round(r["overdue"] / r["overdue_evaluable"], 3) if r["overdue_evaluable"] else None
        out.append(r)
    return out


def main() -> None:
    rows = {r["file"]: r for r in csv.DictReader(open(NOTICES / "manifest.csv", encoding="utf-8"))}
    N = build(rows)
    finish(N)
    EXPECTED.mkdir(exist_ok=True)
    records = []
    for name, n in N.items():
        assert n.records, name
        records += n.records
        out = {"notice": name, "manifest": n.row, "records": n.records}
        (EXPECTED / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
    tables = {"by_region": table(records, "region"), "by_level": table(records, "level")}
    (EXPECTED / "rectifications_table.json").write_text(
        json.dumps(tables, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(len(records), "records;", sum(len(r["checks"]) for r in records), "checks")


if __name__ == "__main__":
    main()
