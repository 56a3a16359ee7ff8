"""jieba's dictionary as a table: the frequencies, tags and POS tagging jieba itself gives."""
from __future__ import annotations

import os
import subprocess
import sys

import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.bench import texts
from pipeline.context import lexicon as lx
from pipeline.context import segment
from pipeline.context.view import normalize
from pipeline.rules import rule_path

from .conftest import CORPORA, shared_path

WORDS = ["整改", "整改措施", "巡视组", "整改落实", "余十", "桩", "沿海", "前海", "驻村", "整改情况汇报",
         "某某某", "巡", "ABC", "2026"]


@pytest.fixture(scope="module")
def reference():
    """jieba's own tables, loaded the slow way with the domain dictionary."""
    tok = jieba.Tokenizer()
    tok.initialize()
    main = dict(tok.FREQ)
    tok.load_userdict(str(rule_path(lx.USER_DICT)))
    nouns = jieba.posseg.POSTokenizer(tok)  # the counted-noun reader's tags, made first in a run,
    nouns.makesure_userdict_loaded()        # take the domain dictionary's tags from `tok`
    tagger = jieba.posseg.POSTokenizer(tok)  # so the items' tagger has the dictionary file's only
    return tok, main, nouns, tagger


@pytest.mark.parametrize("word", WORDS)
def test_frequencies_and_tags_are_jiebas(reference, word):
    tok, main, nouns, tagger = reference
    lex = lx.lexicon()
    assert lex.freq(word) == tok.FREQ.get(word)
    assert lex.main_freq(word) == (main.get(word) or None)
    assert lex.tag(word) == nouns.word_tag_tab.get(word)
    assert lex.total == tok.total


def jiebas(reference, text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in reference[3].cut(text)]


@pytest.mark.parametrize("text", [
    "整改落实", "巡视组", "驻村", "专职干部仅有15名", "某某某县开展巡察", "年底前全部清零", "推进ABC工程",
    "蔺晓龑同志", "赴甘南藏族村寨", "专班化推进", "龑龑龑", "", " ", "\r\n", "a b\t\r\n c", "ABC123",
    "3.5%", "2026-02-09", "AR-E3000", "x.y_z#&+", "94.1%以上", "Ｆｕｌｌ宽", "\u9fd6\u9fff",
    "𠀀𠀁", "（某某省委）\n一", "——", "整改ABC工程3.5亿元", "C++程序", "普惠小微", "进中", "么嗽",
    "乏茳", "亏茳亏茳", "一一一", "丁丁丁丁丁", "七七七七", "的的", "鄂尔多斯旗", "1.2.3", "..", "_", "龑a龑"])
def test_pos_tags_are_jiebas_tagger(reference, text):
    assert segment.pos(text) == jiebas(reference, text)


@pytest.fixture(scope="module")
def dictionary_words(reference):
    """Every 29th word of jieba's dictionary with the domain one (prefixes left out)."""
    return sorted(w for w, f in reference[0].FREQ.items() if f)[::29]


def pieces(words: list[str]):
    """Text made of pieces of every kind jieba's tagger tells apart: dictionary words, Han
    characters known and unknown to its HMM, letters, digits, `.`, white space, punctuation."""
    han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
    other = st.sampled_from(list("aZ09.+#&_ \t\r\n%-、，。（）“”《》·\u3000") + ["\r\n", "𠀀"])
    return st.lists(st.one_of(st.sampled_from(words), han, other), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_text_is_tagged_as_jiebas_tagger_does(reference, dictionary_words, data):
    text = data.draw(pieces(dictionary_words))
    assert lx.pos(text) == jiebas(reference, text)


def test_words_of_the_dictionary_are_tagged_as_jiebas_tagger_does(reference, dictionary_words):
    """Each word alone and run together with the next."""
    for a, b in zip(dictionary_words, dictionary_words[1:]):
        assert lx.pos(a) == jiebas(reference, a) and lx.pos(a + b) == jiebas(reference, a + b)


@pytest.mark.parametrize("folder", ["shared", "bundled"])
def test_every_token_of_the_corpora_is_tagged_as_jiebas_tagger_does(reference, folder):
    """Each distinct word the segmenter gives the normalised reports (what the items stage
    tags), in ../shared/corpora and the bundled corpora."""
    tokens = {w for text in texts([shared_path("corpora") if folder == "shared" else CORPORA])
              for w in segment.words(normalize(text).view)}
    assert len(tokens) > 1000
    assert [t for t in sorted(tokens) if lx.pos(t) != jiebas(reference, t)] == []


@pytest.mark.parametrize("ours, jiebas_name", [
    ("HAN_INTERNAL", "re_han_internal"), ("SKIP_INTERNAL", "re_skip_internal"),
    ("HAN_DETAIL", "re_han_detail"), ("SKIP_DETAIL", "re_skip_detail"), ("NUM", "re_num"),
    ("ENG", "re_eng")])
def test_the_regexes_are_jiebas(ours, jiebas_name):
    mine, its = getattr(lx, ours), getattr(jieba.posseg, jiebas_name)
    assert (mine.pattern, mine.flags) == (its.pattern, its.flags)


def test_tagging_imports_neither_jieba_nor_its_tagger():
    """The table and the HMM's files are all the tagger reads: importing jieba.posseg would
    load jieba and a tag table of its whole dictionary (0.4 s, 60 MB) besides."""
    path = lx.lexicon().path
    if path is None:
        pytest.skip("no cache folder: the table is built from jieba itself")
    code = ("import sys; from pipeline.context import lexicon as lx; lx.pos('蔺晓龑同志推进ABC工程'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'jieba'))")
    env = {**os.environ, "XUNSHI_CACHE": str(path.parent)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_without_the_rows_in_memory_the_tags_are_the_same(reference, monkeypatch):
    """The tagger reads the table row by row where the rows are not loaded."""
    path = lx.lexicon().path
    if path is None:
        pytest.skip("no cache folder: the table is in memory")
    monkeypatch.setattr(lx, "lexicon", lambda: lx.Lexicon(path))
    assert lx.lexicon()._rows is None
    for text in ["整改措施落实", "蔺晓龑同志", "推进ABC工程3.5亿元", "普惠小微"]:
        assert lx.pos(text) == jiebas(reference, text)


def test_rows_in_memory_keep_each_distinct_value_once(tmp_path):
    """A look-up in a forked worker must not touch a page of the parent's per row: equal rows
    share one value object, and every row reads as from the table on disk."""
    import sqlite3

    from pipeline.context.lexicon import Lexicon

    path = tmp_path / "lexicon.sqlite"
    rows = {"整改": (120, 100, "v", None), "巡视": (300, 280, "vn", "v"), "巡察": (120, 100, "v", None),
            "督查": (120, 100, "v", None), "巡": (0, None, None, None)}
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE w (k TEXT PRIMARY KEY, f INTEGER, m INTEGER, t TEXT, u TEXT)")
    conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)")
    conn.executemany("INSERT INTO w VALUES (?, ?, ?, ?, ?)", [(w, *r) for w, r in rows.items()])
    conn.execute("INSERT INTO meta VALUES ('total', '1000')")
    conn.commit()
    conn.close()
    lex = Lexicon(path)
    on_disk = {w: lex.row(w) for w in rows}
    lex.load_all()
    get = lex.reader()
    assert {w: get(w) for w in rows} == on_disk == rows
    assert get("整改") is get("巡察") is get("督查") and get("整改") is not get("巡视")
    assert get("不在") is None and lex.freq("巡") == 0 and lex.tag("巡视") == "v"
