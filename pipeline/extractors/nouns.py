"""The noun a count counts, read from a few words of jieba around it (spec §2, `counted`).

Noun phrases are cut by the segmenter on a short window only, read with jieba's dictionary POS
tags (a table look-up, not the slow HMM tagger), and given back as written (quote marks and
asides in brackets kept: `村（社区）`). The reader is built once with the compiled rules of
`rules/quantities.yaml` and serves the quantities extractor, which decides where to look.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from dataclasses import dataclass

from pydantic import Field

from pipeline.context import segment
from pipeline.context.lexicon import lexicon
from pipeline.context.view import NormalText
from pipeline.extractors import numerals
from pipeline.regexes import regex
from pipeline.rules import Example, RuleModel, compile_rule
from pipeline.scan import scan_of

# Where a window left out an aside in brackets: jieba keeps it as a token of its own.
ASIDE = "\ue000"
# The characters a numeral is written with (the quantities' matching starts at their runs).
RUN_CHARS = "0-9" + "".join([*numerals.DIGITS, *numerals.SMALL_UNITS, *numerals.LARGE_UNITS,
                              *numerals.TENS, *numerals.VAGUE])
_NUMERAL_CHAR = re.compile(f"[{RUN_CHARS}]")
_NUMERAL_WORD = re.compile(RUN_CHARS.replace("0-9", "", 1).join("[]") + "+")


# Windows whose words are kept (`cut`), and windows whose reading is (`NounReader`): a corpus
# reads some thousands.
KEPT = 1 << 16
_CUTS: dict[str, tuple[str, ...]] = {}
# What joins the windows `cut_all` hands the segmenter in one text. jieba (and jieba-rs) cut
# each run of Chinese characters, letters and digits alone, and give every other character as
# a word by itself (each whitespace character too, but \r\n as one word): a character of neither
# kind, not whitespace, which no window holds, is a word of its own between the words of the
# windows on either side, whose words are those each has alone.
JOIN = "\x00"


def cut(text: str) -> tuple[str, ...]:
    """The segmenter's words of a short window (the pipeline's own backend, rjieba if present),
    kept by window: the windows recur."""
    words = _CUTS.get(text)
    return _keep(text, segment.words(text)) if words is None else words


def cut_all(texts: Iterable[str]) -> None:
    """Cut the windows not cut before (`cut` then finds their words) in one call to the
    segmenter, joined by `JOIN`: one call a window cost two to three times as much, most of
    it the call. Windows that hold `JOIN` are left to `cut`, and all of them if the words hold `JOIN`
    other than once between each two windows (a segmenter that read it otherwise)."""
    new = list(dict.fromkeys(t for t in texts if t not in _CUTS))
    joined = JOIN.join(new)
    if len(new) < 2 or joined.count(JOIN) != len(new) - 1:
        return
    words = segment.words(joined)
    if words.count(JOIN) != len(new) - 1:
        return
    start = 0
    for text in new[:-1]:
        end = words.index(JOIN, start)
        _keep(text, words[start:end])
        start = end + 1
    _keep(new[-1], words[start:])


def _keep(text: str, words: list[str]) -> tuple[str, ...]:
    """The words of a window, without whitespace, kept for `cut`."""
    if len(_CUTS) >= KEPT:
        _CUTS.clear()
    kept = _CUTS[text] = tuple(filter(str.strip, words))
    return kept


def _answer(answers: dict, asks: list, text_of: Callable, read: Callable) -> None:
    """Fill in `answers` (kept by their arguments, up to `KEPT`) for the `asks` not answered yet:
    the text of each window the segmenter cuts (`text_of(ask)`), all cut in one call
    (`cut_all`), then each answer read from it (`read(text, ask)`)."""
    if len(answers) + len(asks) > KEPT:
        answers.clear()
    new = {ask: text_of(ask) for ask in asks if ask not in answers}
    cut_all(new.values())
    for ask, text in new.items():
        answers[ask] = read(text, ask)


def _words(window: str, cut_short: bool, tail: bool) -> tuple[str, ...]:
    """jieba's words of a window; a word the window's edge may have cut is left out."""
    words = cut(window)
    if cut_short and len(words) > 1:
        return words[:-1] if tail else words[1:]
    return words


def _acts_of(acts: list[Act], unit: str) -> tuple[tuple[str, ...], tuple[tuple[str, Act], ...]]:
    """The words of the acts that count in `unit`, alone and each with its act, in rule order."""
    pairs = tuple((w, act) for act in acts if unit in act.units for w in act.words)
    return tuple(w for w, _ in pairs), pairs


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in ("“”", "‘’", "「」"))


class Act(RuleModel):
    id: str
    words: list[str]
    units: list[str]
    counted: str = Field(description="what the count stands for; {act} is the act's word")
    examples: list[Example] = Field(min_length=1)


class Attendance(RuleModel):
    id: str
    units: list[str]
    after: str = Field(description="what follows the count of people who attend")
    list_marks: list[str] = Field(description="a list of who they are before the count")
    counted: str
    examples: list[Example] = Field(min_length=1)


class CountedSettings(RuleModel):
    """The `counted` section of `rules/quantities.yaml`: how the noun a count counts is read."""

    window: int
    max_words: int
    stop_chars: str
    stop_tags: list[str]
    head_tags: list[str]
    verb_tags: list[str]
    stop_words: list[str]
    predicate_verbs: list[str]
    predicate_markers: list[str]
    tag_overrides: dict[str, str]
    final_words: list[str]
    skip_before: str
    transparent: str
    quote_open: str
    aside: str
    quoted_name: str
    skip_after: str
    proper_tags: list[str]
    default_by_unit: dict[str, str]
    acts: list[Act]
    enumeration_joiners: list[str]
    list_split: str
    attendance: Attendance
    list_tail: str
    divisions: list[str]
    attributive: str = Field(description="the particle that joins a modifier to its noun")
    respectively: str = Field(description="the word that hands listed nouns to counts one by one")


@dataclass(frozen=True)
class NounRules:
    """The `counted` section compiled: its settings and the regexes built from them."""

    spec: CountedSettings
    min_word_freq: int  # rarer dictionary words are segmentation debris, not words
    skip_before: re.Pattern
    aside: re.Pattern  # 村(社区): an aside in brackets that belongs to the noun before it
    quoted_before: re.Pattern  # “最多跑一次”30项: a quoted name right before a number
    to_last_stop: re.Pattern  # the text up to the last stop character (where a window before starts)
    skip_after: re.Pattern  # what may stand between a classifier and its noun (万亿级)
    attendance: re.Pattern  # what follows the count of people who attend a meeting
    gap: re.Pattern  # one quote mark or aside that may stand inside a noun as written


def compile_nouns(file: str, cs: CountedSettings, frags: dict[str, str], min_word_freq: int) -> NounRules:
    """Compile the `counted` section of `file` with the file's fragments."""
    return NounRules(
        cs, min_word_freq,
        compile_rule(file, "counted.skip_before", "(?:" + cs.skip_before + ")$", frags),
        compile_rule(file, "counted.aside", cs.aside, {}),
        compile_rule(file, "counted.quoted_before",
                     f"(?P<q>{cs.quoted_name})(?:{cs.skip_before})?$", frags),
        re.compile(f"(?s:.*)[{re.escape(cs.stop_chars)}]"),
        compile_rule(file, "counted.skip_after", f"^(?:{cs.skip_after})", frags),
        compile_rule(file, "counted.attendance.after", cs.attendance.after, frags),
        compile_rule(file, "counted.transparent", f"[{re.escape(cs.transparent)}]|{cs.aside}", {}))


class NounReader:
    """Reads the noun phrases around a count: after its classifier, before it, its subject."""

    def __init__(self, r: NounRules):
        self.r, cs = r, r.spec
        self.word_class = lru_cache(maxsize=65536)(self._word_class)
        self.act_object = lru_cache(maxsize=65536)(self._act_object)
        self.strip_tail = lru_cache(maxsize=65536)(self._strip_tail)
        # what a window after or before a count reads as depends on the window alone, and the
        # windows recur (a third of them in a corpus): each is read once
        self._openings: dict[tuple[str, bool, bool], str] = {}
        self._endings: dict[tuple[str, bool, bool, bool], str] = {}
        self._tail_gate = scan_of(r.skip_before).gate
        # the word lists and tag lists as sets: each new word is looked up in all of them
        self._stop_words, self._predicates = frozenset(cs.stop_words), frozenset(cs.predicate_verbs)
        self._markers = frozenset(cs.predicate_markers)
        # by unit, the act words a count's noun may end in, each with its act, in the rules' order
        self._acts_of = {unit: _acts_of(cs.acts, unit) for act in cs.acts for unit in act.units}
        self._head_tags, self._stop_tags, self._verb_tags = (
            frozenset(cs.head_tags), frozenset(cs.stop_tags), frozenset(cs.verb_tags))
        self._unseen = str.maketrans(dict.fromkeys(cs.transparent))
        # whether a window holds a quote mark at all: a search is a tenth of `translate`'s cost,
        # and few windows hold one
        self._any_unseen = re.compile(f"[{re.escape(cs.transparent)}]")
        self._final_words = frozenset(cs.final_words)
        self._stops, self._edges = frozenset(cs.stop_chars), frozenset(cs.transparent + ")")
        self._plain_after = regex(
            "[^" + re.escape("".join(c for c in cs.stop_chars if c not in cs.transparent) + "(") + "]*")

    def tag(self, w: str) -> str | None:
        """jieba's dictionary POS tag of a word (user dictionary included), or the rule file's
        override."""
        overrides = self.r.spec.tag_overrides
        return overrides[w] if w in overrides else lexicon().tag(w)

    def _word_class(self, w: str) -> str:
        """`stop`, `pred` (a predicate verb), `verb` (may modify a noun), `weak` or `nom`."""
        if w in self._stop_words or any(map(str.isdigit, w)) or _NUMERAL_WORD.fullmatch(w):
            return "stop"
        if not any(map(str.isalpha, w)):
            return "stop"  # symbols: %, +, /
        if w in self._predicates:
            return "pred"
        tag = self.tag(w)
        if tag is None:
            return "nom"  # a word jieba's HMM made up: usually a name or a domain noun
        if tag[0] == "m" and len(w) > 1 and not _NUMERAL_CHAR.search(w):
            return "weak"  # a quantity word without a numeral (大宗, 若干) modifies the noun
        if len(w) == 1 and tag in self._head_tags:
            return "head"  # 桩 in 充电桩: a noun only at the end of a phrase
        if tag in self._stop_tags:
            return "stop"
        if tag in self._verb_tags:
            return "verb"
        return "weak" if tag[0] in "ai" else "nom"

    def _strip_tail(self, window: str) -> str:
        """The window without what may stand between a noun and the number after it (the
        `skip_before` rule matched at the window's end); kept by string, as windows recur. The
        rule is tried only where a match can begin (`Scan.gate`): the leftmost match is cut off."""
        if self._tail_gate is None:
            return self.r.skip_before.sub("", window)
        m = self._tail_gate.search(window)
        return window[:m.start()] if m else window

    def window_after(self, view: str, end: int, width: int = 0) -> tuple[str, bool]:
        """The text after a mention up to punctuation, and whether the window's edge cut it short.

        Quote marks and a short aside in brackets after a word (村(社区)) are read through and
        left out of the window: they belong to the noun but would cut jieba's words apart.
        """
        limit = min(len(view), end + (width or self.r.spec.window))
        plain = self._plain_after.match(view, end, limit).end()
        if plain == limit or view[plain] != "(":  # no aside: the common case, read at C speed
            window = view[end:plain]
            if self._any_unseen.search(window):
                window = window.translate(self._unseen)
            return window, plain < len(view) and view[plain] not in self._stops
        return self._after_aside(view, end, limit)

    def _after_aside(self, view: str, end: int, limit: int) -> tuple[str, bool]:
        """`window_after` where a bracket stands in the window, read a character at a time."""
        cs, aside = self.r.spec, self.r.aside
        i, parts, keep = end, [], end
        while i < limit:
            ch = view[i]
            if ch == "(" and i > end and view[i - 1].isalpha() and (m := aside.match(view, i)):
                parts.append(view[keep:i] + ASIDE)
                i = keep = m.end()
                continue
            if ch in cs.stop_chars and ch not in cs.transparent:
                break
            i += 1
        parts.append(view[keep:i])
        window = "".join(ch for ch in "".join(parts) if ch not in cs.transparent)
        return window, i < len(view) and view[i] not in cs.stop_chars

    def _window_before(self, view: str, start: int, width: int = 0) -> tuple[str, bool]:
        """The text before a mention back to punctuation, and whether the window's edge cut it.

        Asides in brackets are read through as in `_window_after`, and so is a quoted name, whose
        opening mark ends the window: what stands before it (建设“好房子”项目) is no part of it.
        """
        limit = max(0, start - (width or self.r.spec.window))
        i = self._plain_from(view, limit, start)
        if i == limit or view[i - 1] not in self._edges:
            # no quote or aside at the edge: the common case, read at C speed
            return view[i:start], i > 0 and view[i - 1] not in self._stops
        return self._before_aside(view, start, limit)

    def _plain_from(self, view: str, limit: int, start: int) -> int:
        """Where the run of characters before `start` back to a stop begins: after the last stop
        character, found by one greedy match that backs off from `start` (a search for the run,
        `[^stops]*$`, tried each position from `limit`). A line break right before `start` is
        passed over, as that search's `$` did (the run ends at the break: what the window
        read before)."""
        end = start - 1 if start > limit and view[start - 1] == "\n" else start
        m = self.r.to_last_stop.match(view, limit, end)
        return m.end() if m else limit

    def _before_aside(self, view: str, start: int, limit: int) -> tuple[str, bool]:
        """`_window_before` where a quote mark or a bracket stands at the window's edge, read a
        character at a time."""
        cs = self.r.spec
        i, parts, keep = start, [], start
        quoted = False
        while i > limit:
            ch = view[i - 1]
            if ch == ")" and (j := self._aside_start(view, i)) >= 0:
                parts.append(view[i:keep])
                i = keep = j
                continue
            if ch in cs.stop_chars and ch not in cs.transparent:
                break
            i -= 1
            if ch in cs.quote_open:
                quoted = True
                break
        parts.append(view[i:keep])
        window = "".join(ch for ch in "".join(reversed(parts)) if ch not in cs.transparent)
        return window, not quoted and i > 0 and view[i - 1] not in cs.stop_chars

    def _aside_start(self, view: str, end: int) -> int:
        """Where an aside in brackets ending at `end` opens, if it follows a word; else -1."""
        j = view.rfind("(", max(0, end - 12), end - 1)
        if j > 0 and view[j - 1].isalpha() and self.r.aside.fullmatch(view, j, end):
            return j
        return -1

    def _proper(self, w: str) -> bool:
        return self.tag(w) in self.r.spec.proper_tags

    def noun_openings(self, asks: list[tuple[str, bool, bool] | None]) -> list[str]:
        """The noun phrase right after a classifier, read on the window after it
        (`window_after`: `68项重点任务` → 重点任务), for each (window, cut_short, activity), or
        "" for None. The windows not read before are cut in one call (`cut_all`)."""
        openings = self._openings
        _answer(openings, [ask for ask in asks if ask], lambda ask: self._opening_text(ask[0]),
                lambda text, ask: self._noun_opening(_words(text, ask[1], tail=True), ask[2]))
        return [openings[ask] if ask else "" for ask in asks]

    def _opening_text(self, window: str) -> str:
        """What of a window after a classifier the segmenter cuts: the window without 的 and
        what may stand between the classifier and its noun (`skip_after`)."""
        de = self.r.spec.attributive
        if window.startswith(de):
            window = window[len(de):]
        return self.r.skip_after.sub("", window, count=1)

    def _noun_opening(self, words: tuple[str, ...], activity: bool) -> str:
        """The noun phrase that opens the words of a window after a classifier."""
        de = words.index(self.r.spec.attributive) if self.r.spec.attributive in words else -1
        if de >= 0 and not activity and self._predicate_clause(words[:de]):
            np, _ = self._np_forward(words[de + 1:], activity)
            if np:  # 3个整改不力的单位, 5个问题较多的村: the clause describes the head after 的
                return "".join(np)
        np, stopped_at = self._np_forward(words, activity)
        if de >= 0 and (stopped_at == self.r.spec.attributive or not np) and (
                not np or all(self.word_class(w) in ("weak", "verb") for w in np)):
            np, _ = self._np_forward(words[de + 1:], activity)  # 23项具体的整改任务, 13个被巡视的地区
        return "".join(np)

    def _predicate_clause(self, words: tuple[str, ...]) -> bool:
        """Words before 的 that end in an adjective or an adverb (or a verb after a verb) say
        something about the noun after 的 (整改不力的, 进展缓慢的); words that end in a noun are
        counted themselves (5个方面的问题)."""
        if not words or len(words) > 3:
            return False  # a longer clause has its own subject: 3万名学生喝上安全放心的奶
        first, last = self.word_class(words[0]), words[-1]
        if self._adjectival(last) or (len(last) >= 4 and self._adjectival(last[-2:])):
            return True  # 整改进展慢的, 问题较多的; 进度缓慢 is one word to jieba
        return first in ("verb", "pred") and self.word_class(last) in ("verb", "pred")  # 需要整改的

    def _adjectival(self, w: str) -> bool:
        """An adjective or a manner adverb: what a predicate about a noun ends in."""
        tag = self.tag(w) or ""
        return tag[:1] == "a" or tag == "d"

    def _np_forward(self, words: tuple[str, ...], activity: bool) -> tuple[list[str], str | None]:
        cs = self.r.spec
        np: list[str] = []
        for k, w in enumerate(words):
            if w == ASIDE:  # 村(社区)党组织: after an aside the phrase takes one more noun at most
                nxt = words[k + 1] if k + 1 < len(words) else ""
                if np and self.word_class(nxt) in ("nom", "head"):
                    np.append(nxt)
                break
            c = self.word_class(w)
            if c == "head" and np:
                np.append(w)
                break
            if c in ("stop", "pred", "head"):
                return self._trim_end(np, activity), w
            if c == "verb" and not activity:
                nxt = words[k + 1] if k + 1 < len(words) else None
                if nxt is None or self.word_class(nxt) not in ("nom", "weak", "head") or (np and self._proper(nxt)):
                    return self._trim_end(np, activity), w
            np.append(w)
            if w in self._final_words or len(np) >= cs.max_words:
                break
        return self._trim_end(np, activity), None

    def _trim_end(self, np: list[str], activity: bool) -> list[str]:
        """No trailing verbs or adjectives: a phrase must end in a noun (an activity may end in a
        verb: 3轮常规巡察)."""
        while np and not activity and self.word_class(np[-1]) in ("verb", "weak") and len(np) > 1:
            np = np[:-1]
        if np and not activity and self.word_class(np[-1]) in ("verb", "weak"):
            return []
        return np

    def _words_before(self, window: str, cut_short: bool, ratio: bool = False) -> tuple[str, ...]:
        """The words of a window before a number (`_window_before`), without what may stand
        between a noun and the number."""
        return _words(self._ending_text(window, ratio), cut_short, tail=False)

    def _ending_text(self, window: str, ratio: bool) -> str:
        """What of a window before a number the segmenter cuts: the window without what may
        stand between a noun and the number (`skip_before`), and a ratio's 的 before it."""
        window = self.strip_tail(window)
        de = self.r.spec.attributive
        if ratio and window.endswith(de):  # 完成任务的85%, 占总数的三分之一
            window = self.strip_tail(window[:-len(de)])
        return window

    def noun_before(self, view: str, start: int, activity: bool, ratio: bool = False) -> str:
        """The noun phrase a postposed number counts: `增加编制193个` → 编制."""
        return self.nouns_before(view, [(start, activity, ratio)])[0]

    def nouns_before(self, view: str, asks: list[tuple[int, bool, bool]]) -> list[str]:
        """`noun_before` of each (start, activity, ratio), the windows not read before cut in
        one call (`cut_all`)."""
        endings = self._endings
        asks = [(*self._window_before(view, start), activity, ratio)
                for start, activity, ratio in asks]
        _answer(endings, asks, lambda ask: self._ending_text(ask[0], ask[3]),
                lambda text, ask: self._np_backward(_words(text, ask[1], tail=False), ask[2]))
        return [endings[ask] for ask in asks]

    def subject_before(self, view: str, start: int, activity: bool) -> str:
        """The subject of an adverb and a predicate before the number: `问题已整改58个` → 问题."""
        words = self._words_before(*self._window_before(view, start))
        k = len(words)
        while k and self.word_class(words[k - 1]) in ("verb", "pred"):
            k -= 1
        if k == len(words) or k < 2 or words[k - 1] not in self._markers:
            return ""
        return self._np_backward(words[:k - 1], activity)

    def _np_backward(self, words: tuple[str, ...], activity: bool) -> str:
        """The noun phrase that ends a run of words, read from its end: words[first:]. A word's
        class is looked up only when the reading reaches the word after it: the words before a
        phrase's first word but one cannot change it, and a new word's class is the costly part
        of a window's first reading."""
        word_class, markers, n = self.word_class, self._markers, len(words)
        first = n
        prev = word_class(words[-1]) if n else "stop"
        for k in range(n - 1, -1, -1):
            c, prev = prev, word_class(words[k - 1]) if k else "stop"
            if c == "head":
                c = "nom" if first == n and prev in ("nom", "verb", "weak", "pred") else "stop"
            if c == "stop" or (c == "pred" and (first < n or not activity)):
                break
            if first == n and not activity and k and words[k - 1] in markers:
                break  # 已|销号21个: after an adverb the word is a predicate, whatever its tag
            if c in ("verb", "pred") and not activity:
                if first < n and prev != "nom":
                    break  # the verb that governs the phrase: 移交|问题线索
                if first == n and prev not in ("verb", "nom"):
                    break  # a predicate: 已|整改92条, 完成|整改9个
                first = k
                if first == n - 1 and prev == "verb":
                    break  # the object of a verb: 增加|编制
                continue
            first = k
            if n - first >= self.r.spec.max_words:
                break
        if first == n - 1 and first and (before := word_class(words[first - 1])) in ("verb", "pred"):
            if len(words[first]) == 1:
                return words[first - 1] + words[first]  # 充电|桩: a one-character head takes its modifier
            if not activity and word_class(words[first]) == "verb" and before == "pred":
                return ""  # 督促|整改1180个: a verb after a predicate verb is no noun
        return "".join(words[first:])

    def clause_end_verb(self, view: str, end: int) -> str:
        """For `分两轮对X开展巡察`: the verb closing the clause is what the rounds are of."""
        words = cut(self.window_after(view, end, 3 * self.r.spec.window)[0])
        if words and self.word_class(words[0]) == "stop" and self.word_class(words[-1]) in ("verb", "pred"):
            return words[-1]
        return ""

    def _act_object(self, counted: str, unit: str | None) -> tuple[str, str] | None:
        """What a count after an act stands for (处分7人 counts 处分人员, 立案5件 counts 案件),
        and the id of the act rule that says so."""
        words, acts = self._acts_of.get(unit, ((), ()))
        if not counted.endswith(words):  # most nouns end in no act: one look for them all
            return None
        for w, act in acts:
            if counted.endswith(w):
                return act.counted.replace("{act}", w), act.id
        return None

    def as_written(self, nt: NormalText, counted: str, lo: int, hi: int, last: bool) -> str:
        """The counted noun as the text writes it, with the quote marks and asides the windows
        read through (巡察“回头看”, 村（社区）), in the original's punctuation."""
        view = nt.view
        at = view.rfind(counted, lo, hi) if last else view.find(counted, lo, hi)
        if at >= 0:
            s, e = at, at + len(counted)
            if counted.isalnum() and not view.startswith("(", e) and not (s and view[s - 1] in "“‘「"):
                return counted  # nothing around it to take in
        else:  # rare: marks or asides inside the noun
            found = self.gapped(view, counted, lo, hi)
            if not found:
                return counted
            s, e = found[-1] if last else found[0]
        s, e = self._balance(view, s, e)
        text = "".join(o if not v.isalnum() else v for o, v in zip(nt.original[s:e], view[s:e]))
        return text if _balanced(text) else "".join(ch for ch in text if ch not in "“”‘’「」")

    def gapped(self, view: str, counted: str, lo: int, hi: int) -> list[tuple[int, int]]:
        """(start, end) of each place in view[lo:hi], left to right and not overlapping, where
        the noun's characters stand with quote marks and asides between them (巡察“回头看”):
        what the regex c₁ G* c₂ G* … cₙ (G a `gap`) finds, without compiling a regex per noun
        (a millisecond each, a fifth of the stage over a corpus)."""
        out, pos = [], lo
        while (p := view.find(counted[0], pos, hi)) >= 0:
            end = self._gapped_from(view, counted, 1, p + 1, hi)
            out += [(p, end)] if end is not None else []
            pos = end if end is not None else p + 1
        return out

    def _gapped_from(self, view: str, counted: str, k: int, pos: int, hi: int) -> int | None:
        """The end of counted[k:] matched from `pos`, the gaps before each character greedy and
        given back one at a time, as the regex engine backtracks; None when it cannot match."""
        if k == len(counted):
            return pos
        stops = [pos]
        while (m := self.r.gap.match(view, stops[-1], hi)) is not None:
            stops.append(m.end())
        for q in reversed(stops):
            if q < hi and view[q] == counted[k]:
                end = self._gapped_from(view, counted, k + 1, q + 1, hi)
                if end is not None:
                    return end
        return None

    def _balance(self, view: str, s: int, e: int) -> tuple[int, int]:
        """Take in the quote mark that closes (or opens) one inside, and an aside right after."""
        opening, closing = "“‘「", "”’」"
        count = lambda marks: sum(view[s:e].count(q) for q in marks)
        if count(opening) > count(closing):
            close = min((i for i in (view.find(q, e, e + 12) for q in closing) if i >= 0), default=-1)
            e = close + 1 if close >= 0 else e
        if count(closing) > count(opening):
            open_ = max(view.rfind(q, max(0, s - 12), s) for q in opening)
            s = open_ if open_ >= 0 else s
        if e < len(view) and view[e] == "(" and (m := self.r.aside.match(view, e)):
            e = m.end()
        return s, e

    def is_word(self, s: str) -> bool:
        """A word of jieba's dictionary. The rarest entries (余十, 金约) are segmentation debris,
        not words a reader would see, and must not hide a number or its marker."""
        return (lexicon().freq(s) or 0) >= self.r.min_word_freq

    def listed_before(self, view: str, start: int, k: int) -> list[str] | None:
        """The k nouns of a list closed by 分别 (and a link or change verb) right before `start`."""
        cs = self.r.spec
        window, cut_short = self._window_before(view, start, 3 * cs.window)
        at = window.rfind(cs.respectively)
        if cut_short or at < 0 or self.strip_tail(window[at:]) != "":
            return None
        head = re.sub(f"(?:{cs.list_tail})$", "", window[:at])
        parts = [p for p in re.split(cs.list_split, head) if p]
        if len(parts) != k or min(map(len, parts)) < 2 or max(map(len, parts)) > 3 * min(map(len, parts)):
            return None
        if any(cs.attributive in p or self.word_class((cut(p) or ("",))[-1]) not in ("nom", "head")
               for p in parts):
            return None  # a modifier sharing the head of the last noun: 集中养育和散居孤儿津贴
        return parts
