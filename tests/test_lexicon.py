"""jieba's dictionary as a table: the frequencies, tags and POS tagging jieba itself gives."""
from __future__ import annotations

import jieba.posseg
import pytest

from pipeline.context import lexicon as lx
from pipeline.context import segment
from pipeline.rules import rule_path

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


@pytest.mark.parametrize("text", ["整改落实", "巡视组", "驻村", "专职干部仅有15名", "某某某县开展巡察",
                                  "年底前全部清零", "推进ABC工程", "蔺晓龑同志", "赴甘南藏族村寨",
                                  "专班化推进", "龑龑龑"])
def test_pos_tags_are_jiebas_tagger(reference, text):
    tagger = reference[3]
    assert segment.pos(text) == [(p.word, p.flag) for p in tagger.cut(text)]


def test_without_a_cache_folder_the_table_is_in_memory(monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", "off")
    lx.lexicon.cache_clear()
    try:
        lex = lx.lexicon()
        assert lex.path is None and lex.freq("整改") == lx.jieba_rows()[0]["整改"][0]
    finally:
        lx.lexicon.cache_clear()


def test_the_table_is_built_once_and_reopened(tmp_path, monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    lx.lexicon.cache_clear()
    try:
        first = lx.lexicon()
        (path,) = tmp_path.glob("lexicon-*.sqlite")
        lx.lexicon.cache_clear()
        again = lx.lexicon()
        assert again.path == first.path == path and again.freq("巡视") == first.freq("巡视")
    finally:
        lx.lexicon.cache_clear()


def test_a_damaged_table_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    lx.lexicon.cache_clear()
    try:
        path = lx.lexicon().path
        path.write_bytes(b"not a database")
        lx.lexicon.cache_clear()
        again = lx.lexicon()
        assert again.path == path and again.freq("巡视") == 3000
    finally:
        lx.lexicon.cache_clear()


@pytest.mark.parametrize("word", ["整改", "蔺晓龑", "专班化", "驻村", "2026"])
def test_a_words_tags_are_the_taggers_then_kept_for_the_next_process(tmp_path, monkeypatch, word):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    lx.TAGS.forget()
    try:
        first = lx.word_pos(word)
        assert first == tuple(segment.pos(word)) and lx.TAGS.added == {word: first}
        lx.TAGS.save()
        lx.TAGS.forget()
        assert lx.TAGS.known == {word: first} and lx.word_pos(word) == first
        assert not lx.TAGS.added
    finally:
        lx.TAGS.forget()


def test_tags_are_kept_for_so_many_words_only(tmp_path, monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    monkeypatch.setattr(lx, "KEPT_WORDS", 1)
    lx.TAGS.forget()
    try:
        lx.word_pos("整改")
        assert lx.word_pos("驻村") == tuple(segment.pos("驻村")) and list(lx.TAGS.added) == ["整改"]
    finally:
        lx.TAGS.forget()
