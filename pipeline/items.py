"""Work items: the act, what it acts on, who does it, how much and by when (spec §5).

An item is a clause (or a few clauses run together) whose act is one verb of the lexicon in
`rules/items.yaml`. The text is cut into sentences, sentences into segments at `;` `:`, segments
into clauses at `,` (never at `、`, which joins objects, and never inside 《》 “” ()). Each
clause's act is found from jieba words and the lexicon alone: jieba's POS tagger is five times
slower than the rest of the pipeline, so it runs only on sentences that hold counts or dates and
no verb of the lexicon. Clauses without an act (a fronted date, `14名市领导任副组长`) join the
clause they modify, so every count and date sits inside the item of the verb that governs it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import Field, model_validator

from . import sections, segment
from .errors import RuleError
from .normalize import NormalText
from .records import Cue, Heading, RegionSpan, WorkItem
from .rules import RuleModel, alternation, compile_rule, display, load_model

ACT_CLASSES = ("strong", "weak", "causative", "light", "state")

# ---------------------------------------------------------------- rules as data

class ActExample(RuleModel):
    text: str
    action: str


class ActionRule(RuleModel):
    id: str
    cls: str = Field(alias="class")
    words: list[str]
    examples: list[ActExample]


class Frame(RuleModel):
    id: str
    open: list[str]
    close: list[str]


class TitleAct(RuleModel):
    id: str
    pattern: str
    examples: list[ActExample]


class ExhortExample(RuleModel):
    text: str
    item: bool


class Exhortation(RuleModel):
    id: str
    classes: list[str]
    markers: list[str] = []
    objects: list[str] = []
    examples: list[ExhortExample]


class ItemFile(RuleModel):
    """The schema of `rules/items.yaml`."""

    actions: list[ActionRule]
    noun_heads_always: list[str]
    noun_suffixes: list[str]
    resultative: list[str]
    problem_words: list[str]
    problem_enders: list[str]
    noun_heads: list[str]
    noun_use_classes: list[str]
    phrase_openers: list[str]
    purpose_openers: list[str]
    object_openers: list[str]
    disposal_openers: list[str]
    not_object_after: list[str]
    frames: list[Frame]
    adverbial_endings: list[str]
    aspect: list[str]
    resolve_stops: list[str]
    negators: list[str]
    object_of_act: list[str]
    agent_openers: list[str]
    complements: list[str]
    adverbs: list[str]
    verb_prefixes: list[str]
    continuation_subjects: list[str]
    sentence_ends: str
    segment_ends: str
    clause_ends: str
    brackets: dict[str, str]
    enumerators: list[str]
    title_acts: list[TitleAct]
    fallback_not_actions: list[str]
    count_openers: list[str]
    change_verbs: list[str]
    exhortations: list[Exhortation]

    @model_validator(mode="after")
    def _classes_known(self):
        for a in self.actions:
            if a.cls not in ACT_CLASSES + ("nominal", "extent", "speech", "disposal"):
                raise ValueError(f"{a.id}: unknown class {a.cls!r}")
        return self


class ItemRules:
    """`rules/items.yaml` compiled once: the lexicon as a dict, the boundaries as regexes."""

    FILE = "items.yaml"

    def __init__(self, f: ItemFile):
        self.file = f
        self.lexicon: dict[str, tuple[str, str]] = {}
        for a in f.actions:
            for w in a.words:
                if w in self.lexicon:
                    raise RuleError(display(self.FILE), a.id, f"{w} is already in {self.lexicon[w][1]}")
                self.lexicon[w] = (a.cls, a.id)
        self.light_words = {w: r for w, r in self.lexicon.items() if r[0] == "light"}
        self.longest = max(len(w) for w in self.lexicon)
        self.noun_heads_always = frozenset(f.noun_heads_always)
        self.noun_suffixes = tuple(f.noun_suffixes)
        self.resultative = frozenset(f.resultative)
        self.problem_words = tuple(sorted(f.problem_words, key=len, reverse=True))
        self.problem_enders = tuple(f.problem_enders)
        self.problem_re = re.compile(alternation(f.problem_words))
        self.noun_heads = frozenset(f.noun_heads)
        self.noun_head_prefixes = tuple(h for h in f.noun_heads if len(h) > 1)
        self.noun_use_classes = frozenset(f.noun_use_classes)
        self.phrase_openers = frozenset(f.phrase_openers)
        self.object_openers = frozenset(f.object_openers)
        self.purpose_openers = frozenset(f.purpose_openers)
        self.disposal_openers = frozenset(f.disposal_openers)
        self.not_object_after = frozenset(f.not_object_after)
        self.frame_open: dict[str, frozenset[str]] = {}
        for fr in f.frames:
            for w in fr.open:
                self.frame_open[w] = self.frame_open.get(w, frozenset()) | set(fr.close)
        self.adverbial_endings = tuple(f.adverbial_endings)
        self.aspect = frozenset(f.aspect)
        self.resolve_stop_re = re.compile(alternation(f.resolve_stops))
        self.negators = frozenset(f.negators)
        self.object_of_act = tuple(f.object_of_act)
        self.agent_openers = tuple(f.agent_openers)
        self.complements = tuple(f.complements)
        self.adverbs = tuple(sorted(f.adverbs, key=len, reverse=True))
        self.verb_prefixes = frozenset(f.adverbs) | set(f.verb_prefixes)
        self.continuation_subjects = tuple(f.continuation_subjects)
        self.fallback_not_actions = frozenset(f.fallback_not_actions)
        self.count_openers = tuple(f.count_openers)
        self.change_verbs = frozenset(f.change_verbs)
        self.lexicon_re = re.compile(alternation(self.lexicon))
        self.opener_words = frozenset(self.frame_open) | self.object_openers | self.purpose_openers
        self.sentence_re = re.compile(f"[{re.escape(f.sentence_ends)}]+")
        enum = alternation(f.enumerators)
        cut = f"[{re.escape(f.clause_ends + f.segment_ends)}]"
        self.clause_re = re.compile(  # never between two digits (2,380人次; 8:00)
            f"(?<![0-9]){cut}|{cut}(?![0-9])|(?=(?:{enum}))")
        self.bracket_re = re.compile("|".join(
            f"{re.escape(a)}[^{re.escape(a + b)}\\n]{{0,200}}{re.escape(b)}" if a != b else
            f"{re.escape(a)}[^{re.escape(a)}\\n]{{0,200}}{re.escape(a)}" for a, b in f.brackets.items()))
        self.title_acts = [(t.id, compile_rule(self.FILE, t.id, t.pattern, {})) for t in f.title_acts]
        self.exhortations = f.exhortations
        self.exhort_res = [(r, re.compile(alternation(r.markers)) if r.markers else None,
                            re.compile(alternation(r.objects)) if r.objects else None)
                           for r in f.exhortations]

    def lookup(self, words: "Words", i: int, stop: int):
        """The longest lexicon entry spelt by words i, i+1, i+2 (never past `stop`):
        (word, how many words, class, rule id), or None."""
        best, text = None, ""
        for n in range(1, 4):
            if i + n > min(stop, len(words.texts)):
                break
            text += words.texts[i + n - 1]
            if len(text) > self.longest:
                break
            hit = self.lexicon.get(text)
            if hit:
                best = (text, n, *hit)
        return best


@lru_cache(maxsize=1)
def item_rules() -> ItemRules:
    return ItemRules(load_model(ItemRules.FILE, ItemFile))


@dataclass(frozen=True)
class Verb:
    """One lexicon word found in a clause: where, which class, which rule."""

    start: int
    end: int
    word: str
    cls: str
    rule_id: str
    framed: bool = False  # inside an adverbial frame (在…后): used only when nothing else is


@dataclass(frozen=True)
class Hit:
    """A lexicon word at word index `i` spanning `n` jieba words."""

    i: int
    n: int
    start: int
    word: str
    cls: str
    rule_id: str


@dataclass
class Clause:
    start: int
    end: int
    hard: bool  # a segment boundary (`;` `:` an enumerator, a sentence start) opens it
    verbs: list[Verb] = field(default_factory=list)
    act: Verb | None = None  # the governing verb as written
    action: Verb | None = None  # the act after causative and light verbs are resolved
    extent: bool = False
    adverbial: bool = False  # a fronted adverbial (时间, 根据…部署): joins the act after it
    hits: list = field(default_factory=list)  # every lexicon word, used as a verb or not


@dataclass
class Group:
    """Clauses that form one item: the act's clause and the act-less clauses that join it."""

    clauses: list[Clause]
    head: Clause
    rule_id: str = ""
    sentence: int = -1  # start of the sentence it is in
    task: str | None = None  # set where a rule names the object (关于<task>的通报)

    @property
    def start(self) -> int:
        return self.clauses[0].start

    @property
    def end(self) -> int:
        return self.clauses[-1].end


class Words:
    """The jieba words of the view (taken from the spaCy doc) with every lexicon word found in
    them, computed once per document so clauses only look up what they hold."""

    def __init__(self, doc, view: str):
        from spacy.attrs import IDX, LENGTH

        if doc is None:
            doc = segment.make_doc(view)
        arr = doc.to_array([IDX, LENGTH]).astype("int64") if len(doc) else None
        self.view = view
        self.starts = arr[:, 0].tolist() if arr is not None else []
        ends = (arr[:, 0] + arr[:, 1]).tolist() if arr is not None else []
        self.texts = [view[a:b] for a, b in zip(self.starts, ends)]
        self.index = {a: k for k, a in enumerate(self.starts)}
        self.index[len(view)] = len(self.starts)
        self.hits = self._hits(view)
        self.hit_at = [h.i for h in self.hits]
        rules = item_rules()
        self.openers = [k for k, w in enumerate(self.texts) if w in rules.opener_words]

    def _hits(self, view: str) -> list["Hit"]:
        """Lexicon words found by one regex pass over the view, kept where they stand on word
        boundaries, or inside a jieba word that is a modifier plus a verb (集中学习, 深入开展)
        or two verbs (研究部署), or a noun and a verb of change (价格上涨)."""
        rules, out = item_rules(), []
        for m in rules.lexicon_re.finditer(view):
            a, b = m.start(), m.end()
            i = bisect_right(self.starts, a) - 1
            j = bisect_left(self.starts, b)  # the word after the match, if the match ends one
            ends_word = self.index.get(b) is not None
            if i < 0 or j - i > 3:
                continue
            w0 = self.starts[i]
            whole = a == w0 and ends_word
            inner = (ends_word and (view[w0:a] in rules.verb_prefixes or view[w0:a] in rules.lexicon
                                    or m.group() in rules.change_verbs)
                     or a == w0 and view[b:self._end(i)] in rules.lexicon)
            if whole or (j - i == 1 and inner):
                out.append(Hit(i, max(j - i, 1), a, m.group(), *rules.lexicon[m.group()]))
        return out

    def _end(self, i: int) -> int:
        return self.starts[i] + len(self.texts[i])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Indexes [lo, hi) of the words that start inside [start, end)."""
        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def hits_in(self, lo: int, hi: int) -> list["Hit"]:
        return [h for h in self.hits[bisect_left(self.hit_at, lo):bisect_left(self.hit_at, hi)]
                if h.i + h.n <= hi]

    def openers_in(self, lo: int, hi: int) -> list[int]:
        return self.openers[bisect_left(self.openers, lo):bisect_left(self.openers, hi)]

    def at(self, i: int) -> str:
        return self.texts[i] if 0 <= i < len(self.texts) else ""


def extract(nt: NormalText, doc, heads: list[Heading], regions: list[RegionSpan],
            mentions: list, doc_id: str | None = None) -> tuple[list[WorkItem], list]:
    """Items of the text and the mentions with their `item_id` set.

    Args:
        doc_id: the id items carry; by default the one the mentions carry.
    """
    words = Words(doc, nt.view)
    brackets = bracket_spans(nt.view)
    starts = [m.start for m in mentions]
    groups = []
    for s, e in sentences(nt.view):
        inside = mentions[bisect_left(starts, s):bisect_left(starts, e)]
        for g in sentence_groups(nt, words, brackets, s, e, inside):
            g.sentence = s
            groups.append(g)
    if doc_id is None:
        doc_id = mentions[0].doc_id if mentions else ""
    return build_items(nt, groups, heads, regions, mentions, doc_id)


# ---------------------------------------------------------------- sentences and clauses

def sentences(view: str) -> list[tuple[int, int]]:
    """Spans between sentence ends (。 ! ? newline), without surrounding whitespace."""
    ends = item_rules().sentence_re
    out, pos = [], 0
    for m in ends.finditer(view):
        out.extend(_trimmed(view, pos, m.start()))
        pos = m.end()
    out.extend(_trimmed(view, pos, len(view)))
    return out


def _trimmed(view: str, s: int, e: int) -> list[tuple[int, int]]:
    while s < e and view[s].isspace():
        s += 1
    while e > s and view[e - 1].isspace():
        e -= 1
    return [(s, e)] if s < e else []


def bracket_spans(view: str) -> list[tuple[int, int]]:
    """Spans of 《…》 “…” (…) and the like, sorted: no boundary and no act inside them."""
    return [(m.start(), m.end()) for m in item_rules().bracket_re.finditer(view)]


def in_spans(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def clauses(view: str, brackets, s: int, e: int) -> list[Clause]:
    """Clauses of one sentence, split at `,` `;` `:` outside brackets and before enumerators."""
    rules = item_rules()
    cuts = [(m.start(), m.end(), m.group() != ",") for m in rules.clause_re.finditer(view, s, e)
            if not in_spans(brackets, m.start())]
    out, pos, hard = [], s, True
    for a, b, is_hard in cuts:
        if a > pos:
            out.append(Clause(pos, a, hard))
        pos, hard = b, is_hard or a == b or hard and a == pos
    if pos < e:
        out.append(Clause(pos, e, hard))
    return [c for c in out if view[c.start:c.end].strip()]


def join_straddled(cls: list[Clause], mentions: list) -> list[Clause]:
    """Clauses that a mention runs across (`换届后,一周内`) become one."""
    out: list[Clause] = []
    for c in cls:
        if out and any(m.start < out[-1].end and m.end > c.start for m in mentions):
            out[-1] = Clause(out[-1].start, c.end, out[-1].hard)
        else:
            out.append(c)
    return out


# ---------------------------------------------------------------- the act of a clause

def find_verbs(words: Words, brackets, c: Clause, lo: int, hi: int,
               frames: list[tuple[int, int]]) -> list[Verb]:
    """Lexicon words of a clause used as its predicate: not as nouns, not inside a phrase."""
    rules = item_rules()
    hits = [h for h in words.hits_in(lo, hi) if not in_spans(brackets, h.start)]
    c.hits = hits
    zone = object_zone(words, lo, hi, hits)
    nouns = noun_hits(words, hits)
    found = []
    for h in hits:
        if h.i in nouns or (zone and zone[0] < h.i < zone[1]) or _negated(words, h):
            continue
        cls = "strong" if h.cls == "nominal" and words.at(h.i + h.n) in rules.aspect else h.cls
        if cls == "disposal":
            if not any(words.texts[i] in rules.disposal_openers
                       for i in words.openers_in(lo, h.i)):
                continue  # 作为 without 把: a preposition (作为…的任务)
            cls = "strong"
        if cls == "speech":
            if not words.view[h.start + len(h.word):c.end].strip(" :,"):
                continue  # 郭永平指出: a report of speech, not an act
            cls = "strong"
        found.append(Verb(h.start, h.start + len(h.word), h.word, cls, h.rule_id,
                          any(a <= h.i < b for a, b in frames)))
    return found


def _negated(words: Words, h: Hit) -> bool:
    """不规范, 未落实: a negated verb describes a state or a problem, it is not an act."""
    prev = words.view[words.starts[h.i]:h.start] if h.start > words.starts[h.i] else words.at(h.i - 1)
    return prev in item_rules().negators


def noun_hits(words: Words, hits: list[Hit]) -> set[int]:
    """Word indexes of hits used as nouns. In a run of adjacent verbs the last decides: before
    的 or a problem (执行贯彻不到位) the whole run is a noun; before a noun head (动员部署会,
    下达提醒函) only its members that are often nouns are."""
    rules = item_rules()
    out: set[int] = set()
    for run in _runs(hits):
        last = run[-1]
        why = noun_use(words, last.i, last.n, last.cls)
        if why == "always":
            out.update(r.i for r in run)
        elif why == "class":
            out.update(r.i for r in run if r.cls in rules.noun_use_classes)
        elif len(run) == 1 and _after_opener(words, last.i):
            out.add(last.i)
    for h, nxt in reversed(list(zip(hits, hits[1:]))):  # 组织、宣传、财政等系统: a list of nouns
        if nxt.i in out and nxt.i == h.i + h.n + 1 and words.at(h.i + h.n) == "、":
            out.add(h.i)
    return out


def _runs(hits: list[Hit]) -> list[list[Hit]]:
    runs: list[list[Hit]] = []
    for h in hits:
        if runs and h.i in (runs[-1][-1].i, runs[-1][-1].i + runs[-1][-1].n):
            runs[-1].append(h)
        else:
            runs.append([h])
    return runs


def noun_use(words: Words, i: int, n: int, cls: str) -> str | None:
    """Why a verb is a noun or a modifier here, not a predicate: `always` before 的 or 等, a
    head such as 情况, a problem (执行不到位) or as an item of a 、 list; `class` where a verb
    often used as a noun heads a noun (整改工作, 督查机制) or follows 的; None otherwise."""
    rules = item_rules()
    j = i + n
    while words.at(j) in rules.resultative and words.at(j + 1) in rules.noun_heads_always:
        j += 1
    nxt = words.at(j)
    if (nxt in rules.noun_heads_always or nxt.endswith(rules.noun_suffixes)
            or _problem_after(words, j)):
        return "always"
    if nxt == "、" and not rules.lookup(words, j + 1, j + 4):
        return "always"
    if cls in rules.noun_use_classes and (
            words.at(i - 1) == "的" or nxt in rules.noun_heads
            or nxt.startswith(rules.noun_head_prefixes)):
        return "class"
    return None


def _problem_after(words: Words, j: int) -> bool:
    """A problem word ends what the verb says (执行不到位, 落实不力的问题), unless it goes on
    to modify a noun (清理不规范报销经费)."""
    rules = item_rules()
    if j >= len(words.starts):
        return False
    m = rules.problem_re.match(words.view, words.starts[j])
    if m is None:
        return False
    after = words.view[m.end():m.end() + 2]
    return not after or after[0] in ",;:、。!?)" or after.startswith(rules.problem_enders)


def _after_opener(words: Words, i: int) -> bool:
    """A verb right after 把/对/为… opens the phrase's noun (把实现全覆盖作为…, 为做好…召开)."""
    return words.at(i - 1) in item_rules().phrase_openers


def frame_spans(words: Words, lo: int, hi: int) -> list[tuple[int, int]]:
    """Word ranges of adverbial frames (从…起, 在…基础上, 包括…在内) of one clause, each closed
    by the first closer after its opener."""
    rules = item_rules()
    out = []
    for i in words.openers_in(lo, hi):
        closers = rules.frame_open.get(words.texts[i])
        if closers:
            j = next((j for j in range(i + 1, hi) if words.texts[j] in closers), None)
            if j is not None:
                out.append((i, j + 1))
    return out


def object_zone(words: Words, lo: int, hi: int, hits: list[Hit]) -> tuple[int, int] | None:
    """Words of a phrase whose verbs are not the clause's act: the noun phrase of `对 … 进行 V`
    (up to the light verb) and `把/将 … V` (up to the last act), and the purpose phrase of
    `为(了) V1 … Vk` (up to Vk, or the whole clause when V1 is its only act)."""
    rules = item_rules()
    for i in words.openers_in(lo, hi):
        w = words.texts[i]
        later = [h for h in hits if h.i > i]
        if w in rules.purpose_openers:
            zone = purpose_zone(words, i, hi, later)
        elif w in rules.object_openers and words.at(i + 1) not in rules.not_object_after:
            zone = object_phrase(w, i, later)
        else:
            continue
        if zone:
            return zone
    return None


def object_phrase(opener: str, i: int, later: list[Hit]) -> tuple[int, int] | None:
    light = next((h.i for h in later if h.cls == "light"), None)
    if light is not None:
        return (i, light)
    if opener in item_rules().disposal_openers:
        acts = [h.i for h in later if h.cls in ACT_CLASSES or h.cls == "disposal"]
        return (i, acts[-1]) if acts else None
    return None


def purpose_zone(words: Words, i: int, hi: int, later: list[Hit]) -> tuple[int, int] | None:
    """`为做好…工作召开会议`: the purpose phrase runs from 为 to the last act of the clause."""
    rules = item_rules()
    k = i + 1
    while words.at(k) in rules.adverbs:
        k += 1
    if not later or later[0].i != k:
        return None  # 为 + a noun: a beneficiary (为基层减负), not a purpose
    acts = [h.i for h in later if h.cls in ACT_CLASSES or h.cls == "nominal"]
    return (i, acts[-1]) if len(acts) > 1 else (i, hi)


def continues(view: str, c: Clause, act: Verb) -> bool:
    """A relation whose subject points back (内容包括…, 其中涉及…): it describes the item before."""
    before = view[c.start:act.start].strip()
    return act.cls in ("state", "extent") and len(before) <= 4 and before.startswith(
        item_rules().continuation_subjects)


def choose_act(verbs: list[Verb]) -> tuple[Verb | None, bool]:
    """The governing verb: the first act, else the first verbal noun, else an extent verb;
    verbs inside an adverbial frame only when the clause has no other."""
    for pool in ([v for v in verbs if not v.framed], verbs):
        act = next((v for v in pool if v.cls in ACT_CLASSES), None)
        act = act or next((v for v in pool if v.cls == "nominal"), None)
        if act:
            return act, False
    ext = next((v for v in verbs if v.cls == "extent"), None)
    return ext, ext is not None


def resolve(act: Verb, verbs: list[Verb], words: Words, c: Clause) -> Verb:
    """A causative's act is the act it governs; a light verb's act is the verbal noun it carries."""
    rules = item_rules()
    stop = min((m.start() for m in rules.resolve_stop_re.finditer(words.view, act.end, c.end)),
               default=c.end)
    later = [v for v in verbs if act.start < v.start < stop and v.cls != "extent" and not v.framed]
    if act.cls == "causative" and words.view[act.end:act.end + 1] not in rules.aspect:
        governed = next((v for v in later if v.cls != "causative"), None)
        return governed or noun_governed(act, c) or (later[-1] if later else act)
    if act.cls == "light":
        return light_object(act, words, c) or act
    return act


def noun_governed(act: Verb, c: Clause) -> Verb | None:
    """A causative with no verb after it may govern a verbal noun (督促整改问题, 推动整改工作)."""
    h = next((h for h in c.hits if h.start > act.start and h.cls in ("strong", "nominal")), None)
    return Verb(h.start, h.start + len(h.word), h.word, h.cls, h.rule_id) if h else None


def light_object(act: Verb, words: Words, c: Clause) -> Verb | None:
    """The first lexicon word after a light verb, read over characters since the verbal noun
    is often inside a longer jieba word (进行专题研究)."""
    rules = item_rules()
    for m in rules.lexicon_re.finditer(words.view, act.end, c.end):
        cls, rid = rules.lexicon[m.group()]
        if cls not in ("light", "extent"):
            return Verb(m.start(), m.end(), m.group(), cls, rid)
    return None


def analyse(view: str, words: Words, brackets, c: Clause, mentions: list = ()) -> Clause:
    """Fill in a clause's verbs and act. A clause that is an adverbial (ends in 时/期间/后,
    or is one frame from end to end, such as 根据…部署) has none."""
    lo, hi = words.span(c.start, c.end)
    frames = frame_spans(words, lo, hi)
    c.verbs = [v for v in find_verbs(words, brackets, c, lo, hi, frames)
               if not _inside_mention(v, mentions)]
    text = view[c.start:c.end].rstrip()
    if text.endswith(item_rules().adverbial_endings) or (lo, hi) in frames:
        c.adverbial = True
        return c
    act = governing(view, c, mentions)
    extent = False
    if act is None:
        act, extent = choose_act(c.verbs)
    if act:
        c.act, c.extent = act, extent or continues(view, c, act)
        c.action = resolve(act, c.verbs, words, c)
    return c


def _inside_mention(v: Verb, mentions) -> bool:
    """A verb inside a date or a count (会议召开后, 超过3000人) is part of it, not an act."""
    return any(m.start <= v.start and v.end <= m.end for m in mentions
               if m.kind in ("time", "quantity"))


def governing(view: str, c: Clause, mentions: list) -> Verb | None:
    """The verb that governs the clause's first count: the nearest act before it (the first of
    a run such as 修订完善), unless a preposition stands between them (占比重由47.6%提升至…),
    in which case the first act after it. None when the clause counts nothing."""
    q = next((m for m in mentions if m.kind == "quantity" and not getattr(m, "ordinal", False)
              and c.start <= m.start and m.end <= c.end), None)
    if q is None:
        return None
    acts = [v for v in c.verbs if v.cls in ACT_CLASSES + ("nominal",) and not v.framed]
    before = [v for v in acts if v.end <= q.start]
    before = [v for v in before if v.cls != "nominal"] or before  # 受理信访举报460件: 受理
    if before and not _opener_between(view, before[-1].end, q.start):
        return _run_start(view, acts, before[-1])
    return next((v for v in acts if v.start >= q.end), None)


def _opener_between(view: str, a: int, b: int) -> bool:
    gap = view[a:b]
    return any(o in gap for o in item_rules().count_openers)


def _run_start(view: str, acts: list[Verb], v: Verb) -> Verb:
    """The first verb of the run that ends at `v` (健全完善, 梳理、修订)."""
    if v.word in item_rules().change_verbs:
        return v  # 投资增长6.5%: a change is said of the noun before it, not run with it
    k = acts.index(v)
    while (k > 0 and acts[k - 1].cls in ("strong", "weak")
           and view[acts[k - 1].end:acts[k].start] in ("", "、")):
        k -= 1
    return acts[k]


# ---------------------------------------------------------------- clauses into items

def sentence_groups(nt: NormalText, words: Words, brackets, s: int, e: int,
                    mentions: list) -> list[Group]:
    """The items of one sentence, as groups of clauses."""
    cls = []
    for c in join_straddled(clauses(nt.view, brackets, s, e), mentions):
        analyse(nt.view, words, brackets, c, mentions)
        cls.extend(split_predicates(nt.view, words, brackets, c, mentions))
    for c in cls:
        if not c.action and only_time(nt.view, c, mentions):
            c.adverbial = True
    measure_of_previous(nt.view, cls)
    groups = []
    for seg in split_segments(cls):
        got = segment_groups(seg)
        if not got[0].head.action:
            got = [fallback_group(nt, seg, mentions) or got[0]]
        groups.extend(got)
    return [g for g in attach_actless(groups) if g.head.action]


def split_predicates(view: str, words: Words, brackets, c: Clause, mentions: list) -> list[Clause]:
    """A 、 usually joins objects (梳理、修订制度; 4个方面、20项问题), but between two predicates
    that each have their own subject (投资增长5%、消费增长6%) it ends a clause: cut where the
    part before has an act, the part after starts with no verb and has one before the next 、."""
    acts = [v for v in c.verbs if v.cls in ACT_CLASSES + ("extent",) and not v.framed]
    if len(acts) < 2 or "、" not in view[c.start:c.end]:
        return [c]
    cuts, last = [], c.start
    for p in (k for k in range(c.start, c.end) if view[k] == "、"):
        if in_spans(brackets, p) or any(m.start < p < m.end for m in mentions):
            continue
        nxt = view.find("、", p + 1, c.end)
        stop = nxt if nxt >= 0 else c.end
        if (any(last <= v.start and v.end <= p for v in acts)
                and any(p + 1 < v.start < stop for v in acts)
                and not any(v.start == p + 1 for v in c.verbs)):
            cuts.append(p)
            last = p + 1
    if not cuts:
        return [c]
    bounds = [c.start] + [p + 1 for p in cuts]
    ends = cuts + [c.end]
    return [analyse(view, words, brackets, Clause(a, b, c.hard and a == c.start), mentions)
            for a, b in zip(bounds, ends)]


def measure_of_previous(view: str, cls: list[Clause]) -> None:
    """An extent clause (…率达到95%) measures the act before it only when it names that act
    (整改完成率 after 整改) or points back (内容涵盖…); otherwise its verb is an act of its own."""
    prev = None
    for c in cls:
        if c.extent and c.act and c.act.cls == "extent":
            named = prev is not None and prev.action.word in view[c.start:c.act.start]
            c.extent = named or continues(view, c, c.act)
        if c.action and not c.extent:
            prev = c


def only_time(view: str, c: Clause, mentions: list) -> bool:
    """A clause that is a date and little else (`截止2018年10月`): it dates the act after it."""
    times = [m for m in mentions if m.kind == "time" and c.start <= m.start and m.end <= c.end]
    if not times:
        return False
    rest = _cut(view, c.start, c.end, times)
    return len(rest.strip(" ,;:、")) <= 2


def split_segments(cls: list[Clause]) -> list[list[Clause]]:
    out: list[list[Clause]] = []
    for c in cls:
        if c.hard or not out:
            out.append([c])
        else:
            out[-1].append(c)
    return out


def segment_groups(seg: list[Clause]) -> list[Group]:
    """Act clauses head groups. An act-less clause joins the act before it, except a fronted
    adverbial (a date, 巡视期间, 根据…部署) or a clause before any act, which joins the act after
    it. A clause whose only verb measures (达到, 涵盖) counts as act-less unless the segment has
    no other act."""
    acts = [c for c in seg if c.action and not c.extent] or [c for c in seg if c.action][:1]
    if not acts:
        return [Group(seg, seg[0])]  # act-less: joined to a neighbour or dropped later
    groups, pending = [], []
    for k, c in enumerate(seg):
        if c in acts:
            groups.append(Group(pending + [c], c))
            pending = []
        elif not groups or (c.adverbial and any(a in acts for a in seg[k + 1:])):
            pending.append(c)
        else:
            groups[-1].clauses.extend(pending + [c])
            pending = []
    return groups


def attach_actless(groups: list[Group]) -> list[Group]:
    """An act-less segment joins the item before it in the sentence, else the one after it."""
    out: list[Group] = []
    pending: list[Clause] = []
    for g in groups:
        if g.head.action:
            g.clauses = pending + g.clauses
            pending = []
            out.append(g)
        elif out:
            out[-1].clauses.extend(g.clauses)
        else:
            pending.extend(g.clauses)
    if pending:
        out.append(Group(pending, pending[0]))
    return out


def fallback_group(nt: NormalText, seg: list[Clause], mentions: list) -> Group | None:
    """A segment with counts or dates but no verb of the lexicon: a title act (关于…的通报),
    else the verb jieba's POS tagger finds nearest before the first count (仅有二十一名), else
    its first verb. POS tagging is slow, so it runs only here."""
    s, e = seg[0].start, seg[-1].end
    inside = [m for m in mentions if s <= m.start and m.end <= e]
    if not any(m.kind in ("quantity", "time") for m in inside):
        return None
    rules = item_rules()
    view = nt.view[s:e]
    for rid, pat in rules.title_acts:
        m = pat.search(view)
        if m:
            g = _fallback(seg, s + m.start("act"), m.group("act"), rid)
            g.task = m.groupdict().get("task")
            return g
    verbs, pos = [], s
    for w, flag in segment.pos(view):
        if flag in ("v", "vd") and w not in rules.fallback_not_actions:
            verbs.append((pos, w))
        pos += len(w)
    if not verbs:
        return None
    q = next((m for m in inside if m.kind == "quantity" and not getattr(m, "ordinal", False)), None)
    before = [v for v in verbs if q and v[0] + len(v[1]) <= q.start]
    start, word = before[-1] if before and not _opener_between(
        nt.view, before[-1][0] + len(before[-1][1]), q.start) else verbs[0]
    return _fallback(seg, start, word, "item.fallback.pos")


def _fallback(cls: list[Clause], start: int, word: str, rid: str) -> Group:
    verb = Verb(start, start + len(word), word, "strong", rid)
    head = next((c for c in cls if c.start <= start < c.end), cls[0])
    head.act = head.action = verb
    return Group(list(cls), head, rid)


# ---------------------------------------------------------------- groups into records

def build_items(nt: NormalText, groups: list[Group], heads: list[Heading],
                regions: list[RegionSpan], mentions: list, doc_id: str = ""
                ) -> tuple[list[WorkItem], list]:
    """WorkItems from groups, exhortations left out, and every mention inside one linked to it."""
    items, owner = [], {}
    starts = [m.start for m in mentions]
    subjects = Subjects(nt.view, heads)
    cue_index = Cues(nt.view)
    for g in groups:
        start, end = trim(nt.view, g.start, g.end)
        inside = [m for m in mentions[bisect_left(starts, start):bisect_left(starts, end)]
                  if m.end <= end]
        if exhortation(nt.view, g, inside):
            continue
        item_id = f"i{len(items) + 1:04d}"
        resp = subjects.of(g, start, responsible(nt.view, g, inside))
        items.append(make_item(nt, g, start, end, item_id, inside, resp, heads, regions, doc_id,
                               cue_index))
        owner.update({m.mention_id: item_id for m in inside})
    linked = [m.model_copy(update={"item_id": owner[m.mention_id]}) if m.mention_id in owner else m
              for m in mentions]
    return items, linked


class Subjects:
    """Who acts where a clause names no one: the last subject of the same sentence (`省委…,
    先后召开…, 及时传达…` → 省委 for each), else the first subject of the paragraph, else the first
    of the section."""

    def __init__(self, view: str, heads: list[Heading]):
        self.view, self.heads = view, heads
        self.sentence: tuple[int, list[str]] = (-1, [])
        self.first: dict[tuple[str, int], list[str]] = {}

    def of(self, g: Group, start: int, own: list[str]) -> list[str]:
        keys = self._keys(start)
        if own:
            self.sentence = (g.sentence, own)
            for k in keys:
                self.first.setdefault(k, own)
            return own
        if self.sentence[0] == g.sentence:
            return self.sentence[1]
        return next((self.first[k] for k in keys if k in self.first), [])

    def _keys(self, start: int) -> list[tuple[str, int]]:
        head = sections.heading_at(self.heads, start)
        para = self.view.rfind("\n", 0, start) + 1
        return [("paragraph", para)] + ([("section", head.start)] if head else [])


def trim(view: str, s: int, e: int) -> tuple[int, int]:
    """A group's span without surrounding spaces and punctuation left by the cuts."""
    while s < e and (view[s].isspace() or view[s] in ",;:、"):
        s += 1
    while e > s and (view[e - 1].isspace() or view[e - 1] in ",;:、"):
        e -= 1
    return s, e


def make_item(nt: NormalText, g: Group, start: int, end: int, item_id: str, inside: list,
              resp: list[str], heads: list[Heading], regions: list[RegionSpan],
              doc_id: str, cue_index: "Cues") -> WorkItem:
    act = g.head.action
    head = sections.heading_at(heads, start)
    cats, cues = cue_index.of(start, end)
    return WorkItem(
        start=start, end=end, text=nt.original[start:end], doc_id=doc_id, item_id=item_id,
        action=act.word,
        task=g.task or task_of(nt.view, g.head, [m for m in inside if m.kind == "time"]),
        region=sections.region_at(regions, start), section=head.text if head else None,
        category=cats, cues=cues, responsible=resp, mention_ids=[m.mention_id for m in inside],
        rule_id=g.rule_id or act.rule_id)


def responsible(view: str, g: Group, inside: list) -> list[str]:
    """Bodies marked responsible, else bodies before the act; never a body that 对/向/把 make
    the object of the act (市政府党组把自治区党委反馈问题整改作为…: 市政府党组 only)."""
    act = g.head.act or g.head.action
    bodies = [m for m in inside if m.kind == "body" and not _in_object_phrase(view, g, m, act)]
    names = [b.name for b in bodies if b.role == "responsible"]
    if not names:
        names = [b.name for b in bodies if b.role == "participant" and b.end <= act.start]
    return list(dict.fromkeys(names))


def _in_object_phrase(view: str, g: Group, body, act: Verb) -> bool:
    """True when an object opener (对, 向, 把 …) stands between the clause start and the body,
    with no agent opener (由) after it, and the body comes before the act."""
    if body.start >= act.start:
        return False
    clause = next((c for c in g.clauses if c.start <= body.start < c.end), g.head)
    before = view[clause.start:body.start]
    rules = item_rules()
    last_obj = max((before.rfind(o) for o in rules.object_of_act), default=-1)
    last_agent = max((before.rfind(o) for o in rules.agent_openers), default=-1)
    return last_obj > last_agent


def task_of(view: str, c: Clause, times: list) -> str | None:
    """The act's object: what follows the verb in its clause (dates cut out), or, where the verb
    ends the clause or only a complement follows (问题已整改到位), the phrase before it."""
    rules = item_rules()
    act = c.action
    after = _cut(view, act.end, c.end, times).lstrip("".join(rules.aspect))
    if not after or after.startswith(rules.complements):
        before = _cut(view, c.start, (c.act or act).start, times)
        after = _strip_adverbs(before)
    return _head_phrase(after.strip(" ,;:、")) or None


def _cut(view: str, s: int, e: int, times: list) -> str:
    parts, pos = [], s
    for t in times:
        if s <= t.start and t.end <= e and t.start >= pos:
            parts.append(view[pos:t.start])
            pos = t.end
    parts.append(view[pos:e])
    return "".join(parts).strip()


def _strip_adverbs(text: str) -> str:
    rules = item_rules()
    changed = True
    while changed and text:
        changed = False
        for a in rules.adverbs:
            if text.endswith(a):
                text, changed = text[: -len(a)], True
                break
    return text


def _head_phrase(text: str, limit: int = 60) -> str:
    """The noun phrase a relative clause modifies (需要注意的18个问题 → 18个问题), kept short."""
    i = text.rfind("的")
    if i >= 0 and len(text) - i > 2 and not text[:i].endswith("党"):
        text = text[i + 1:]
    return text[:limit]


def exhortation(view: str, g: Group, inside: list) -> str | None:
    """The id of the exhortation rule a group matches, if it counts and dates nothing."""
    if any(m.kind in ("quantity", "time") for m in inside):
        return None
    c, act = g.head, g.head.act
    if act is None:
        return None
    for rule, markers, objects in item_rules().exhort_res:
        if act.cls not in rule.classes and c.action.cls not in rule.classes:
            continue
        if (markers and markers.search(view, c.start, act.start)
                or objects and objects.search(view, act.end, c.end)):
            return rule.id
    return None


# ---------------------------------------------------------------- practice categories

class PracticeExample(RuleModel):
    text: str
    cue: str


class Practice(RuleModel):
    id: str
    name: str
    cues: list[str]
    except_: list[str] = Field(default_factory=list, alias="except")
    examples: list[PracticeExample]


class PracticeFile(RuleModel):
    categories: list[Practice]


@lru_cache(maxsize=1)
def practice_rules() -> list[tuple[Practice, re.Pattern, re.Pattern | None]]:
    """Each category with its cue regex and the regex of phrases where its cues do not count."""
    f = load_model("practices.yaml", PracticeFile)
    return [(p, re.compile(alternation(p.cues)),
             re.compile(alternation(p.except_)) if p.except_ else None) for p in f.categories]


class Cues:
    """Every practice cue of a document, found in one pass per category, to be asked per span."""

    def __init__(self, view: str):
        self.found = []
        for p, cue_re, not_re in practice_rules():
            blocked = [(m.start(), m.end()) for m in not_re.finditer(view)] if not_re else []
            hits = [(m.start(), m.end(), m.group()) for m in cue_re.finditer(view)
                    if not any(a <= m.start() and m.end() <= b for a, b in blocked)]
            self.found.append((p.name, [h[0] for h in hits], hits))

    def of(self, start: int, end: int) -> tuple[list[str], list[Cue]]:
        """Practice categories of a span, each with the first cue that fired in it."""
        cats, cues = [], []
        for name, starts, hits in self.found:
            k = bisect_left(starts, start)
            if k < len(hits) and hits[k][1] <= end:
                a, b, cue = hits[k]
                cats.append(name)
                cues.append(Cue(category=name, cue=cue, start=a, end=b))
        return cats, cues


def categorize(view: str, start: int, end: int) -> tuple[list[str], list[Cue]]:
    """Practice categories of one span of a text (for callers outside the item builder)."""
    return Cues(view[:end]).of(start, end)
