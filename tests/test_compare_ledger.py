"""The rectification ledger in `compare`, the store and the report (pipeline/compare/ledger.py),
on the composed notices of tests/ledger extracted by a real run."""
from __future__ import annotations

import json
import re

import pytest

from pipeline.compare.ledger import checks, evidence, flat_records, timelines
from pipeline.compare.outputs import load
from pipeline.compare.report import build_report
from pipeline.compare.store import query
from pipeline.compare.tables import tables
from pipeline.run import batch

from .conftest import ROOT

NOTICES = ROOT / "tests" / "ledger" / "notices"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ledger") / "out"
    batch.run([NOTICES], folder, workers=1, quiet=True)
    return folder


def test_the_tables_by_region_and_level(out):
    t = tables(load(out))
    hunan = t["rectifications"].set_index("region").loc["湖南省"]
    assert (hunan.records, hunan.bodies, hunan.problems, hunan.done) == (3, 2, 51, 30)
    assert hunan.record_refs == ["04_yunfeng-medinsurance-feedback.txt#1", "11_jiangpan-market-interim.txt#1",
                                 "12_jiangpan-market-final.txt#1"]
    anhui = t["rectifications"].set_index("region").loc["安徽省"]
    assert (anhui.overdue, anhui.overdue_evaluable, anhui.overdue_share) == (1, 1, 1.0)
    assert set(t["rectifications_by_level"].level.dropna()) == {"county", "municipal", "township", "unit"}


def test_records_flattened_with_evidence_and_checks(out):
    o = load(out)
    recs = flat_records(o).set_index("record_id")
    overdue = recs.loc["06_wuxiqu-housing-overdue.txt#1"]
    assert (overdue.problems, overdue.ongoing, overdue.rules, list(overdue.checks)) == (35, 5, 15, ["overdue"])
    assert str(overdue.deadline) == "2023-07-22" and overdue.chain == "安徽省|梧溪区住房和城乡建设局"
    assert list(recs.loc["08_hechuan-transport-contradiction.txt#1"].conflicts) == ["problems"]
    ev = evidence(o)
    rules = ev[(ev.record_id == "06_wuxiqu-housing-overdue.txt#1") & (ev.field == "rules")]
    assert sorted(zip(rules.text, rules.role)) == [("6项", "summand"), ("9项", "summand")]
    ch = checks(o).set_index("record_id").loc["06_wuxiqu-housing-overdue.txt#1"]
    assert ch.check == "overdue" and json.loads(ch.details)["days_over"] == 101


def test_the_store_holds_the_ledger(out):
    res = query(out, "SELECT r.record_id, count(*) FROM rectifications r JOIN rectification_evidence e "
                     "USING (record_id) WHERE r.body_key = '江畔区市场监督管理局' GROUP BY 1 ORDER BY 1")
    assert [row[0] for row in res.rows] == ["11_jiangpan-market-interim.txt#1", "12_jiangpan-market-final.txt#1",
                                             "13_jiangpan-market-jiangxi-summismatch.txt#1"]
    by = query(out, "SELECT region, bodies FROM rectifications_by_region WHERE region = '湖南省'").rows
    assert by == [("湖南省", 2)]


def test_a_body_timeline_in_date_order(out):
    chain = next(c for c in timelines(load(out)) if c["key"] == "湖南省|江畔区市场监督管理局")
    assert [r["doc_id"] for r in chain["records"]] == ["11_jiangpan-market-interim.txt",
                                                       "12_jiangpan-market-final.txt"]


def test_the_report_shows_each_body_with_its_figures_linked(out, tmp_path):
    index = build_report(out, tmp_path / "report.html")
    page = (tmp_path / "report_files" / "ledger.html").read_text(encoding="utf-8")
    assert "江畔区市场监督管理局党组" in page and "(no body named)" in page
    assert "2023-07-22 (passed: 5 open)" in page
    assert re.search(r'<a href="d\d+\.html#d\d+-m\d{4}"[^>]*>35</a>', page), "a figure links to its mention"
    assert 'href="report_files/ledger.html#' in index.read_text(encoding="utf-8")
