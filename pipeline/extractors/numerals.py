"""Numerals as written in Chinese reports: Arabic, full-width, Chinese and mixed (`1.3万`).

Both the quantity and the time extractor read numbers, so the parsing lives here once. The
character tables below are the number system itself, not domain knowledge, which is why they
sit in code rather than under `rules/`: `FRAGMENTS` exposes them as named regex fragments
(`{NUM}`, `{CN_NUM}`, `{ARABIC}` …) that rule files expand, and `parse_number` turns a matched
numeral into its value.

Values are computed with `Decimal` so that `1.32万` is 13200 and not 13200.000000000002.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000, "兆": 10**12}  # 兆 as on the mainland: 万亿
TENS = {"廿": 20, "卅": 30, "卌": 40}
VAGUE = "几"  # 十几 is a range, 几十 has no value
HALF = "半"  # 两个半月, 半年
POINT = "点"  # the decimal point: 九十七点七
CLASSIFIER = "个"  # the general classifier: 两个月, 三个半月
ORDINAL = "第"  # 第一季度

# Traditional and full-width forms: the view is simplified already, but `parse_number` is also
# called on strings straight from the original text.
_FOLD = str.maketrans({"萬": "万", "億": "亿", "兩": "两", "−": "-", "貳": "贰", "陸": "陆", "參": "叁",
                       "點": "点", "，": ",", "．": ".", **{chr(0xFF10 + i): str(i) for i in range(10)}})

_CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS) + "".join(TENS)
_CN_DIGIT_CHARS = "".join(DIGITS)

_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # an Arabic number with no separator or scale
# An Arabic number and one scale (3.5万, 8500亿, 5.67万亿), as money is written: its value is the
# number times the scale, what the positional reading (`_parse_mixed`) works out at ten times
# the cost.
_SCALED = re.compile(r"([0-9]+(?:\.[0-9]+)?)(万亿|万|亿)")
_SCALE = {"万": 10_000, "亿": 100_000_000, "万亿": 10**12}
_SMALL_SCALE_END = re.compile(r"[十百千万亿]+$")  # the scale that ends a range's second side
_LARGE_SCALE_END = re.compile(f"[{''.join(LARGE_UNITS)}]+$")

FRAGMENTS: dict[str, str] = {
    # 1,100 only with real thousands groups; 3,4 is two numbers in an enumeration
    "ARABIC": r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?",
    "SCALE": "[十百千万亿兆]{1,3}",
    "CN_DIGIT": f"[{_CN_DIGIT_CHARS}]",
    "CN_NUM": f"[{_CN_CHARS}]+(?:点[{_CN_DIGIT_CHARS}]+[万亿兆]*)?",
    # Arabic parts each with its scale make one number: 3亿5000万, 1万2千
    "NUM": "{ARABIC}(?:{SCALE}(?:[0-9]+(?:\\.[0-9]+)?{SCALE})*)?|{CN_NUM}",
    # with 几, for extractors that must see 十几 (a range) and 几十 (vague) to judge them
    "CN_NUM_VAGUE": f"[{_CN_CHARS}{VAGUE}]+(?:点[{_CN_DIGIT_CHARS}]+[万亿兆]*)?",
    "NUM_VAGUE": "{ARABIC}(?:{SCALE}(?:[0-9]+(?:\\.[0-9]+)?{SCALE})*)?|{CN_NUM_VAGUE}",
}
"""Named regex fragments for numerals over the simplified, half-width view."""


@lru_cache(maxsize=16384)
def parse_number(s: str) -> float | None:
    """The value of a numeral (`十二`, `1.3万`, `1,100`, `九十七点七`, `二〇一九`), else None.

    Ranges (`两三`) and vague numerals (`几十`) are not numbers: the quantity extractor splits
    ranges before calling this.
    The same numerals recur across a corpus, so each string is read once.
    """
    if _PLAIN.fullmatch(s):  # 12, 3.5: what float reads, as exactly as the Decimal reading
        return float(s)
    value = _parse(s.strip().translate(_FOLD))
    return None if value is None else float(value)


@lru_cache(maxsize=4096)
def _parse(s: str) -> Decimal | None:
    if not s or VAGUE in s:
        return None
    if scaled := _SCALED.fullmatch(s):
        return Decimal(scaled[1]) * _SCALE[scaled[2]]
    if "点" in s:
        return _parse_decimal_point(s)
    if _digit_by_digit(s):
        return Decimal("".join(str(DIGITS[c]) for c in s))  # read digit by digit: 二〇一九
    return _parse_mixed(s)


def _digit_by_digit(s: str) -> bool:
    """Years and codes are read digit by digit (二〇一九); two plain digits are a range (三四)."""
    if len(s) < 2 or "两" in s or any(c not in DIGITS for c in s):
        return False
    return len(s) >= 3 or any(DIGITS[c] == 0 for c in s)


def _parse_decimal_point(s: str) -> Decimal | None:
    """`九十七点七`, `三点五万`: integer part, digits read one by one, then an optional scale."""
    whole, _, rest = s.partition("点")
    frac = rest.rstrip("".join(LARGE_UNITS))
    scale_text = rest[len(frac):]
    if not frac or any(c not in DIGITS for c in frac):
        return None
    head = _parse(whole) if whole else Decimal(0)
    if head is None:
        return None
    value = head + Decimal("0." + "".join(str(DIGITS[c]) for c in frac))
    return _scale(value, scale_text)


def _scale(value: Decimal, scale_text: str) -> Decimal | None:
    for c in scale_text:
        if c not in LARGE_UNITS:
            return None
        value *= LARGE_UNITS[c]
    return value


def _tokens(s: str):
    """Arabic runs become one Decimal token; every other character stays a character."""
    i = 0
    while i < len(s):
        if s[i].isdigit() or s[i] == ".":
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] in ".,"):
                j += 1
            try:
                yield Decimal(s[i:j].replace(",", ""))
            except InvalidOperation:
                yield None
            i = j
        else:
            yield s[i]
            i += 1


def _parse_mixed(s: str) -> Decimal | None:
    """Positional reading with sections: `一万三千` 13000, `一万二千亿` 1.2e12, `3千` 3000."""
    acc = _Reading()
    for tok in _tokens(s):
        if tok is None or not acc.take(tok):
            return None
    return acc.value(s)


class _Reading:
    """The running state of a positional reading, one token at a time.

    `above` holds what 兆 closed, `total` what 亿 closed since, `below_yi` what 万 closed
    since, `section` what 十/百/千 closed since, and `number` the digit (or Arabic number) not
    yet given a unit.
    """

    def __init__(self) -> None:
        self.above = self.total = self.below_yi = self.section = Decimal(0)
        self.number: Decimal | None = None
        self.last_unit, self.seen = 0, False

    def take(self, tok) -> bool:
        """Add one token; False when the string cannot be one numeral (`三四`, `万`)."""
        if isinstance(tok, Decimal) or tok in DIGITS:
            value = tok if isinstance(tok, Decimal) else Decimal(DIGITS[tok])
            if self.number is not None and (isinstance(tok, Decimal) or self.number != 0):
                return False  # two numbers side by side: a range or a list, not one numeral
            self.number, self.seen = value, True
        elif tok in TENS:
            self.section += TENS[tok]
            self.last_unit, self.seen = 10, True
        elif tok in SMALL_UNITS:
            unit = SMALL_UNITS[tok]
            self.section += (self.number if self.number is not None else 1) * unit
            self.number, self.last_unit, self.seen = None, unit, True
        elif tok in LARGE_UNITS:
            return self._close(tok)
        else:
            return False
        return True

    def _close(self, tok: str) -> bool:
        if not self.seen:
            return False
        part = self.section + (self.number or 0)
        if tok == "万" and not part and self.below_yi:
            self.below_yi *= 10_000  # 万万, an older way to write 亿: 六万万 is 6亿
        elif tok == "万":
            self.below_yi += part * 10_000
        elif tok == "亿":
            self.total = (self.total + self.below_yi + part) * 100_000_000
            self.below_yi = Decimal(0)
        else:  # 兆: 四十九兆九千五百九十二亿
            self.above = (self.above + self.total + self.below_yi + part) * LARGE_UNITS[tok]
            self.total = self.below_yi = Decimal(0)
        self.section, self.number, self.last_unit = Decimal(0), None, LARGE_UNITS[tok]
        return True

    def value(self, s: str) -> Decimal | None:
        """The total; a digit straight after a unit at the end abbreviates the next unit down,
        as people say it: `一万三` 13000, `三千五` 3500, `二百五` 250."""
        if not self.seen:
            return None
        number = self.number or 0
        if self.number is not None and self.last_unit and s[-1] in DIGITS \
                and s[-2:-1] in {**SMALL_UNITS, **LARGE_UNITS}:
            number = self.number * Decimal(self.last_unit) / 10
        return self.above + self.total + self.below_yi + self.section + number


def split_range(s: str) -> tuple[str, str] | None:
    """`两三` → (`两`, `三`), `十一二` → (`十一`, `十二`), `二三十` → (`二十`, `三十`): a spoken range.

    Two adjacent small digits whose values follow each other (or 三五, 一两) make a range; the
    characters around them belong to both ends.
    """
    for i in range(len(s) - 1):
        a, b = s[i], s[i + 1]
        if a in DIGITS and b in DIGITS and _is_range_pair(DIGITS[a], DIGITS[b]):
            return s[:i] + a + s[i + 2:], s[:i] + b + s[i + 2:]
    return None


def _is_range_pair(a: int, b: int) -> bool:
    return (b == a + 1 and a >= 1) or (a, b) == (3, 5)


def split_teens(s: str) -> tuple[str, str] | None:
    """`十几` → (`十一`, `十九`), `二十几` → (`二十一`, `二十九`), `十几万` → (`十一万`,
    `十九万`); other uses of 几 are vague."""
    scale = s[len(s.rstrip("".join(LARGE_UNITS))):]
    s = s[:len(s) - len(scale)]
    if s.endswith(VAGUE) and s[:-1].endswith("十") and VAGUE not in s[:-1]:
        return s[:-1] + "一" + scale, s[:-1] + "九" + scale
    return None


def one_of(num: str) -> str:
    """A bare magnitude (`万` of `上万支`, `超万亿元`) is one of it: `一万`."""
    return "一" + num if num[:1] in LARGE_UNITS else num


def parse_range(num: str, num2: str | None) -> tuple[float | None, float | None]:
    """`1至2`, `3-5万` (the scale of the second end applies to both), `两三`, `十几`."""
    if num2:
        scale = _SMALL_SCALE_END.search(num2)
        if scale and num[-1:].isdigit():
            num += scale.group()
        return parse_number(num), parse_number(num2)
    pair = None if num[:1].isdigit() else (split_range(num) or split_teens(num))
    if pair:
        return parse_number(pair[0]), parse_number(pair[1])
    return parse_number(num), None


def money_range(num: str, num2: str | None) -> tuple[float | None, float | None, str]:
    """Money in the scale written right before its currency, as the spec keeps it.

    The scale is the run of 万/亿/兆 that ends the amount (`1376万` → 1376 万, `2.27万亿` →
    2.27 万亿); larger parts written before it are converted into it (`3亿5000万` → 35000 万,
    `四十九兆九千五百九十二亿` → 499592 亿), and an amount that ends in no scale is in the
    currency itself (`1万2千` → 12000). In a range the last side's scale is the unit's: the first
    side shares it when it is written bare and no larger (`10~15万` → 10, 15), else it is
    converted into it (`5000至1万` → 0.5, 1; `10万至15万` → 10, 15).
    """
    if num2 is None and not num[:1].isdigit():
        num, num2 = split_range(num) or split_teens(num) or (num, None)
    last = num2 or num
    scale = _LARGE_SCALE_END.search(last)
    if not scale or scale.start() == 0:
        lo, hi = parse_number(num), parse_number(num2) if num2 else None
        return lo, hi, ""
    size = Decimal(1)
    for c in scale.group():
        size *= LARGE_UNITS[c]
    hi = _parse(last.translate(_FOLD))
    lo = _parse(num.translate(_FOLD)) if num2 else hi
    if hi is None or lo is None:
        return None, None, ""
    if num2 and not any(c in LARGE_UNITS for c in num):
        bare = _parse(last[:scale.start()].translate(_FOLD))
        lo = lo * size if bare is not None and lo <= bare else lo
    values = (float(lo / size), float(hi / size) if num2 else None)
    return *values, scale.group()


def whole_number(s: str) -> int:
    """`2019` 2019, `二〇一九` 2019 (digit by digit), `二十三` 23, `两` 2; else ValueError."""
    if s.isascii() and s.isdigit():
        return int(s)
    v = parse_number(s)
    if v is None or v != int(v):
        raise ValueError(f"not a whole number: {s!r}")
    return int(v)


def digit_by_digit(s: str) -> int:
    """Digits read one by one, Arabic or Chinese: `08` 8, `零三` 3, `一五` 15 (short years)."""
    return int("".join(c if c.isdigit() else str(DIGITS[c]) for c in s.translate(_FOLD)))


def discount(s: str) -> float | None:
    """A discount as the per cent paid: one digit is tenths (`八` 80, `9.5` 95), two digits are
    the per cent as written (`七五` 75, `75` 75)."""
    whole = re.split(r"[.点]", s.translate(_FOLD), maxsplit=1)[0]
    if len(whole) == 2 and whole == s.translate(_FOLD):
        return float(digit_by_digit(whole))
    value = parse_number(s)
    return None if value is None else value * 10


def plain_ordinal(s: str) -> str:
    """An ordinal as its plain Chinese numeral: `第一季度`, `1季度` and `一季度` are one."""
    return s.removeprefix(ORDINAL).translate(_TO_CHINESE_DIGITS)


_TO_CHINESE_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")

