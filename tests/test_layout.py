"""Layout artefacts of PDF and Word text: compatibility characters and page-width line breaks."""
from __future__ import annotations

import io

import docx
import pytest

from pipeline.reading.layout import join_lines, unify, width

# A report of our own, one paragraph a line, as a .txt would hold it.
REPORT = [
    "关于青禾市林业局第二轮巡察整改进展情况的通报",
    "一、总体情况",
    "2021年10月至12月，市委第四巡察组对青禾市林业局开展了常规巡察，并于2022年1月18日反馈了意见。",
    "局党组召开专题会议9次，针对反馈的4个方面21个问题制定整改措施67条，截至目前已完成整改19个，"
    "追缴违规发放的补贴资金3.6万元。",
    "二、下一步安排",
    "2022年6月底前完成全部整改任务，每月报送一次整改进展，局机关纪委负责跟踪督办。",
]
KANGXI = str.maketrans({"月": "⽉", "日": "⽇", "十": "⼗", "一": "⼀", "二": "⼆", "长": "⻓"})


@pytest.mark.parametrize("text, expected", [
    ("⼆〇⼆⼀年⼗⽉", "二〇二一年十月"),
    ("⻓期坚持", "长期坚持"),
    ("\uf9b4", "\u9818"),  # a CJK compatibility ideograph: its canonical twin
    ("2个月", "2个月"),
])
def test_unify_maps_compatibility_forms_to_ideographs(text, expected):
    assert unify(text) == expected


@pytest.mark.parametrize("block, expected", [
    # full lines inside a sentence are joined; the short last line keeps its break
    ("市委召开常委会会\n议12次研究整改方\n案，会后印发。\n二、措施", "市委召开常委会会议12次研究整改方案，会后印发。\n二、措施"),
    # a full line that ends a sentence keeps its break
    ("全部完成整改任务。\n二、下一步打算安排\n继续巩固成果。", "全部完成整改任务。\n二、下一步打算安排继续巩固成果。"),
    # a heading (short) keeps its break
    ("一、总体情况\n市委召开常委会议研究部署。", "一、总体情况\n市委召开常委会议研究部署。"),
    # words of Latin script are joined by a space
    ("the report was sent by\nthe office", "the report was sent by the office"),
    ("一行", "一行"),
])
def test_join_lines(block, expected):
    assert join_lines(block) == expected


def wrap(paragraph: str, columns: int = 30) -> list[str]:
    """A paragraph broken into lines of `columns` display columns, as a page layout does."""
    lines, line = [], ""
    for ch in paragraph:
        if width(line + ch) > columns:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]


def report_docx() -> bytes:
    """Each paragraph pasted from a PDF: page-width line breaks, Kangxi radicals."""
    d = docx.Document()
    for para in REPORT:
        p = d.add_paragraph()
        lines = wrap(para.translate(KANGXI))
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def report_pdf() -> bytes:
    from .test_formats import make_pdf

    lines = [line for para in REPORT for line in wrap(para.translate(KANGXI))]
    half = len(lines) // 2
    return make_pdf(["\n".join(lines[:half]), "\n".join(lines[half:])])


def _records(doc) -> list[tuple]:
    return [(m.kind, m.start, m.end, m.text, m.model_dump_json(exclude={"doc_id"})) for m in doc.mentions]


def test_one_report_gives_the_same_text_and_records_as_txt_docx_and_pdf(tmp_path):
    from pipeline.reading.files import read_file
    from pipeline.run.process import process

    files = {"r.txt": "\n".join(REPORT).encode("utf-8"), "r.docx": report_docx(), "r.pdf": report_pdf()}
    sources = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        sources[name] = read_file(tmp_path / name)
    assert sources["r.docx"].text == sources["r.txt"].text
    assert sources["r.pdf"].text == sources["r.txt"].text
    docs = {name: process(src, doc_id="r") for name, src in sources.items()}
    assert docs["r.txt"].mentions and docs["r.txt"].items
    assert _records(docs["r.docx"]) == _records(docs["r.txt"])
    assert _records(docs["r.pdf"]) == _records(docs["r.txt"])
