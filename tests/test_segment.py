"""Segmentation: the fast backend agrees with jieba, and the Doc keeps every character."""
from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.util import get_words_and_spaces

from pipeline.context import segment
from pipeline.context.view import normalize

from .conftest import shared_path

SENTENCES = [
    "省委第三巡视组向市委反馈巡视情况，提出整改意见。",
    "各级纪检监察机关立行立改，推动整改落实。",
    "今年城镇新增就业38万人，农村居民收入比上年增长6.3%。",
    "对被巡察党组织开展“回头看”，实现巡察全覆盖。",
    "2025年完成投资1.2万亿元 同比增长 6%\n\n  下一段",
]


def _spans(words):
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


@pytest.fixture
def use_backend(monkeypatch):
    def choose(name):
        monkeypatch.setenv("XUNSHI_SEGMENTER", name)
        segment.backend.cache_clear()
    yield choose
    segment.backend.cache_clear()


@pytest.mark.parametrize("text", SENTENCES)
def test_backends_agree_on_domain_sentences(text, use_backend):
    use_backend("jieba")
    ref = segment.words(text)
    use_backend("rjieba")
    assert segment.words(text) == ref


@pytest.mark.parametrize("backend", segment.BACKENDS)
@pytest.mark.parametrize("text", [*SENTENCES, " \u3000a\r\nb\t省委 \n", "１２％，（ＡＢ）", "", "\n\n"])
def test_words_are_the_text_in_consecutive_pieces(text, backend, use_backend):
    """What `words_tokens` relies on when it checks their lengths instead of joining them."""
    use_backend(backend)
    ws = [w for w in segment.words(text) if w]
    assert "".join(ws) == text


def test_words_that_drop_characters_are_placed_by_words_and_spaces():
    ws, text = ["省委", "巡视"], "省委 巡视"
    assert segment.words_tokens(ws, text) == segment.Tokens([0, 3], ["省委", "巡视"])


def test_domain_dictionary_reaches_the_fast_backend(use_backend):
    use_backend("rjieba")
    assert "巡视工作领导小组" in segment.words("省委巡视工作领导小组召开会议")


def test_unknown_backend_is_refused(use_backend):
    with pytest.raises(ValueError, match="XUNSHI_SEGMENTER"):
        use_backend("thulac")
        segment.backend()


@pytest.mark.parametrize("text", [
    "a b", " a", "a  b", "a\nb", "a \n b ", "  ", "省委 巡视\t组  \n\n 反馈 ", " \u3000x y\r\n", "",
])
def test_words_and_spaces_is_spacys(text):
    words = [w for w in segment.words(text) if w]
    assert segment.words_and_spaces(words, text) == get_words_and_spaces(words, text)


@given(st.lists(st.sampled_from(["省委", "巡视", " ", "  ", "\n", "\t", "a", "12", " \n "]), max_size=30))
def test_words_and_spaces_is_spacys_for_any_whitespace(pieces):
    text = "".join(pieces)
    words = re.findall(r"\s|\S+", text)
    assert segment.words_and_spaces(words, text) == get_words_and_spaces(words, text)


def test_blank_is_what_isspace_is_true_of():
    chars = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(segment.BLANK.findall(chars)) == "".join(c for c in chars if c.isspace())


@given(st.text(alphabet=st.sampled_from("省委巡视a1 \n\t\u3000\r"), max_size=40), st.data())
def test_tokens_are_words_and_spaces_with_their_offsets(text, data):
    """Any cut of the text into words, blank, mixed (`a `, ` 省`) or not."""
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=len(text))))
    bounds = [0, *[c for c in cuts if c < len(text)], len(text)]
    words = [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    ws, spaces = segment.words_and_spaces(words, text)
    toks = segment.words_tokens(words, text)
    assert toks.texts == ws
    assert toks.starts == [sum(len(w) + s for w, s in zip(ws[:i], spaces[:i])) for i in range(len(ws))]


def blank_word_runs(words: list[str]) -> list[tuple[int, int]]:
    """(first, end) of each run of consecutive words that are all whitespace."""
    out = []
    for i, w in enumerate(words):
        if not w.isspace():
            continue
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


@pytest.mark.parametrize("words, runs", [
    (["省委", " ", "巡视"], [(1, 2)]),
    (["省委", " ", "\n", "巡视", "\u3000"], [(1, 3), (4, 5)]),
    (["a ", " ", "b"], [(1, 2)]),  # `a ` holds a letter: no blank word
    (["省委", " \n", " 巡", "视"], [(1, 2)]),
    (["\n", "\n"], [(0, 2)]),
    (["省委"], []),
])
def test_blank_runs(words, runs):
    starts = [sum(map(len, words[:i])) for i in range(len(words))]
    assert segment.blank_runs("".join(words), starts) == runs == blank_word_runs(words)


@given(st.text(alphabet=st.sampled_from("省委a1 \n\t\u3000\r"), max_size=40), st.data())
def test_blank_runs_are_the_runs_of_blank_words(text, data):
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=len(text))))
    bounds = [0, *[c for c in cuts if c < len(text)], len(text)]
    words = [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    assert segment.blank_runs(text, bounds[:len(words)]) == blank_word_runs(words)


@given(st.text(alphabet=st.sampled_from("省a \n\t\u3000\r\x85"), max_size=40))
def test_mergeable_runs_are_long_runs_and_lone_spaces(text):
    """Whitespace runs of two characters or more, or a lone space: none other can merge."""
    runs = [m.span() for m in segment.BLANK.finditer(text)]
    assert [m.span() for m in segment.MERGEABLE.finditer(text)] == \
        [(a, b) for a, b in runs if b - a > 1 or text[a] == " "]


def test_line_breaks_are_where_splitlines_cuts():
    chars = "".join(map(chr, range(sys.maxunicode + 1)))
    assert sorted(segment.LINE_BREAKS) == [c for c in chars if len(f"a{c}b".splitlines()) == 2]


@given(st.text(alphabet=st.sampled_from("省a \n\t\u3000\r\x85\u2028\x0c"), max_size=40))
def test_lines_are_the_stripped_lines(text):
    """`LINE` matches each line of `splitlines` that is not blank, stripped, where it stands."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            start = pos + len(line) - len(line.lstrip())
            spans.append((start, start + len(line.strip())))
        pos += len(line)
    assert [m.span() for m in segment.LINE.finditer(text)] == spans


@pytest.mark.parametrize("text", SENTENCES)
def test_doc_text_is_the_view(text):
    assert segment.make_doc(text).text == text


@pytest.mark.parametrize("text", [*SENTENCES, "省委 巡视\t组  \n\n 反馈 ", " 巡察 整改\n", "", "  "])
def test_tokens_are_the_docs_tokens(text):
    """The rule stages read `tokens`; they must see exactly the words and offsets of the Doc."""
    doc, toks = segment.make_doc(text), segment.tokens(text)
    assert toks.texts == [t.text for t in doc]
    assert toks.starts == [t.idx for t in doc]
    assert all(text[a:a + len(w)] == w for a, w in zip(toks.starts, toks.texts))


def test_fast_backend_agrees_on_shared_corpora(use_backend):
    """The measured bar for using rjieba at all: ≥ 99.5% of jieba's tokens, same spans."""
    root = shared_path("corpora")
    files = sorted(root.glob("inspection-news/*.txt"))[:5] + sorted(root.glob("gov-reports-2026/*.txt"))[:3]
    views = [normalize(p.read_text(encoding="utf-8")).view for p in files]
    use_backend("jieba")
    ref = [_spans(segment.words(v)) for v in views]
    use_backend("rjieba")
    fast = [_spans(segment.words(v)) for v in views]
    same = sum(len(a & b) for a, b in zip(ref, fast))
    assert same / sum(map(len, ref)) >= 0.995
