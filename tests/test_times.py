"""Times (spec §3): table-driven, on sentences written for these tests, reference dates pinned."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.context.document import Context
from pipeline.context.view import normalize
from pipeline.extractors.dating import Dating
from pipeline.extractors.times import Times, _cuts_into, compile_rules, trigger_windows
from pipeline.scan import Scan

T = Times()

D = dt.date
REF = D(2019, 7, 15)


def found(text: str, ref: dt.date | None = REF):
    return T.extract(Context.of(text, reference_date=ref))


def one(text: str, span: str, ref: dt.date | None = REF):
    """The time whose text is `span`; fails listing what was found instead."""
    ts = found(text, ref)
    hits = [t for t in ts if t.text == span]
    assert hits, [(t.text, t.rule_id) for t in ts]
    return hits[0]


def check(t, kind, start=None, end=None, offset=None, anchor=None):
    assert (t.time_kind, t.start_date, t.end_date) == (kind, start, end), t
    assert t.offset == offset, t
    if anchor is not None:
        assert t.anchor == anchor, t


# ---------------------------------------------------------------- absolute dates

@pytest.mark.parametrize("text, span, kind, start, end", [
    ("2018年全省共开展巡察12轮。", "2018年", "date", D(2018, 1, 1), D(2018, 12, 31)),
    ("2019年12月20日召开常委会。", "2019年12月20日", "date", D(2019, 12, 20), D(2019, 12, 20)),
    ("12月20日召开常委会。", "12月20日", "date", D(2019, 12, 20), D(2019, 12, 20)),
    ("二〇一九年，省委部署专项巡视。", "二〇一九年", "date", D(2019, 1, 1), D(2019, 12, 31)),
    ("二〇一九年十二月二十日印发方案。", "二〇一九年十二月二十日", "date", D(2019, 12, 20), D(2019, 12, 20)),
    ("一九五四年九月召开会议。", "一九五四年九月", "date", D(1954, 9, 1), D(1954, 9, 30)),
    ("2020年3月份启动巡察。", "2020年3月份", "date", D(2020, 3, 1), D(2020, 3, 31)),
    ("2021年6月下旬完成整改。", "2021年6月下旬", "date", D(2021, 6, 21), D(2021, 6, 30)),
    ("2021年4月中下旬集中约谈。", "2021年4月中下旬", "date", D(2021, 4, 11), D(2021, 4, 30)),
    ("2022年2月上中旬完成自查。", "2022年2月上中旬", "date", D(2022, 2, 1), D(2022, 2, 20)),
    ("2023年一季度开展督查。", "2023年一季度", "date", D(2023, 1, 1), D(2023, 3, 31)),
    ("2023年第四季度开展督查。", "2023年第四季度", "date", D(2023, 10, 1), D(2023, 12, 31)),
    ("2022年下半年组织回访。", "2022年下半年", "date", D(2022, 7, 1), D(2022, 12, 31)),
    ("2020年初成立领导小组。", "2020年初", "date", D(2020, 1, 1), D(2020, 1, 1)),
    ("发布时间：2023/05/06", "2023/05/06", "date", D(2023, 5, 6), D(2023, 5, 6)),
    ("2025年度考核结果。", "2025年度", "date", D(2025, 1, 1), D(2025, 12, 31)),
])
def test_absolute(text, span, kind, start, end):
    check(one(text, span), kind, start, end)


# ---------------------------------------------------------------- relative to the reference date

@pytest.mark.parametrize("text, span, ref, kind, start, end", [
    ("今年要抓好各项任务落实。", "今年", REF, "date", D(2019, 1, 1), D(2019, 12, 31)),
    ("较去年新增窗口20个。", "去年", REF, "date", D(2018, 1, 1), D(2018, 12, 31)),
    ("上年新建村卫生室12所。", "上年", REF, "date", D(2018, 1, 1), D(2018, 12, 31)),
    ("明年开展第二轮巡察。", "明年", REF, "date", D(2020, 1, 1), D(2020, 12, 31)),
    ("前年已完成整改。", "前年", REF, "date", D(2017, 1, 1), D(2017, 12, 31)),
    ("年底前全部整改到位。", "年底前", REF, "deadline", None, D(2019, 12, 31)),
    # written in December: still this year's end, not next year's
    ("年底前全部整改到位。", "年底前", D(2019, 12, 20), "deadline", None, D(2019, 12, 31)),
    ("年内完成销号。", "年内", REF, "deadline", None, D(2019, 12, 31)),
    ("今年内完成销号。", "今年内", REF, "deadline", None, D(2019, 12, 31)),
    ("2024年内完成销号。", "2024年内", REF, "deadline", None, D(2024, 12, 31)),
    ("上半年完成第一轮巡视。", "上半年", REF, "date", D(2019, 1, 1), D(2019, 6, 30)),
    ("一季度召开推进会。", "一季度", REF, "date", D(2019, 1, 1), D(2019, 3, 31)),
    # written in December: next year's first quarter
    ("明年一季度召开推进会。", "明年一季度", D(2019, 12, 20), "date", D(2020, 1, 1), D(2020, 3, 31)),
    ("明年一季度前完成验收。", "明年一季度前", D(2019, 12, 20), "deadline", None, D(2020, 3, 31)),
    ("去年12月召开会议。", "去年12月", D(2020, 1, 5), "date", D(2019, 12, 1), D(2019, 12, 31)),
    ("6月底前报送整改报告。", "6月底前", REF, "deadline", None, D(2019, 6, 30)),
    ("今年以来，共受理举报30件。", "今年以来", REF, "period", D(2019, 1, 1), REF),
    ("截至目前，已整改到位42项。", "截至目前", REF, "deadline", None, REF),
    ("截至昨天，已有5个乡镇完成自查。", "截至昨天", REF, "deadline", None, D(2019, 7, 14)),
    ("到2035年基本实现现代化。", "到2035年", REF, "deadline", None, D(2035, 12, 31)),
    ("到2027年底全面完成。", "到2027年底", REF, "deadline", None, D(2027, 12, 31)),
    # a year compared with another is a date, not a bound
    ("比重由50%提高到2025年的70%。", "2025年", REF, "date", D(2025, 1, 1), D(2025, 12, 31)),
    ("2020年前实现全覆盖。", "2020年前", REF, "deadline", None, D(2020, 12, 31)),
    # a part of a year with its end or start
    ("一季度末完成清查。", "一季度末", REF, "date", D(2019, 3, 31), D(2019, 3, 31)),
    ("2021年下半年初启动试点。", "2021年下半年初", REF, "date", D(2021, 7, 1), D(2021, 7, 1)),
    ("三季度末前全部销号。", "三季度末前", REF, "deadline", None, D(2019, 9, 30)),
    # a time since a month lies before the reference date: last year's month if need be
    ("10月以来，全县新建站点3个。", "10月以来", REF, "period", D(2018, 10, 1), REF),
    ("5月以来，全县新建站点3个。", "5月以来", REF, "period", D(2019, 5, 1), REF),
    ("9月至今共走访企业80家。", "9月至今", REF, "period", D(2018, 9, 1), REF),
    # a year then its end or start
    ("去年年底完成验收。", "去年年底", REF, "date", D(2018, 12, 31), D(2018, 12, 31)),
    ("今年年初召开动员会。", "今年年初", REF, "date", D(2019, 1, 1), D(2019, 1, 1)),
    ("2021年年底前完成。", "2021年年底前", REF, "deadline", None, D(2021, 12, 31)),
    # latest-by words
    ("不迟于10月20日报送。", "不迟于10月20日", REF, "deadline", None, D(2019, 10, 20)),
    ("最迟在9月30日前完成。", "最迟在9月30日前", REF, "deadline", None, D(2019, 9, 30)),
    # months counted from the reference date, across a year's end
    ("本月底前报送。", "本月底前", D(2019, 12, 5), "deadline", None, D(2019, 12, 31)),
    ("下月初召开会议。", "下月初", D(2019, 12, 5), "date", D(2020, 1, 1), D(2020, 1, 1)),
    ("下个月15日前完成。", "下个月15日前", D(2020, 1, 20), "deadline", None, D(2020, 2, 15)),
    ("上月共受理举报9件。", "上月", D(2020, 1, 20), "date", D(2019, 12, 1), D(2019, 12, 31)),
    # a stated time limit
    ("整改完成时限为2024年6月。", "完成时限为2024年6月", REF, "deadline", None, D(2024, 6, 30)),
    ("办结期限：9月底。", "办结期限：9月底", REF, "deadline", None, D(2019, 9, 30)),
    # a bound from below: a period with a start only (the real-report gold: 20日起)
    ("从2020年起，每年开展一次。", "从2020年起", REF, "period", D(2020, 1, 1), None),
    ("今年三季度起按月通报。", "今年三季度起", REF, "period", D(2019, 7, 1), None),
])
def test_relative(text, span, ref, kind, start, end):
    check(one(text, span, ref), kind, start, end)


def test_relative_without_reference_date_keeps_the_time_without_dates():
    t = one("今年要抓好各项任务落实。", "今年", None)
    check(t, "date")
    assert t.explanation


@pytest.mark.parametrize("text, span, start, end", [
    ("2022年，全省开展巡察。10月召开推进会。", "10月", D(2019, 10, 1), D(2019, 10, 31)),
    ("2022年开展巡察，10月召开推进会。", "10月", D(2022, 10, 1), D(2022, 10, 31)),
])
def test_yearless_month_takes_the_sentence_year(text, span, start, end):
    check(one(text, span), "date", start, end)


@pytest.mark.parametrize("text, span, kind, start, end", [
    # a January report telling last year's events: November is last November
    ("11月6日至10日成功举办全运会。", "11月6日至10日", "period", D(2025, 11, 6), D(2025, 11, 10)),
    ("11月召开全省大会。", "11月", "date", D(2025, 11, 1), D(2025, 11, 30)),
    # a deadline looks ahead
    ("12月20日之前向省委报告。", "12月20日之前", "deadline", None, D(2026, 12, 20)),
    # near the reference date: the reference year
    ("3月召开推进会。", "3月", "date", D(2026, 3, 1), D(2026, 3, 31)),
])
def test_yearless_point_far_ahead_is_last_year(text, span, kind, start, end):
    check(one(text, span, D(2026, 1, 26)), kind, start, end)


@pytest.mark.parametrize("text, span, start, end", [
    # in a review of last year, a yearless point after the reference date is last year's
    ("一、2025年工作回顾\n针对三季度增速放缓，出台稳增长措施。", "三季度", D(2025, 7, 1), D(2025, 9, 30)),
    ("过去一年，我们砥砺前行。4月举办了首届博览会。", "4月", D(2025, 4, 1), D(2025, 4, 30)),
    # in the plan for this year it is this year's
    ("二、2026年工作安排\n三季度开展营商环境评估。", "三季度", D(2026, 7, 1), D(2026, 9, 30)),
])
def test_yearless_point_in_a_review_of_last_year(text, span, start, end):
    check(one(text, span, D(2026, 1, 26)), "date", start, end)


@pytest.mark.parametrize("text, span, ref, start, end", [
    # a work report early in the year reviews last year; a December summary this year
    ("过去一年，全区新增就业岗位九千个。", "过去一年", D(2024, 1, 18), D(2023, 1, 1), D(2023, 12, 31)),
    ("过去的一年里，我们办结民生实事12件。", "过去的一年里", D(2022, 2, 9), D(2021, 1, 1), D(2021, 12, 31)),
    ("过去一年，巡察办共培训干部三百人次。", "过去一年", D(2021, 12, 20), D(2021, 1, 1), D(2021, 12, 31)),
    ("一年来，全市办结民生实事15件。", "一年来", D(2023, 2, 1), D(2022, 1, 1), D(2022, 12, 31)),
])
def test_past_year(text, span, ref, start, end):
    check(one(text, span, ref), "period", start, end)


@pytest.mark.parametrize("text, span, ref, start, end", [
    ("全年共收到群众来信四百件。", "全年", REF, D(2019, 1, 1), D(2019, 12, 31)),
    # the year of its sentence
    ("2017年，全市新建公园8个，全年植树十万株。", "全年", REF, D(2017, 1, 1), D(2017, 12, 31)),
    # a January report reviewing last year: the year its review section names
    ("一、2023年工作回顾\n各项指标好于预期。全年新增市场主体一万户。", "全年", D(2024, 1, 20),
     D(2023, 1, 1), D(2023, 12, 31)),
    # an older year named earlier does not reach it
    ("2012年建成的园区运行良好。全年接待游客百万人次。", "全年", REF, D(2019, 1, 1), D(2019, 12, 31)),
    ("今年将努力完成全年目标任务。", "全年", REF, D(2019, 1, 1), D(2019, 12, 31)),
    # a comparison with an older year inside the review does not move it
    ("一、2023年工作回顾\n粮食产量比2020年增长一成。全年新建农田五万亩。", "全年", D(2024, 1, 20),
     D(2023, 1, 1), D(2023, 12, 31)),
])
def test_whole_year(text, span, ref, start, end):
    check(one(text, span, ref), "date", start, end)


@pytest.mark.parametrize("text, span, ref, end", [
    # a committed deadline after a past year of its sentence is this year's
    ("去年已办结信访件40件，剩余6件确保年内全部办结。", "年内", D(2022, 3, 1), D(2022, 12, 31)),
    ("2021年完成改造12处，其余力争年底前完工。", "年底前", D(2022, 3, 1), D(2022, 12, 31)),
    # a narrated deadline keeps the year of its sentence
    ("2021年3月启动专项清理，年底前全部完成。", "年底前", D(2022, 3, 1), D(2021, 12, 31)),
    ("去年启动专项清理，年内全部完成。", "年内", D(2022, 3, 1), D(2021, 12, 31)),
    # a future year of its sentence still reaches it
    ("明年3月启动验收，确保年底前全部完成。", "年底前", D(2022, 3, 1), D(2023, 12, 31)),
])
def test_deadline_year_from_its_sentence(text, span, ref, end):
    check(one(text, span, ref), "deadline", None, end)


# ---------------------------------------------------------------- leap years

@pytest.mark.parametrize("text, span, ref, start, end", [
    ("2024年2月29日召开会议。", "2024年2月29日", REF, D(2024, 2, 29), D(2024, 2, 29)),
    ("2024年2月完成。", "2024年2月", REF, D(2024, 2, 1), D(2024, 2, 29)),
    ("2023年2月完成。", "2023年2月", REF, D(2023, 2, 1), D(2023, 2, 28)),
    ("今年2月底完成。", "今年2月底", D(2024, 5, 1), D(2024, 2, 29), D(2024, 2, 29)),
    ("2月至3月开展回访。", "2月至3月", D(2000, 5, 1), D(2000, 2, 1), D(2000, 3, 31)),
])
def test_leap_years(text, span, ref, start, end):
    t = one(text, span, ref)
    assert (t.start_date, t.end_date) == (start, end)


@pytest.mark.parametrize("text, span", [
    ("2023年2月29日召开会议。", "2023年2月29日"),
    ("1900年2月29日召开会议。", "1900年2月29日"),
    ("2019年2月30日召开会议。", "2019年2月30日"),
])
def test_no_such_day_keeps_the_time_without_dates(text, span):
    t = one(text, span)
    assert t.start_date is None and t.end_date is None and "no such date" in t.explanation


# ---------------------------------------------------------------- ranges

@pytest.mark.parametrize("text, span, start, end", [
    ("（2019—2021年）", "2019—2021年", D(2019, 1, 1), D(2021, 12, 31)),
    ("2019年至2021年开展巡视。", "2019年至2021年", D(2019, 1, 1), D(2021, 12, 31)),
    ("今年2月至5月开展专项整治。", "今年2月至5月", D(2019, 2, 1), D(2019, 5, 31)),
    ("9月2日至9月10日进驻。", "9月2日至9月10日", D(2019, 9, 2), D(2019, 9, 10)),
    ("7月1日至3日进驻。", "7月1日至3日", D(2019, 7, 1), D(2019, 7, 3)),
    ("2022年3月14日至5月20日开展巡察。", "2022年3月14日至5月20日", D(2022, 3, 14), D(2022, 5, 20)),
    ("1—11月，全市完成投资100亿元。", "1—11月", D(2019, 1, 1), D(2019, 11, 30)),
    ("2022年12月至2023年2月开展回头看。", "2022年12月至2023年2月", D(2022, 12, 1), D(2023, 2, 28)),
    ("12月至2月开展冬季督查。", "12月至2月", D(2019, 12, 1), D(2020, 2, 29)),
    ("一九五三年至一九五七年", "一九五三年至一九五七年", D(1953, 1, 1), D(1957, 12, 31)),
    ("2016年至今共开展巡察8轮。", "2016年至今", D(2016, 1, 1), REF),
    ("2016年11月至次年2月开展回头看。", "2016年11月至次年2月", D(2016, 11, 1), D(2017, 2, 28)),
    # a year before a range of months is the range's year: one period, not a year and a range
    ("今年1至5月，全区共受理来访80批次。", "今年1至5月", D(2019, 1, 1), D(2019, 5, 31)),
    ("2018年1—10月新增立案36件。", "2018年1—10月", D(2018, 1, 1), D(2018, 10, 31)),
    ("去年三至八月集中开展排查。", "去年三至八月", D(2018, 3, 1), D(2018, 8, 31)),
])
def test_ranges(text, span, start, end):
    check(one(text, span), "period", start, end)


# ---------------------------------------------------------------- event-anchored deadlines

@pytest.mark.parametrize("text, span, offset, anchor", [
    ("反馈后2个月内报送整改情况。", "反馈后2个月内", "P2M", "反馈"),
    ("巡视反馈后两个月内报送整改报告。", "巡视反馈后两个月内", "P2M", "巡视反馈"),
    ("进驻后15个工作日内完成谈话。", "进驻后15个工作日内", "P15D", "进驻"),
    ("新一届区委换届后，一周内即组织首轮督查。", "换届后，一周内", "P1W", "换届"),
    ("一周内完成整改。", "一周内", "P1W", None),
    ("3个月内整改到位。", "3个月内", "P3M", None),
    ("半年内完成。", "半年内", "P6M", None),
    ("两三年内基本完成。", "两三年内", None, None),
    ("从巡察反馈之日起，各单位即进入整改期。", "从巡察反馈之日起", "P0D", "巡察反馈"),
    ("自即日起开展专项清理。", "自即日起", "P0D", "即日"),
    ("巡察结束后，组长撰写报告。", "巡察结束后", None, "巡察结束"),
    # holidays
    ("今年春节前发放到位。", "今年春节前", None, "今年春节"),
    ("中秋节后开展明察暗访。", "中秋节后", None, "中秋节"),
    ("元旦后一周内报送总结。", "元旦后一周内", "P1W", "元旦"),
    # what is received is part of the event
    ("接到交办件后3个工作日内联系信访人。", "接到交办件后3个工作日内", "P3D", "接到交办件"),
    ("收到本决定之日起15日内提出书面意见。", "收到本决定之日起15日内", "P15D", "收到本决定"),
    ("收悉后五日内予以答复。", "收悉后五日内", "P5D", "收悉"),
    ("整改期满后10日内开展验收。", "整改期满后10日内", "P10D", "整改期满"),
    # a later offset of the same sentence counts from the same event
    ("进驻后3日内公布举报电话，10日内完成个别谈话。", "10日内", "P10D", "进驻"),
    # halves and ranges of units
    ("一年半内完成搬迁。", "一年半内", "P1Y6M", None),
    ("两个半月内完成清查。", "两个半月内", "P2M15D", None),
    ("1至2个月内完成清查。", "1至2个月内", None, None),
    # before an event: a bound with no offset
    ("确保在社区两委换届前完成清理。", "换届前", None, "换届"),
    ("督查组进驻之前，各单位先行自查。", "督查组进驻之前", None, "督查组进驻"),
    ("请于年度考核前报送述职报告。", "考核前", None, "考核"),
    ("党代会召开前完成征求意见。", "党代会召开前", None, "党代会召开"),
])
def test_anchored_deadlines(text, span, offset, anchor):
    t = one(text, span)
    check(t, "deadline", offset=offset)
    assert t.anchor == anchor


# ---------------------------------------------------------------- frequencies, durations, plans

@pytest.mark.parametrize("text, span, kind, offset", [
    ("每年开展一次专项检查。", "每年", "frequency", None),
    ("每季度通报一次。", "每季度", "frequency", None),
    ("每月召开调度会。", "每月", "frequency", None),
    ("坚持一周一督办。", "一周一督办", "frequency", None),
    ("每年两次开展业务培训。", "每年", "frequency", None),
    ("热线每天8:00至20:00接听。", "每天", "frequency", None),
    ("每月10日前报送台账。", "每月10日前", "frequency", None),
    ("逐季开展形势分析。", "逐季", "frequency", None),
    ("每周一上午召开调度会。", "每周一", "frequency", None),
    ("每周一次开展巡查。", "每周一次", "frequency", None),
    ("每年年底前报送述职报告。", "每年年底前", "frequency", None),
    ("两年一度的评选。", "两年一度", "frequency", None),
    ("实行一月一报。", "一月一报", "frequency", None),
    ("实行定期调度。", "定期", "frequency", None),
    ("巡视为期2个月左右。", "为期2个月左右", "duration", "P2M"),
    ("巡察为期一个月。", "为期一个月", "duration", "P1M"),
    ("专项督查为期三个半月左右。", "为期三个半月左右", "duration", "P3M15D"),
    ("计划用2至3年时间建成数据平台。", "用2至3年时间", "duration", None),
    ("集训为期一天半。", "为期一天半", "duration", "P1DT12H"),
])
def test_frequency_and_duration(text, span, kind, offset):
    check(one(text, span), kind, offset=offset)


@pytest.mark.parametrize("text", ["定期存款余额增长。", "群众投诉量逐年增长。",
                                  "上一年一次性增收。", "按年底存栏数计算。",
                                  # an amount per unit of time is a rate, not a schedule
                                  "补贴标准每月提高80元。", "低保标准提高到每月650元。",
                                  "城镇新增就业每年超过12万人。", "每年70%以上的支出用于民生。",
                                  "客流逐月增加。", "产值平均每年增长9%。",
                                  "收入每年递增百分之六。"])
def test_no_frequency(text):
    assert not [t for t in found(text) if t.time_kind == "frequency"]


@pytest.mark.parametrize("text, span, kind, start, end", [
    ("十四五时期经济稳步增长。", "十四五时期", "period", D(2021, 1, 1), D(2025, 12, 31)),
    ("“十三五”期间完成投资。", "“十三五”期间", "period", D(2016, 1, 1), D(2020, 12, 31)),
    ("今年是“十五五”开局之年。", "“十五五”开局之年", "date", D(2026, 1, 1), D(2026, 12, 31)),
    ("2025年是“十四五”收官之年。", "“十四五”收官之年", "date", D(2025, 1, 1), D(2025, 12, 31)),
    ("“十五”计划期间完成投资。", "“十五”计划期间", "period", D(2001, 1, 1), D(2005, 12, 31)),
    ("第六个五年计划期间，工业稳步增长。", "第六个五年计划期间", "period", D(1981, 1, 1), D(1985, 12, 31)),
])
def test_five_year_plans(text, span, kind, start, end):
    check(one(text, span), kind, start, end)


@pytest.mark.parametrize("text, span, ref, start, end", [
    # a year or a part of one, then 内: a bound at its last day
    ("各县区须在下一年度第一季度内完成复核。", "下一年度第一季度内", REF, None, D(2020, 3, 31)),
    ("力争明年二季度内建成平台。", "明年二季度内", REF, None, D(2020, 6, 30)),
    ("问题台账要在今年10月内清零。", "今年10月内", REF, None, D(2019, 10, 31)),
    ("下半年内组织一次回访。", "下半年内", REF, None, D(2019, 12, 31)),
    # by this, next or last month
    ("截至上月底，已办结来信26件。", "截至上月底", REF, None, D(2019, 6, 30)),
    ("到下月15日前报送自查报告。", "到下月15日前", REF, None, D(2019, 8, 15)),
])
def test_calendar_bounds(text, span, ref, start, end):
    check(one(text, span, ref), "deadline", start, end)


@pytest.mark.parametrize("text, span, start", [
    ("6月3日上午，区委召开专题会议。", "6月3日上午", D(2019, 6, 3)),
    ("2018年4月2日下午举行培训。", "2018年4月2日下午", D(2018, 4, 2)),
    ("5月8日晚，工作专班连夜核查。", "5月8日晚", D(2019, 5, 8)),
    ("6月3日晚报刊发评论。", "6月3日", D(2019, 6, 3)),   # a newspaper, not the evening
])
def test_part_of_a_day_belongs_to_the_date(text, span, start):
    check(one(text, span), "date", start, start)


@pytest.mark.parametrize("text", ["换届前后保持队伍稳定。", "巡视前、巡视中、巡视后全程监督。",
                                  "会议前期筹备充分。", "考核前列的单位予以通报。"])
def test_no_deadline_before_event(text):
    assert [t for t in found(text) if t.rule_id == "time.deadline.before_event"] == []


@pytest.mark.parametrize("text, span", [
    ("巡视期间，共受理来电46个。", "巡视期间"),
    ("在集中整改期内，共受理来信20件。", "集中整改期内"),
    ("力争一届县委任期内巡察全覆盖。", "一届县委任期内"),
])
def test_periods_without_dates(text, span):
    check(one(text, span), "period")


# ---------------------------------------------------------------- not times

@pytest.mark.parametrize("text", [
    "坚持新时代党的建设总要求。",
    "当前，巡视工作面临新形势。",
    "目前，各项工作进展顺利。",
    "第一时间成立领导小组。",
    "推动监督常态化。",
    "开展第三轮巡视。",
    "增加1至2个常设巡视组。",
    "建立巡视后评估制度。",
    "中华民族有5000多年文明史。",
    "学习十月革命的历史经验。",
    "培养年轻干部。",
    "坚持一年一个台阶。",
    "产值一年一年地增加。",
    "今后若干年内逐步解决。",
    "连续4年居全国前列。",
    "九五至尊。",
    # the base of a growth figure counts from the statistics' year: no time
    "全县生产总值比上年增长5%。",
    "粮食产量较上年度增加一成。",
    "服务热线全年无休。",
    "结束了十年内乱。",
    "升入下一年级继续学习。",
    "以下年份不再统计。",
])
def test_not_times(text):
    assert found(text) == [], [(t.text, t.rule_id) for t in found(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="当前年目上比较过去新时代十月革命全无休轻，2019", max_size=30), st.data())
def test_the_word_a_time_cuts_into_is_the_one_a_whole_scan_finds(text, data):
    """`_cuts_into` looks for the words of `not_times` only around the candidate; it finds what
    a scan of the whole text finds there: the first word it overlaps without holding it."""
    c = compile_rules()
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    words = [m.span() for m in c.not_times.finditer(text)]
    want = next(((a, b) for a, b in words if a < e and s < b and not (s <= a and b <= e)), None)
    assert _cuts_into(text, s, e, c) == want


@pytest.mark.parametrize("text, span", [
    ("2025年内蒙古草原旅游升温。", "2025年"),
    ("2024年内江市新建公园3个。", "2024年"),
])
def test_place_names_after_a_year_are_no_deadline(text, span):
    assert [(t.text, t.time_kind) for t in found(text)] == [(span, "date")]


# ---------------------------------------------------------------- traditional script

@pytest.mark.parametrize("trad, simp", [
    ("反饋後2個月內報送整改情況。", "反馈后2个月内报送整改情况。"),
    ("換屆後，一週內即組織首輪督查。", "换届后，一周内即组织首轮督查。"),
    ("於11月30日之前向市委報告。", "于11月30日之前向市委报告。"),
    ("從巡察反饋之日起，各單位即進入整改期。", "从巡察反馈之日起，各单位即进入整改期。"),
    ("巡視期間，共受理來電46個。", "巡视期间，共受理来电46个。"),
    ("較去年新增窗口12個，今年2月至5月開展專項清理。",
     "较去年新增窗口12个，今年2月至5月开展专项清理。"),
    ("二〇一九年十二月二十日，每季度通報一次。", "二〇一九年十二月二十日，每季度通报一次。"),
    ("接到交辦件後3個工作日內聯繫當事人，10日內辦結。", "接到交办件后3个工作日内联系当事人，10日内办结。"),
    ("過去一年，全年新增崗位九千個；明年春節前完成撥付。", "过去一年，全年新增岗位九千个；明年春节前完成拨付。"),
    ("為期兩個半月左右，本月底前報送，每週一上午召開例會。", "为期两个半月左右，本月底前报送，每周一上午召开例会。"),
])
def test_traditional_script_gives_the_same_times(trad, simp):
    key = lambda t: (t.start, t.end, t.time_kind, t.start_date, t.end_date, t.offset, t.anchor,
                     t.rule_id)
    a, b = found(trad), found(simp)
    assert a and [key(t) for t in a] == [key(t) for t in b]
    assert all(trad[t.start:t.end] == t.text for t in a)


# ---------------------------------------------------------------- reference date of a document

@pytest.mark.parametrize("text, expected", [
    ("报告\n来源：南方晚报\n时间：2024-05-06\n正文2024年1月5日", (D(2024, 5, 6), "dateline")),
    ("发布日期: 2022-10-11\n10月10日，召开推进会。", (D(2022, 10, 11), "dateline")),
    ("讲话\n（2018年9月3日）\n正文", (D(2018, 9, 3), "dateline")),
    ("标题\n\n2021-06-08 10:21:45 | 来源: 市政府网\n正文", (D(2021, 6, 8), "dateline")),
    ("标题\n——2024年1月22日在人民代表大会上\n正文", (D(2024, 1, 22), "dateline")),
    ("标题\n2025年03月12日 09时05分\n来源:晚报\n2025年3月2日在大会上", (D(2025, 3, 12), "dateline")),
    ("工作报告\n——2025年2月3日在市第九届\n人代会第四次全体会议上", (D(2025, 2, 3), "dateline")),
    ("工作报告\n（2025年2月4日在市人民代表大会上）\n各位代表", (D(2025, 2, 4), "dateline")),
    ("新华社南京6月3日电 2017年第三轮督查情况通报。", (D(2017, 6, 3), "dateline")),
    ("本报讯（记者 李清）9月16日，召开推进会，部署2016年工作。", (D(2016, 9, 16), "dateline")),
    ("2018年3月1日召开会议，2018年5月6日印发方案。", (D(2018, 5, 6), "latest_date")),
    ("二〇一九年七月十五日召开会议。", (D(2019, 7, 15), "latest_date")),
    ("今年召开了会议。", None),
    ("2019年2月30日召开会议。", None),
])
def test_find_reference_date(text, expected):
    assert Dating().reference_date(normalize(text).view) == expected


NPC = "全国人民代表大会"


@pytest.mark.parametrize("text, expected", [
    # a report addressed to a session: the session's opening day
    (f"各位代表：\n受国务院委托，向第十届{NPC}第二次会议报告工作。", (D(2004, 3, 5), "session")),
    (f"各位代表！\n我代表国务院，向第六届{NPC}作报告。", (D(1983, 6, 6), "session")),
    (f"第十三届{NPC}第三次会议审议了这个报告。", (D(2020, 5, 22), "session")),
    (f"第八届{NPC}第一次会议听取了这个报告。", (D(1993, 3, 15), "session")),
    (f"我们第一届{NPC}第一次会议，通过了几部法律。", (D(1954, 9, 15), "session")),
    # a session named as a past one is not the report's own
    (f"各位代表：\n从第七届{NPC}第一次会议以来，经济稳步发展。", None),
    (f"各位代表：\n一、回顾\n第五届{NPC}第二次会议，号召全国人民努力奋斗。", None),
    # a dated session line wins over the session table
    (f"报告\n——2011年3月5日在第十一届{NPC}第四次会议上\n", (D(2011, 3, 5), "dateline")),
])
def test_reference_date_from_a_session(text, expected):
    assert Dating().reference_date(normalize(text).view) == expected


@pytest.mark.parametrize("text, expected", [
    # a date that looks ahead does not date the text
    ("预计2030年6月1日新馆将正式开放。2018年3月9日召开座谈会。", (D(2018, 3, 9), "latest_date")),
    ("离2035年10月1日还有十年。2025年9月30日发布。", (D(2025, 9, 30), "latest_date")),
    ("期限延长至2027年6月30日。", None),
    # one that looks back does
    ("截至2021年3月15日，已完成整改。", (D(2021, 3, 15), "latest_date")),
    ("截止到2020年8月31日，共办结90件。", (D(2020, 8, 31), "latest_date")),
    # blank and zero-width lines before the title do not push the dateline out of the head
    ("\u200b\n\n\n\n\n\n\n\n工作报告\n\n\n——2020年5月6日在全市大会上\n正文", (D(2020, 5, 6), "dateline")),
])
def test_reference_date_skips_dates_ahead(text, expected):
    assert Dating().reference_date(normalize(text).view) == expected


# ---------------------------------------------------------------- never raises, spans exact

ALPHABET = ("0123456789〇零一二两三四五六七八九十百年月日号底末初前后内至到—-~期间每季度周天"
            "上下半今去明本截止以来起为历时反馈巡视换届个工作第届任定十五“”，。（）：:() \n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40))
def test_never_raises_and_spans_are_exact(text):
    for ref in (REF, None, D(2024, 2, 29)):
        for t in T.extract(Context.of(text, reference_date=ref)):
            assert text[t.start:t.end] == t.text
            if t.start_date and t.end_date:
                assert t.start_date <= t.end_date
    Dating().reference_date(normalize(text).view)


SAMPLE = ("2021年10月9日至10月28日，巡察组进驻。反馈后2个月内报送整改情况，年底前全部整改到位。"
          "“十四五”时期每年开展一次专项检查，坚持一周一督办。截至目前，已整改42项；"
          "从巡察反馈之日起，各单位即进入整改期。今年以来共受理举报30件，为期2个月左右。"
          "收到巡视反馈意见后30个工作日内报告，2021年10月9日至2022年1月7日，截止到二〇一九年底。"
          "本届领导班子任期内，整改期限为30个工作日。本月底前报送，明年春节前完成拨付，"
          "每月10日前报告进展，一季度末完成，不迟于10月20日办结，自即日起施行。过去一年，"
          "全年新建站点5个，为期两个半月，用1至2年时间，收到本通知后一周内。") * 3


@pytest.mark.parametrize("text, trigger, margin, windows", [
    ("会上说，下月开会", "会", 2, [(0, 8)]),  # cut to the text at both ends, after merging
    ("月初开会，会后整改，次月再开会", "会", 1, [(2, 11), (13, 15)]),  # 会 at 3, 5 merge; 14 apart
    ("一季度和二季度", "季度", 20, [(0, 7)]),
    ("没有触发词", "会", 5, []),
])
def test_trigger_windows_reach_margin_and_lookahead_around_each_hit(text, trigger, margin, windows):
    """`margin` characters before a hit, `margin` plus `LOOKAHEAD` after it, overlapping windows
    merged, cut to the text."""
    assert trigger_windows(text, Scan(re.compile(trigger)), margin) == windows


def test_trigger_windows_find_what_a_whole_scan_finds():
    key = lambda c: (c.start, c.end, c.rule.id)
    windowed = sorted(map(key, T.candidates(normalize(SAMPLE).view)))
    whole = sorted(map(key, T.candidates(normalize(SAMPLE).view, window=10**9)))
    assert windowed == whole and len(windowed) > 20


def test_rules_sharing_where_they_begin_find_what_they_find_alone():
    """`begins` only saves work: each rule's own scan finds the same candidates."""
    alone = Times(dataclasses.replace(T.r, begins=(None,) * len(T.r.begins)))
    texts = [normalize(SAMPLE).view] + [normalize(ex.text).view for r in T.r.spec.rules
                                        if r.begins for ex in r.examples]
    key = lambda c: (c.start, c.end, c.rule.id, c.match.groupdict())
    assert sum(b is not None for b in T.r.begins) >= 5
    for view in texts:
        assert list(map(key, T.candidates(view))) == list(map(key, alone.candidates(view)))


def test_explain_says_why_a_candidate_was_dropped():
    text = "过去年度考核中，2019年12月20日之前完成。"
    rows = T.explain(Context.of(text, reference_date=REF))
    status = {(text[r.candidate.start:r.candidate.end], r.candidate.rule_id): r.status for r in rows}
    assert status[("2019年12月20日之前", "time.deadline.before")] == "kept"
    assert "overlaps time.deadline.before" in status[("2019年12月20日", "time.date.point")]
    assert "not a time" in status[("去年度", "time.date.point")]


# ---------------------------------------------------------------- issue 17: weeks, quarters,
# holidays, the lunar calendar, windows ahead, clock times, context months, seasons
# (reference 2019-07-15, a Monday)

@pytest.mark.parametrize("text, span, kind, start, end", [
    ("下周三召开推进会。", "下周三", "date", D(2019, 7, 24), D(2019, 7, 24)),
    ("上周，督查组进驻该局。", "上周", "date", D(2019, 7, 8), D(2019, 7, 14)),
    ("本周五前报送自查材料。", "本周五前", "deadline", None, D(2019, 7, 19)),
    ("周一至周五开放服务窗口。", "周一至周五", "period", D(2019, 7, 15), D(2019, 7, 19)),
    ("这周要完成全部台账。", "这周", "date", D(2019, 7, 15), D(2019, 7, 21)),
    ("周末，干部下沉到社区。", "周末", "date", D(2019, 7, 20), D(2019, 7, 21)),
    ("下个星期一开展交叉检查。", "下个星期一", "date", D(2019, 7, 22), D(2019, 7, 22)),
    ("上周日，志愿者清理了河道。", "上周日", "date", D(2019, 7, 14), D(2019, 7, 14)),
    ("星期五下午，专班集中研判。", "星期五下午", "date", D(2019, 7, 19), D(2019, 7, 19)),
    ("本季度完成两轮督查。", "本季度", "date", D(2019, 7, 1), D(2019, 9, 30)),
    ("上个季度共受理来信30件。", "上个季度", "date", D(2019, 4, 1), D(2019, 6, 30)),
    ("下季度开展专项审计。", "下季度", "date", D(2019, 10, 1), D(2019, 12, 31)),
])
def test_weeks_and_quarters_from_the_reference_date(text, span, kind, start, end):
    check(one(text, span), kind, start, end)


@pytest.mark.parametrize("text, span, start", [
    ("国庆节期间加强值班值守。", "国庆节", D(2019, 10, 1)),
    ("劳动节当天组织义务劳动。", "劳动节当天", D(2019, 5, 1)),
    ("2020年中秋节，社区开展慰问。", "2020年中秋节", D(2020, 10, 1)),
    ("今年春节，县里组织走访困难户。", "今年春节", D(2019, 2, 5)),
    ("除夕，值班干部坚守岗位。", "除夕", D(2019, 2, 4)),
    ("明年元宵节举办灯会。", "明年元宵节", D(2020, 2, 8)),
    ("端午节，各村举办龙舟赛。", "端午节", D(2019, 6, 7)),
    ("农历八月十五举行团圆活动。", "农历八月十五", D(2019, 9, 13)),
    ("正月初八，全县召开动员大会。", "正月初八", D(2019, 2, 12)),
    ("教师节，县委慰问优秀教师。", "教师节", D(2019, 9, 10)),
    ("元旦，全市开展文明劝导。", "元旦", D(2019, 1, 1)),
    ("农历2020年腊月二十三开始放假。", "农历2020年腊月二十三", D(2021, 2, 4)),
])
def test_holidays_and_lunar_days(text, span, start):
    check(one(text, span), "date", start, start)


@pytest.mark.parametrize("text, span, start, end", [
    ("未来三天将有强降雨。", "未来三天", REF, D(2019, 7, 18)),
    ("今后一周要加强巡查。", "今后一周", REF, D(2019, 7, 22)),
    ("未来两个月集中排查隐患。", "未来两个月", REF, D(2019, 9, 15)),
    ("接下来五天进行封闭培训。", "接下来五天", REF, D(2019, 7, 20)),
    ("今后一个月要完成清理。", "今后一个月", REF, D(2019, 8, 15)),
    ("未来十天以晴好天气为主。", "未来十天", REF, D(2019, 7, 25)),
    ("今后两周暂停受理。", "今后两周", REF, D(2019, 7, 29)),
    ("未来几个月要加快进度。", "未来几个月", REF, None),
    ("前几天，工作组走访了农户。", "前几天", None, REF),
    ("这几天，群众来电明显增多。", "这几天", None, REF),
    ("过去两周，累计接待群众来访。", "过去两周", D(2019, 7, 1), REF),
])
def test_windows_ahead_and_vague(text, span, start, end):
    check(one(text, span), "period", start, end)


@pytest.mark.parametrize("text, span, start", [
    ("明天下午3点召开会议。", "明天下午3点", D(2019, 7, 16)),
    ("今天上午10:30举行开班仪式。", "今天上午10:30", D(2019, 7, 15)),
    ("6月3日晚上8点，专班集中研判。", "6月3日晚上8点", D(2019, 6, 3)),
    ("2019年5月4日14时30分，督查组抵达。", "2019年5月4日14时30分", D(2019, 5, 4)),
    ("3月8日上午9时召开大会。", "3月8日上午9时", D(2019, 3, 8)),
    ("发布时间：2019-07-01 16:49:57", "2019-07-01 16:49:57", D(2019, 7, 1)),
    ("7月2日下午三点半，巡察组进驻。", "7月2日下午三点半", D(2019, 7, 2)),
    ("昨天晚上，县里召开紧急会议。", "昨天晚上", D(2019, 7, 14)),
    ("5月20日凌晨，暴雨袭击全县。", "5月20日凌晨", D(2019, 5, 20)),
    ("4月9日12时前报送。", "4月9日12时前", None),
])
def test_clock_times_belong_to_their_day(text, span, start):
    t = one(text, span)
    if start is None:  # a bound before a day's hour is a deadline at that day
        check(t, "deadline", None, D(2019, 4, 9))
    else:
        check(t, "date", start, start)


@pytest.mark.parametrize("text, span, kind, start, end", [
    ("月底前报送整改台账。", "月底前", "deadline", None, D(2019, 7, 31)),
    ("月初召开调度会。", "月初", "date", D(2019, 7, 1), D(2019, 7, 1)),
    ("3月召开推进会，同月完成自查。", "同月", "date", D(2019, 3, 1), D(2019, 3, 31)),
    ("5月启动试点，次月5日前全面推开。", "次月5日前", "deadline", None, D(2019, 6, 5)),
    ("2019年秋季开学前完成改造。", "2019年秋季", "date", D(2019, 9, 1), D(2019, 11, 30)),
    ("今年春季完成植树造林。", "今年春季", "date", D(2019, 3, 1), D(2019, 5, 31)),
    ("去年夏天，全县遭遇洪灾。", "去年夏天", "date", D(2018, 6, 1), D(2018, 8, 31)),
    ("一九○七年，县城修建了书院。", "一九○七年", "date", D(1907, 1, 1), D(1907, 12, 31)),
    ("会议休息15分钟。", "15分钟", "duration", None, None),
    ("2月3日召开会议，当月完成整改。", "当月", "date", D(2019, 2, 1), D(2019, 2, 28)),
])
def test_context_months_seasons_and_more(text, span, kind, start, end):
    check(one(text, span), kind, start, end, offset=one(text, span).offset)


@pytest.mark.parametrize("text", [
    "开创更加美好的明天。", "我国同日本的关系稳步发展。", "这是极不平凡的五年。",
    "实施五年计划。", "普及九年义务教育。", "人民生活一年比一年好。", "PM2.5年均浓度下降。",
    "断流30年后稳定复流。", "抓好“三年行动”落实。", "粮食产量创20年新高。",
])
def test_no_time_in_these_uses(text):
    bad = [t for t in found(text) if t.rule_id in ("time.duration.bare", "time.date.ago",
                                                     "time.date.relative_day", "time.date.same_day")]
    assert not bad, [(t.text, t.rule_id) for t in bad]


@pytest.mark.parametrize("text, span, start, end", [
    ("二十世纪90年代，乡镇企业兴起。", "二十世纪90年代", D(1990, 1, 1), D(1999, 12, 31)),
    ("80年代，村里通了电。", "80年代", D(1980, 1, 1), D(1989, 12, 31)),
    ("上世纪五十年代末，修建了水库。", "上世纪五十年代末", D(1950, 1, 1), D(1959, 12, 31)),
    ("2010年代，城市快速扩张。", "2010年代", D(2010, 1, 1), D(2019, 12, 31)),
    ("进入21世纪，城镇化加快。", "21世纪", D(2000, 1, 1), D(2099, 12, 31)),
    ("十九世纪末，港口开埠。", "十九世纪末", D(1800, 1, 1), D(1899, 12, 31)),
])
def test_decades_and_centuries(text, span, start, end):
    check(one(text, span), "period", start, end)



@pytest.mark.parametrize("text, ref", [
    ("2024年3月至2025年6月,整改期限为反馈后2个月内,每季度开展一次,为期45天,截至2025年底。", dt.date(2025, 5, 1)),
    ("今年以来,上个月15日召开会议,近三年来,2月30日,国庆节前,第三季度。", dt.date(2026, 2, 1)),
    ("去年底前完成,明年春节后,十四五时期,一季度。", None),
])
def test_times_are_the_records_validation_makes(text, ref):
    """Times are made without validation (`Typed`): the same fields, values, types, order and
    set fields as validation gives, for composed text and every rule example."""
    rows = [(text, ref), *{(ex.text, ref) for _, ex in T.examples()}]
    for t, r in rows:
        for m in T.extract(Context.of(t, reference_date=r)):
            ref_record = type(m)(**{k: getattr(m, k) for k in m.model_fields_set})
            assert list(m.__dict__.items()) == list(ref_record.__dict__.items()), t
            assert list(map(type, m.__dict__.values())) == list(map(type, ref_record.__dict__.values())), t
            assert m.model_fields_set == ref_record.model_fields_set
