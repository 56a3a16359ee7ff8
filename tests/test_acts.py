"""The lexicon words of a document (`acts.Words`): read from its words' flags, they must be what
one regex pass over the view finds and what asking every hit's neighbours says of them.

The reference here is the item stage's former way, kept as the definition: a scan of the whole
view by the lexicon regex, each match mapped to word indexes, every run of hits asked whether
it is a noun, every hit's neighbours read. Sentences are composed for the tests.
"""
from __future__ import annotations

import copy
from bisect import bisect_left, bisect_right
from itertools import compress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pipeline.bench import texts
from pipeline.context import segment
from pipeline.context.spans import SpanCover
from pipeline.context.view import normalize
from pipeline.items import acts as A
from pipeline.items.build import Items
from pipeline.items.clauses import Clause, Verb
from pipeline.items.lexicon import ItemFile
from pipeline.records import Body, Quantity, Time
from pipeline.rules import load_yaml

MENTION_TYPES = {"body": Body, "time": Time, "quantity": Quantity}

from .conftest import shared_path

ACTS = Items().acts
RULES = ACTS.rules


def reference_found(view: str, starts: list[int], texts: list[str]):
    """(i, n, start, word, class, rule id) of each lexicon word kept, and the offsets of hits
    starting inside a word, by one regex pass over the view."""
    index = dict(zip(starts, range(len(starts))))
    index[len(view)] = len(starts)
    found, inner = [], {}
    for m in RULES.lexicon_re.finditer(view):
        a, b = m.span()
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None:
            if j - i <= 3:
                found.append((i, j - i, a, m.group(), *RULES.lexicon[m.group()]))
            continue
        ends_word = j is not None
        i, j = bisect_right(starts, a) - 1, bisect_left(starts, b)
        if i < 0 or j - i > 3:
            continue
        w0 = starts[i]
        rest = view[b:starts[i] + len(texts[i])]
        if (a == w0 and ends_word) or (j - i == 1 and A.kept(RULES, view[w0:a], m.group(), rest,
                                                              ends_word)):
            found.append((i, max(j - i, 1), a, m.group(), *RULES.lexicon[m.group()]))
            if a > w0:
                inner.setdefault(i, a - w0)
    return found, inner


def reference_nouns(words: A.Words, found) -> set[int]:
    """Every run of adjacent hits asked (`noun_use`, `_after_opener`), then the 、 lists."""
    runs, out = [], set()
    for h in found:
        if runs and h[0] in (runs[-1][-1][0], runs[-1][-1][0] + runs[-1][-1][1]):
            runs[-1].append(h)
        else:
            runs.append([h])
    for run in runs:
        i, n, cls = run[-1][0], run[-1][1], run[-1][4]
        why = ACTS.noun_use(words, i, n, cls)
        if why == "always":
            out.update(r[0] for r in run)
        elif why == "head":
            out.add(i)
        elif why == "class":
            out.update(r[0] for r in run if r[4] in RULES.noun_use_classes)
        elif len(run) == 1 and ACTS._after_opener(words, i, cls):
            out.add(i)
    for h, nxt in reversed(list(zip(found, found[1:]))):
        if nxt[0] in out and nxt[0] == h[0] + h[1] + 1 and words.at(h[0] + h[1]) == "、":
            out.add(h[0])
    return out


def reference_hits(words: A.Words, found, brackets, mentions) -> list[A.Hit]:
    """Each hit with what every neighbour says of it."""
    inside = bytearray(len(words.view) + 1)
    for a, b in brackets:
        inside[a + 1:b] = b"\x01" * max(0, b - a - 1)
    nouns = reference_nouns(words, [f for f in found if not inside[f[2]]])
    cover = SpanCover((m.start, m.end) for m in mentions if m.kind in ("time", "quantity"))
    out = []
    for i, n, start, word, cls, rule_id in found:
        end, nxt = start + len(word), words.at(i + n)
        prev = words.view[words.starts[i]:start] if start > words.starts[i] else words.at(i - 1)
        act_cls = "strong" if cls == "nominal" and nxt in RULES.aspect else cls
        out.append(A.Hit(i, n, start, word, cls, rule_id,
                         inside[start] == 1 or cover.covers(start, end), i in nouns,
                         prev in RULES.negators, nxt in RULES.timing_words, act_cls,
                         Verb(start, end, word, act_cls, rule_id, False)))
    return out


def check(view: str, toks: segment.Tokens, brackets=(), mentions=()):
    words = A.Words(toks, view, ACTS, brackets, mentions)
    found, inner = reference_found(view, toks.starts, toks.texts)
    assert words.inner == inner
    assert words.hits == reference_hits(words, found, brackets, mentions)
    assert words.openers == list(compress(range(len(toks.texts)),
                                          map(RULES.opener_words.__contains__, toks.texts)))


def cut(text: str, bounds) -> segment.Tokens:
    """The tokens of `text` cut at `bounds` (offsets), as `segment.tokens` makes them."""
    edges = [0, *sorted(b for b in set(bounds) if 0 < b < len(text)), len(text)]
    return segment.words_tokens([text[a:b] for a, b in zip(edges, edges[1:])], text)


def mention(kind: str, text: str, span: str):
    start = text.index(span)
    return MENTION_TYPES[kind].model_construct(start=start, end=start + len(span))


# Composed sentences, each with how the words are cut: by the segmenter, every character
# alone (lexicon words run across every boundary), or in pairs off by one.
SENTENCES = [
    "市里开展了专项督查，整改情况报送后召开会议。",
    "对照问题清单逐项整改，推动落实不到位的问题、健全完善制度。",
    "合格率达百分之九十，价格上涨，研究部署下一步工作。",
    "把提高到位作为任务 未落实 的 事项 要 集中学习 ",
    "组织、宣传、财政等系统（含下属单位）进行了评估检查",
    "",
    "   ",
]


@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize("how", ["segmenter", "characters", "pairs"])
def test_hits_are_the_regex_scans(text, how):
    view = normalize(text).view
    if how == "segmenter":
        toks = segment.tokens(view)
    else:
        toks = cut(view, range(1, len(view)) if how == "characters" else range(1, len(view), 2))
    check(view, toks)


@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize("how", ["segmenter", "characters", "pairs"])
def test_a_clause_reads_its_words_openers_and_whole_hits(text, how):
    """`Words.clause` of every span: the words starting inside it, the openers among them and
    the clause words among the hits that start and end inside them."""
    view = normalize(text).view
    if how == "segmenter":
        toks = segment.tokens(view)
    else:
        toks = cut(view, range(1, len(view)) if how == "characters" else range(1, len(view), 2))
    words = A.Words(toks, view, ACTS)
    for s in range(len(view) + 1):
        for e in range(s, len(view) + 1):
            lo, hi = bisect_left(toks.starts, s), bisect_left(toks.starts, e)
            got = words.clause(s, e)
            assert got[:2] == (lo, hi)
            assert list(got[2]) == [i for i in words.openers if lo <= i < hi]
            assert list(got[3]) == [h for h in words.hits
                                    if not h.out and lo <= h.i and h.i + h.n <= hi]


def test_brackets_counts_and_dates_put_hits_out():
    text = "会议召开后（开展督查）完成整改3项，2024年启动调查"
    toks = segment.tokens(text)
    b = text.index("（")
    ms = [mention("quantity", text, "整改3项"), mention("time", text, "2024年启动"),
          mention("body", text, "会议")]
    check(text, toks, [(b, text.index("）"))], ms)
    words = A.Words(toks, text, ACTS, [(b, text.index("）"))], ms)
    assert {h.word for h in words.hits if h.out} == {"开展", "督查", "整改", "启动"}


def test_a_word_after_a_hit_is_read_up_to_the_hit_inside_it():
    """检查 before a word whose head is a noun suffix (率 of （率增长): a noun, though the hit
    inside that word is bracketed and so no hit of the run."""
    text = "检查（率增长）"
    toks = cut(text, [2, 6])
    check(text, toks, [(2, 6)])
    assert A.Words(toks, text, ACTS, [(2, 6)]).noun_words == {0}


PIECES = sorted(RULES.lexicon)[::9] + sorted(RULES.noun_heads)[:8] + [
    "的", "、", "了", "后", "未", "不", "到", "率", "对", "把", "将", "为", "等", " ", "  ", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14), st.data())
def test_hits_are_the_regex_scans_for_any_cut(pieces, data):
    """Any text of lexicon words, noun heads and the words next to them, cut anywhere: words
    that run across cuts, cuts inside words, spaces a token drops."""
    text = "".join(pieces)
    bounds = data.draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=len(text)))
    check(text, cut(text, bounds))


def test_word_flags_forget_past_their_limit(monkeypatch):
    flags = A.WordFlags(RULES)
    monkeypatch.setattr(A.WordFlags, "LIMIT", 3)  # "" and two texts
    word = next(iter(RULES.lexicon))
    assert [f & A.WHOLE for f in flags.of(["甲", "乙"])] == [0, 0]
    assert [f & A.WHOLE for f in flags.of([word, ""])] == [A.WHOLE, 0]
    assert set(flags) == {"", word} and flags.held[word][0][1] == word


def reference_flags(text: str) -> int:
    """The flags of a word's text as `WordFlags` documents them, each asked of the rules."""
    r, first, last = RULES, text[:1], text[-1:]
    says = [(text in r.opener_words, A.OPENER),
            (text in r.phrase_openers or text == r.attributive_marker, A.NOUN_BEFORE),
            (text in r.negators or text in r.timing_words or text in r.aspect, A.SAYS),
            (text in r.resultative or text in r.modifier_markers or text == "、"
             or text in r.noun_heads_always or text in r.noun_heads
             or first in r.problem_initials or text.endswith(r.noun_suffixes)
             or text.startswith(r.noun_head_prefixes), A.NOUN_NEXT),
            (first in r.pair_seconds, A.OPEN_START), (last in r.pair_firsts, A.OPEN_END),
            (text in r.lexicon, A.WHOLE),
            (text not in r.lexicon and len(text) > 1 and bool(A.held_words(r, text, True)),
             A.HOLDS)]
    return sum(bit for yes, bit in says if yes)


FLAGGED = sorted({*RULES.lexicon, *RULES.noun_heads, *RULES.noun_head_prefixes, *RULES.aspect,
                  *RULES.negators, *RULES.opener_words, *RULES.noun_suffixes, "", "、", "的",
                  "率达", "集中学习", "研究部署", "价格上涨", "提高到", "整改情况", "完成率",
                  "工作组长", "设立", "下辖", "占比", "甲乙", "甲乙丙", "合格率达"})


def test_word_flags_are_what_the_rules_say():
    """Flags found by first and last characters and asked further only where those allow are
    those of every test asked of every text; whether asked one by one or a document at once."""
    flags = A.WordFlags(RULES)
    assert [flags[t] for t in FLAGGED] == [reference_flags(t) for t in FLAGGED]
    assert A.WordFlags(RULES).of(FLAGGED) == bytes(map(reference_flags, FLAGGED))


@pytest.mark.parametrize("mask, ones", [
    (b"", []), (b"\x00\x01\x00\x01", [1, 3]), (b"\x01" * 5, [0, 1, 2, 3, 4]),
    (b"\x00\x00\x00", []), (b"\x01\x00\x00\x01\x01", [0, 3, 4])])
def test_ones(mask, ones):
    assert A.ones(mask) == ones
    assert A.ones(mask, 10) == [k + 10 for k in ones]


@pytest.mark.parametrize("by, moved", [(1, b"\x00\x01\x00\x01"), (-1, b"\x00\x01\x00\x00"),
                                       (0, b"\x01\x00\x01\x00"), (5, b"\x00\x00\x00\x00")])
def test_shifted(by, moved):
    assert A.shifted(b"\x01\x00\x01\x00", by) == moved


def test_both_and_either():
    a, b = b"\x01\x01\x00\x00", b"\x01\x00\x01\x00"
    assert A.both(a, b) == b"\x01\x00\x00\x00"
    assert A.either(a, b) == b"\x01\x01\x01\x00"


def test_hits_are_the_regex_scans_on_shared_corpora():
    """Every document of ../shared/corpora, cut by the segmenter, as the run reads it."""
    for text in texts([shared_path("corpora")]):
        view = normalize(text).view
        check(view, segment.tokens(view))


@pytest.mark.parametrize("word", ["整 改", "整改\u3000", ""])
def test_an_action_word_with_whitespace_is_refused(word):
    """The scan reads the words on either side of a space a token drops as apart: no lexicon
    word may hold one."""
    data = copy.deepcopy(load_yaml("items.yaml"))
    data["actions"][0]["words"].append(word)
    with pytest.raises(ValidationError, match="empty or holds whitespace"):
        ItemFile.model_validate(data)


@pytest.mark.parametrize("text, count", [
    ("发现问题45个", "45个"), ("45个问题已整改", "45个"), ("由12人增加", "12人"),
    ("对12个单位开展", "12个"), ("推动12个项目", "12个"), ("整改完成率达到95%", "95%")])
def test_a_clause_of_one_verb_takes_it_as_its_act(text, count):
    """`analyse` does not ask `governing` of a clause of one verb: it would give that verb or
    None, and either way the verb is the act (an extent verb, which governs no count, measures)."""
    m = mention("quantity", text, count)
    c = Clause(0, len(text), True)
    ACTS.analyse(text, A.Words(None, text, ACTS, (), [m]), c, [m])
    assert len(c.verbs) == 1 and c.act == c.verbs[0]
    assert ACTS.governing(text, c, [m]) in (None, c.act)
    assert c.extent == (c.act.cls == "extent")
