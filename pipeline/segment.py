"""Word segmentation: jieba with the domain dictionary, inside a spaCy `Doc`.

The segmenter reads the simplified view (jieba is about 100× slower on traditional script),
and the `Doc` has the view's text, so token character offsets are offsets in the original too.
Rule matchers and the trained components all work on this one object.
"""
from __future__ import annotations

from functools import lru_cache

from .rules import rule_path

USER_DICT = "dict.txt"


@lru_cache(maxsize=1)
def tokenizer():
    """A private jieba tokenizer with the domain dictionary, loaded once per process."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    tok.load_userdict(str(rule_path(USER_DICT)))
    return tok


@lru_cache(maxsize=1)
def blank_nlp():
    """A blank Chinese pipeline whose tokenizer is ours (`make_doc` is replaced)."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.tokenizer = make_doc
    return nlp


def words(text: str) -> list[str]:
    """jieba's words for a text, in order; their concatenation is the text."""
    return list(tokenizer().cut(text, HMM=True))


def make_doc(text: str):
    """A spaCy `Doc` over `text` whose tokens are jieba's words (whitespace kept as tokens)."""
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    ws, spaces = get_words_and_spaces([w for w in words(text) if w], text)
    return Doc(blank_nlp().vocab, words=ws, spaces=spaces)


@lru_cache(maxsize=1)
def _pos_tokenizer():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer())


def pos(text: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) pairs; slower than `words`, so only stages that need POS call it."""
    return [(p.word, p.flag) for p in _pos_tokenizer().cut(text)]
