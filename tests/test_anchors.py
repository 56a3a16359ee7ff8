"""The anchors stage (pipeline/extractors/anchors.py): relative deadlines dated from the event they
count from, and as-of dates, on sentences composed for these tests."""
from __future__ import annotations

import datetime as dt

import pytest

import pipeline
from pipeline.extractors.anchors import Sentences, Spans, add_offset, anchor_rules


def deadline(text: str, span: str, feedback_date=None):
    doc = pipeline.extract(text, reference_date="2024-12-31", feedback_date=feedback_date)
    times = {m.text: m for m in doc.mentions if m.kind == "time"}
    assert span in times, f"{span!r} not among {list(times)}"
    t = times[span]
    anchor = next((m.text for m in doc.mentions if m.mention_id == t.anchor_mention_id), None)
    return (str(t.due_date) if t.due_date else None, anchor, t.anchor_source, t.anchor_rule, t.end_date)


@pytest.mark.parametrize("text, span, feedback_date, expected", [
    # dated in the text: the due date, the date mention, its source and rule; end_date stays null
    ("2023年5月22日,区委第三巡察组向区水务局党组反馈了巡察意见,要求反馈后2个月内完成整改。", "反馈后2个月内", None,
     ("2023-07-22", "2023年5月22日", "text", "anchors.feedback", None)),
    # months keep the day, clamped to the month's length (a leap year and a common one)
    ("2024年1月31日,市委巡察组向市档案局党组反馈巡察意见,要求反馈后1个月内完成整改。", "反馈后1个月内", None,
     ("2024-02-29", "2024年1月31日", "text", "anchors.feedback", None)),
    # an anchor dated to the month counts from its last day
    ("2023年6月,县委巡察组向县民政局党组反馈了意见,要求反馈后1个月内完成整改。", "反馈后1个月内", None,
     ("2023-07-30", "2023年6月", "text", "anchors.feedback", None)),
    # days and weeks
    ("2024年3月1日,县委巡察组向县林业局党组反馈了意见,要求反馈后30日内制定整改方案。", "反馈后30日内", None,
     ("2024-03-31", "2024年3月1日", "text", "anchors.feedback", None)),
    # the nearest statement before it: the 回头看 feedback, not the first one
    ("2022年6月8日,市委巡察组向市审计局党组反馈了巡察意见。2024年9月3日,市委巡察组向市审计局党组"
     "反馈了“回头看”情况,要求反馈后2个月内完成整改。", "反馈后2个月内", None,
     ("2024-11-03", "2024年9月3日", "text", "anchors.feedback", None)),
    # two bodies fed back on two days: the deadline's sentence names which
    ("2024年4月2日,县委巡察组向县交通局党组反馈了意见。2024年4月9日,县委巡察组向县水利局党组反馈了意见。"
     "县交通局党组要在反馈后1个月内完成整改。", "反馈后1个月内", None,
     ("2024-05-02", "2024年4月2日", "text", "anchors.feedback", None)),
    # a statement after the deadline is not its anchor: the manifest's date is
    ("县委巡察组要求县粮食局党组在反馈后2个月内完成整改。2024年5月6日,县委巡察组向县粮食局党组反馈了意见。",
     "反馈后2个月内", "2024-04-01", ("2024-06-01", None, "manifest", "anchors.feedback", None)),
    # the text beats the manifest
    ("2023年5月22日,区委巡察组向区商务局党组反馈了巡察意见,要求反馈后2个月内完成整改。", "反馈后2个月内",
     "2023-05-25", ("2023-07-22", "2023年5月22日", "text", "anchors.feedback", None)),
    # nothing dates the event
    ("区委巡察组要求区商务局党组在反馈后2个月内完成整改。", "反馈后2个月内", None,
     (None, None, None, "anchors.undated", None)),
    # a noun, not a statement: the meeting deployed feedback work, it gave none
    ("2024年2月5日,县委书记主持会议,部署巡察反馈工作。被巡察单位要在反馈后2个月内完成整改。", "反馈后2个月内", None,
     (None, None, None, "anchors.undated", None)),
    # a rule, not a date; working days (no holiday calendar)
    ("2024年2月5日,县委巡察组向县文旅局党组反馈了意见。县委要求每轮巡察反馈后2个月内完成整改。",
     "巡察反馈后2个月内", None, (None, None, None, "anchors.generic", None)),
    ("2024年2月5日,县委巡察组向县文旅局党组反馈了意见,要求反馈后15个工作日内报送整改方案。",
     "反馈后15个工作日内", "2024-02-01", (None, None, None, "anchors.working_days", None)),
    # another event: the group's arrival
    ("2024年4月2日,市委第三巡察组进驻市气象局,巡察进驻后一周内公布举报电话。", "巡察进驻后一周内", None,
     ("2024-04-09", "2024年4月2日", "text", "anchors.entry", None)),
])
def test_anchored_deadlines(text, span, feedback_date, expected):
    assert deadline(text, span, feedback_date) == expected


@pytest.mark.parametrize("text, span, expected", [
    ("截至2023年7月20日,已完成整改12个。", "截至2023年7月20日", dt.date(2023, 7, 20)),
    ("截止到2024年3月底,已整改到位9个。", "截止到2024年3月底", dt.date(2024, 3, 31)),
    ("截至目前,已完成整改12个。", "截至目前", None),
    ("2024年3月底前完成全部整改。", "2024年3月底前", None),
])
def test_as_of_dates(text, span, expected):
    doc = pipeline.extract(text, reference_date="2024-12-31")
    t = next(m for m in doc.mentions if m.kind == "time" and m.text == span)
    assert t.as_of == expected
    assert (t.as_of_rule is not None) == (expected is not None)


@pytest.mark.parametrize("day, offset, expected", [
    ("2023-05-22", "P2M", "2023-07-22"),
    ("2023-01-31", "P1M", "2023-02-28"),
    ("2024-01-31", "P1M", "2024-02-29"),
    ("2024-02-29", "P1Y", "2025-02-28"),
    ("2024-03-01", "P15D", "2024-03-16"),
    ("2024-03-01", "P2W", "2024-03-15"),
    ("2024-03-01", "PT5H", None),
    ("2024-03-01", "P", None),
])
def test_offsets(day, offset, expected):
    got = add_offset(dt.date.fromisoformat(day), offset)
    assert (got.isoformat() if got else None) == expected


@pytest.mark.parametrize("text, pos, expected", [
    ("甲乙。丙丁", 0, (0, 2)),
    ("甲乙。丙丁", 1, (0, 2)),
    ("甲乙。丙丁", 2, (2, 2)),  # a mark: in no sentence
    ("甲乙。丙丁", 3, (3, 5)),
    ("甲乙。丙丁", 5, (5, 5)),  # the end of the text
    ("。;\n丙", 1, (1, 1)),  # marks in a row make no empty sentence
    ("。;\n丙", 3, (3, 4)),
    ("丙丁", 1, (0, 2)),
])
def test_sentence_at(text, pos, expected):
    assert Sentences(anchor_rules(), text).at(pos) == expected


@pytest.mark.parametrize("text", ["甲乙。丙丁;戊\n\n己庚!", "。。甲", "甲", "", "!?;\n"])
def test_sentences_answer_as_their_spans(text):
    """The sentence of each offset is the one of the spans between marks, none empty."""
    spans, pos = [], 0
    for i, ch in enumerate(text):
        if ch in "。!?;\n":
            spans += [(pos, i)] if i > pos else []
            pos = i + 1
    spans += [(pos, len(text))] if pos < len(text) else []
    sents = Sentences(anchor_rules(), text)
    assert [sents.at(p) for p in range(len(text) + 1)] == [Spans(spans).at(p) for p in range(len(text) + 1)]
