"""End to end: every record points at the characters it came from, in every document we have."""
from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline.batch import iter_documents
from pipeline.read import find_files
from tests.conftest import CORPORA, shared_path


def _check_offsets(doc, text):
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text, (doc.path, m)
        assert m.mention_id and m.doc_id == doc.doc_id
    for it in doc.items:
        assert text[it.start:it.end] == it.text, (doc.path, it)
    for r in doc.regions:
        assert 0 <= r.start < r.end <= len(text)


def _check_folder(folder: Path):
    texts = {shown: p for p, shown in find_files([folder])}
    docs = [d for d in iter_documents([folder]) if not isinstance(d, Exception)]
    assert len(docs) == len(texts)
    for doc in docs:
        from pipeline.read import read_file
        _check_offsets(doc, read_file(texts[doc.path]).text)
    return docs


def test_bundled_corpus_offsets():
    docs = _check_folder(CORPORA)
    assert len(docs) >= 6
    assert {d.script for d in docs} >= {"simplified", "traditional"}


@pytest.mark.parametrize("part", ["seed_inspection_2019.txt", "inspection-news", "gov-reports-2026",
                                  "national-gov-reports"])
def test_shared_corpus_offsets(part):
    _check_folder(shared_path("corpora", part))


def test_python_api():
    doc = pipeline.extract("省委巡视组反馈后2个月内报送整改情况。", reference_date="2019-07-15",
                           region="河北省")
    assert doc.reference_date.isoformat() == "2019-07-15"
    assert doc.regions[0].region == "河北省"
    assert all(m.region == "河北省" for m in doc.mentions)
