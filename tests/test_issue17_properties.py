"""Issue 17: properties of time and number extraction (issue17_conventions.md beside this file).

Robustness (no input raises, spans are slices of the input, dates are ordered), invariances
(a prefix shifts offsets, full-width digits read as half-width, a URL hides what it encodes) and
round trips whose expected values come from small oracles written from the conventions, not
from the implementation. No timing is asserted (`deadline=None`): speed is benchmarked.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from urllib.parse import quote

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.extract_api import extract_quantities, extract_times

D = dt.date
KINDS = {"date", "period", "deadline", "frequency", "duration"}
APPROX = {None, "more", "less", "about"}
DIRECTIONS = {None, "up", "down"}
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
SETTINGS = settings(deadline=None, max_examples=60)

# Pieces of the expressions this issue is about, so that random text is mostly near-misses.
TOKENS = [
    "2019", "2024", "1840", "08", "15", "49", "3", "12", "29", "31", "0", "１５", "２０２３",
    "二〇〇八", "二零零四", "一八九八", "十二", "三十一", "两", "十", "八点五", "七五", "四十九兆",
    "年", "月", "日", "号", "季度", "首季度", "前半年", "下旬", "底", "初", " ", "　",
    "自", "从", "起", "以来", "至今", "之前", "前", "后", "或之后", "截至", "至", "到", "—", "-", "~",
    "今年", "去年", "前年", "本月", "上一个月", "近三个月", "过去一年", "一年来", "三个多月以来",
    "昨(9)日", "今(2023)年", "当日", "当天", "每轮", "定期", "不定期", "每两周", "为期",
    "个月", "个半月", "左右", "内", "个", "项", "人", "只", "打", "台", "亩", "千瓦", "成", "折",
    "%", "％", "‰", "千分之", "万分之", "分之", "万", "亿", "元", "万元", "台币", "人民币", "五元三毛",
    "下降", "增长", "负", "降至", "余", "多", "约", "近", "以上", "第", "一是", "四个意识",
    "http://a.cn/", "www.", "%20", "%E5", "/", "?q=", "《", "》", "，", "。", "；", "\n",
]
token_text = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)
any_text = st.one_of(token_text, st.text(max_size=40))
any_date = st.dates()
FULL_WIDTH = str.maketrans("0123456789.%-~() ", "０１２３４５６７８９．％－～（）　")


# ------------------------------------------------------ oracles (issue17_conventions.md)
def add_months(day: D, n: int) -> D:
    """`day` moved by n calendar months, the day clipped to the month's length (§4.3, §5.3)."""
    months = day.year * 12 + day.month - 1 + n
    year, month = divmod(months, 12)
    return D(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _has_day(year: int, month: int, day: int) -> bool:
    return day <= calendar.monthrange(year, month)[1]


def _latest_with_day(year: int, month: int, day: int) -> int:
    if not _has_day(2000, month, day):
        raise ValueError(f"no calendar has {month}月{day}日")
    while not _has_day(year, month, day):
        year -= 1
    return year


def yearless(ref: D, month: int, day: int, forward: bool = False) -> D:
    """The year of `M月D日` with no year in its sentence (§4 steps 2–5)."""
    year = _latest_with_day(ref.year, month, day)
    if not forward and D(year, month, day) > add_months(ref, 6):
        year = _latest_with_day(year - 1, month, day)
    return D(year, month, day)


def pivot(yy: int, ref_year: int) -> int:
    """The year ending in `yy` inside [R − 79, R + 20] (§3.2)."""
    low = ref_year - 79
    return low + (yy - low) % 100


def review_year(ref: D) -> int:
    """The year under review (§5.3)."""
    return ref.year - 1 if ref.month <= 6 else ref.year


def cn_digits(year: int) -> str:
    return "".join("〇一二三四五六七八九"[int(c)] for c in str(year))


def cn_small(n: int) -> str:
    """1–31 in Chinese: 十, 十一, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else "一二三四五六七八九"[tens - 1] + "十")
    return head + ("" if ones == 0 else "一二三四五六七八九"[ones - 1])


def _group(n: int) -> str:
    """0 < n < 10000 in Chinese with inner zeros (一千零五, 一千零五十)."""
    out, zero = [], False
    for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, size)
        if digit:
            out.append(("零" if zero else "") + "零一二三四五六七八九"[digit] + unit)
            zero = False
        elif out:
            zero = True
    return "".join(out)


def cn_number(n: int) -> str:
    """3 ≤ n < 10⁸ as a report writes it (十五, 一万零一十, 十万); 2 is 两."""
    if n == 2:
        return "两"
    high, low = divmod(n, 10000)
    text = (_group(high) + "万" if high else "") + (
        ("零" if high and low < 1000 else "") + _group(low) if low else "")
    return text[1:] if text.startswith("一十") else text


def _one(mentions: list[dict]) -> dict:
    assert len(mentions) == 1, [m["text"] for m in mentions]
    return mentions[0]


def _iso(value) -> str | None:
    return None if value is None else str(value)[:10]


def _spans(mentions):
    return [(m["start"], m["end"]) for m in mentions]


def _time_key(m, shift=0):
    return (m["start"] - shift, m["end"] - shift, m["time_kind"], _iso(m["start_date"]),
            _iso(m["end_date"]), m.get("offset"))


def _quantity_key(m, shift=0):
    return (m["start"] - shift, m["end"] - shift, round(m["value"], 6), m["value_max"],
            m["unit"], m["approx"], m.get("direction"))


# ----------------------------------------------------------------------------- robustness
@SETTINGS
@given(text=any_text, ref=any_date)
def test_times_never_raise_and_are_well_formed(text, ref):
    for m in extract_times(text, ref):
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert text[m["start"]:m["end"]] == m["text"]
        assert m["time_kind"] in KINDS
        start, end = _iso(m["start_date"]), _iso(m["end_date"])
        if start and end:
            assert D.fromisoformat(start) <= D.fromisoformat(end)
        if m["time_kind"] in ("frequency", "duration"):
            assert start is None and end is None
        assert m.get("offset") is None or ISO_DURATION.match(m["offset"])


@SETTINGS
@given(text=any_text)
def test_quantities_never_raise_and_are_well_formed(text):
    for m in extract_quantities(text):
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert text[m["start"]:m["end"]] == m["text"]
        assert math.isfinite(m["value"])
        assert m["value_max"] is None or m["value_max"] >= m["value"]
        assert m["approx"] in APPROX and m.get("direction") in DIRECTIONS
        assert isinstance(m["ordinal"], bool)


@SETTINGS
@given(text=token_text, ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_extraction_is_deterministic(text, ref):
    assert extract_times(text, ref) == extract_times(text, ref)
    assert extract_quantities(text) == extract_quantities(text)


@SETTINGS
@given(text=token_text, ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_dates_are_never_quantities(text, ref):
    """Years and dates are times (spec §2), and so is the amount inside `近三个月` (§7.7)."""
    dated = [m for m in extract_times(text, ref)
             if m["time_kind"] in ("date", "period", "deadline")
             and (m["start_date"] is not None or m["end_date"] is not None)]
    for q in extract_quantities(text):
        assert not [t for t in dated if q["start"] < t["end"] and t["start"] < q["end"]], q


# ----------------------------------------------------------------------------- invariances
@SETTINGS
@given(text=token_text, ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_a_closed_paragraph_before_shifts_offsets_only(text, ref):
    prefix = "。\n"
    assert [_time_key(m, len(prefix)) for m in extract_times(prefix + text, ref)] == [
        _time_key(m) for m in extract_times(text, ref)]
    assert [_quantity_key(m, len(prefix)) for m in extract_quantities(prefix + text)] == [
        _quantity_key(m) for m in extract_quantities(text)]


@SETTINGS
@given(text=token_text, ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_full_width_digits_read_as_half_width(text, ref):
    assume(not re.search(r"[A-Za-z/?]|%[0-9A-Fa-f]{2}", text))
    wide = text.translate(FULL_WIDTH)
    assert [_time_key(m) for m in extract_times(wide, ref)] == [
        _time_key(m) for m in extract_times(text, ref)]
    assert [_quantity_key(m) for m in extract_quantities(wide)] == [
        _quantity_key(m) for m in extract_quantities(text)]


@SETTINGS
@given(inner=st.text(alphabet="0123456789年月日%．.元万亿个项成折负-—至 巡察问题整改", max_size=20),
       ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_nothing_is_read_inside_a_url(inner, ref):
    url = "http://example.cn/" + quote(inner) + ".html"
    text = "链接：" + url + "。"
    lo, hi = len("链接："), len("链接：") + len(url)
    found = extract_times(text, ref) + extract_quantities(text)
    assert not [m for m in found if m["start"] < hi and lo < m["end"]]


# ----------------------------------------------------------------------------- round trips
@SETTINGS
@given(day=st.dates(D(1000, 1, 1), D(2999, 12, 31)), ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)),
       chinese=st.booleans())
def test_a_full_date_reads_as_itself(day, ref, chinese):
    if chinese:
        span = f"{cn_digits(day.year)}年{cn_small(day.month)}月{cn_small(day.day)}日"
    else:
        span = f"{day.year}年{day.month}月{day.day}日"
    m = _one(extract_times(span + "，召开会议。", ref))
    assert (m["text"], m["time_kind"], _iso(m["start_date"]), _iso(m["end_date"])) == (
        span, "date", day.isoformat(), day.isoformat())


@SETTINGS
@given(a=st.dates(D(1900, 1, 1), D(2099, 12, 31)), b=st.dates(D(1900, 1, 1), D(2099, 12, 31)),
       ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_a_range_of_full_dates_is_a_period(a, b, ref):
    a, b = min(a, b), max(a, b)
    span = f"{a.year}年{a.month}月{a.day}日至{b.year}年{b.month}月{b.day}日"
    m = _one(extract_times(span + "开展集中检查。", ref))
    assert (m["text"], m["time_kind"], _iso(m["start_date"]), _iso(m["end_date"])) == (
        span, "period", a.isoformat(), b.isoformat())


@SETTINGS
@given(ref=st.dates(D(1901, 1, 1), D(2099, 12, 31)), day=st.dates(D(2000, 1, 1), D(2000, 12, 31)))
def test_yearless_dates_follow_the_six_month_window(ref, day):
    m = _one(extract_times(f"{day.month}月{day.day}日，召开了会议。", ref))
    expected = yearless(ref, day.month, day.day).isoformat()
    assert (m["time_kind"], _iso(m["start_date"]), _iso(m["end_date"])) == (
        "date", expected, expected)


@SETTINGS
@given(ref=st.dates(D(1901, 1, 1), D(2099, 12, 31)), day=st.dates(D(2000, 1, 1), D(2000, 12, 31)))
def test_yearless_forward_deadlines_are_not_moved_back(ref, day):
    m = _one(extract_times(f"要在{day.month}月{day.day}日前完成。", ref))
    expected = yearless(ref, day.month, day.day, forward=True).isoformat()
    assert (m["text"], m["time_kind"], _iso(m["start_date"]), _iso(m["end_date"])) == (
        f"{day.month}月{day.day}日前", "deadline", None, expected)


@SETTINGS
@given(ref_year=st.integers(1950, 2079), yy=st.integers(0, 99), month=st.integers(1, 12))
def test_short_years_follow_the_pivot(ref_year, yy, month):
    m = _one(extract_times(f"{yy:02d}年{month}月，开展了专项检查。", D(ref_year, 7, 1)))
    year = pivot(yy, ref_year)
    last = calendar.monthrange(year, month)[1]
    assert (m["text"], _iso(m["start_date"]), _iso(m["end_date"])) == (
        f"{yy:02d}年{month}月", D(year, month, 1).isoformat(), D(year, month, last).isoformat())


@SETTINGS
@given(year=st.integers(1000, 2999), month=st.integers(1, 12),
       ref=st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_open_bounds(year, month, ref):
    first, last = D(year, month, 1), D(year, month, calendar.monthrange(year, month)[1])
    since = _one(extract_times(f"自{year}年{month}月起，实行新办法。", ref))
    assert (since["time_kind"], _iso(since["start_date"]), since["end_date"]) == (
        "period", first.isoformat(), None)
    before = _one(extract_times(f"{year}年{month}月之前完成。", ref))
    assert (before["time_kind"], before["start_date"], _iso(before["end_date"])) == (
        "deadline", None, last.isoformat())


@SETTINGS
@given(ref=st.dates(D(1003, 1, 1), D(9997, 12, 31)),
       word=st.sampled_from([("今年", 0), ("去年", -1), ("前年", -2), ("明年", 1), ("后年", 2)]))
def test_relative_years_count_from_the_reference(ref, word):
    text, delta = word
    m = _one(extract_times(f"{text}，全县召开了表彰大会。", ref))
    year = ref.year + delta
    assert (m["text"], m["time_kind"], _iso(m["start_date"]), _iso(m["end_date"])) == (
        text, "date", D(year, 1, 1).isoformat(), D(year, 12, 31).isoformat())


@SETTINGS
@given(ref=st.dates(D(1901, 1, 1), D(2099, 12, 31)))
def test_the_past_year_is_the_year_under_review(ref):
    m = _one(extract_times("过去一年，各项工作稳步推进。", ref))
    year = review_year(ref)
    assert (m["time_kind"], _iso(m["start_date"]), _iso(m["end_date"])) == (
        "period", D(year, 1, 1).isoformat(), D(year, 12, 31).isoformat())


@SETTINGS
@given(n=st.integers(1, 99), unit=st.sampled_from([("个月", "M"), ("天", "D"), ("年", "Y")]))
def test_durations_carry_an_iso_offset(n, unit):
    word, designator = unit
    m = _one(extract_times(f"开展为期{n}{word}的专项整治。", D(2019, 7, 15)))
    assert (m["text"], m["time_kind"], m["offset"]) == (
        f"为期{n}{word}", "duration", f"P{n}{designator}")


@SETTINGS
@given(n=st.integers(3, 99_999_999), chinese=st.booleans())
def test_counts_read_their_value(n, chinese):
    number = cn_number(n) if chinese else str(n)
    m = _one(extract_quantities(f"发现问题{number}个。"))
    assert (m["text"], m["value"], m["unit"], m["value_max"], m["approx"]) == (
        f"{number}个", n, "个", None, None)


@SETTINGS
@given(amount=st.decimals(min_value="0.01", max_value="99999.99", places=2))
def test_money_keeps_its_scale_in_the_unit(amount):
    written = f"{amount.normalize():f}"
    m = _one(extract_quantities(f"拨付资金{written}万元。"))
    assert (m["text"], m["unit"]) == (f"{written}万元", "万元")
    assert m["value"] == pytest.approx(float(amount))


@SETTINGS
@given(rate=st.decimals(min_value="0", max_value="100", places=1))
def test_percentages_read_their_value(rate):
    written = f"{rate.normalize():f}"
    m = _one(extract_quantities(f"完成率为{written}%。"))
    assert (m["text"], m["unit"], m.get("direction")) == (f"{written}%", "%", None)
    assert m["value"] == pytest.approx(float(rate))


# ------------------------------------------------------------ the oracles say what the doc says
@pytest.mark.parametrize("ref,month,day,forward,expected", [
    (D(2019, 2, 20), 8, 20, False, D(2019, 8, 20)),
    (D(2019, 2, 20), 8, 21, False, D(2018, 8, 21)),
    (D(2019, 2, 20), 9, 30, True, D(2019, 9, 30)),
    (D(2024, 3, 10), 2, 29, False, D(2024, 2, 29)),
    (D(2023, 3, 10), 2, 29, False, D(2020, 2, 29)),
    (D(2019, 1, 8), 12, 28, False, D(2018, 12, 28)),
])
def test_yearless_oracle(ref, month, day, forward, expected):
    assert yearless(ref, month, day, forward) == expected


@pytest.mark.parametrize("yy,expected", [(8, 2008), (35, 2035), (39, 2039), (40, 1940),
                                         (49, 1949), (99, 1999)])
def test_pivot_oracle(yy, expected):
    assert pivot(yy, 2019) == expected


@pytest.mark.parametrize("n,expected", [(2, "两"), (10, "十"), (15, "十五"), (110, "一百一十"),
                                        (1005, "一千零五"), (1050, "一千零五十"),
                                        (10010, "一万零一十"), (100000, "十万"),
                                        (13000, "一万三千"), (20300, "二万零三百")])
def test_chinese_number_oracle(n, expected):
    assert cn_number(n) == expected


def test_add_months_clips_the_day():
    assert add_months(D(2019, 3, 31), -1) == D(2019, 2, 28)
    assert add_months(D(2019, 2, 20), 6) == D(2019, 8, 20)
