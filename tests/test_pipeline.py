"""End to end: every record points at the characters it came from, in every document we have."""
from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline.reading.files import find_files
from pipeline.run.batch import iter_documents
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
        from pipeline.reading.files import read_file
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


@pytest.mark.parametrize("text, meta, expected", [
    ("今年完成整改任务12项。", {"year": "1984"}, ("1984-01-01", "manifest_year")),
    ("今年完成整改任务12项。", {"year": "1984", "publish_date": "1984-05-15"}, ("1984-05-15", "manifest")),
    ("2019年7月15日\n今年完成整改任务12项。", {"year": "1984"}, ("2019-07-15", "dateline")),
    ("今年完成整改任务12项。", {"year": "约1984"}, (None, None)),
    ("今年完成整改任务12项。", {}, (None, None)),
])
def test_reference_date_falls_back_to_the_manifest_year(text, meta, expected):
    from pipeline.reading.files import Source
    from pipeline.run.process import process

    doc = process(Source(path="r.txt", text=text, sha256="", encoding="utf-8", meta=meta))
    got = (doc.reference_date.isoformat() if doc.reference_date else None, doc.reference_date_source)
    assert got == expected
    this_year = next(m for m in doc.mentions if m.text == "今年")
    assert (this_year.end_date.year if this_year.end_date else None) == (
        int(expected[0][:4]) if expected[0] else None)


def test_extract_folder_gives_the_ids_of_a_batch_run(tmp_path):
    import pipeline

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("省委巡视组反馈后2个月内报送整改情况。", encoding="utf-8")
    assert [d.doc_id for d in pipeline.extract_folder(tmp_path)] == ["sub/a.txt"]
