"""The metrics table (spec §5a): parts never added to their totals, a completed share its own
measure, rates never summed, planned and done apart, each statement once, figures written as
the text states them; from hand-written outputs, then end to end on a composed report."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from pipeline.compare.files import compare
from pipeline.compare.metrics import load_metrics, metric_of
from pipeline.compare.outputs import load
from pipeline.compare.report import build_report
from pipeline.compare.tables import tables
from pipeline.errors import RuleError
from pipeline.rules import load_yaml

from .aggregate_fixtures import measured, quantity, write_outputs
from .test_measures import WORK_REPORT

REGION = "河北省"


def _doc(name: str, text: str, mentions: list[dict], **kw) -> dict:
    return {"name": name, "text": text, "regions": [(REGION, text[:2], text[-2:])],
            "mentions": mentions, **kw}


def _tables(tmp_path, *docs) -> dict[str, pd.DataFrame]:
    return tables(load(write_outputs(tmp_path, list(docs))))


def _long(t, measure: str, scope: str = "total", status: str = "done") -> list[dict]:
    long = t["metrics_long"]
    return long[(long.measure == measure) & (long.scope == scope)
                & (long.status == status)].to_dict("records")


def _wide(t) -> dict:
    return t["metrics"].set_index("region").loc[REGION].dropna().to_dict()


def test_a_part_is_never_added_to_its_total(tmp_path):
    text = "巡察组发现问题80个，其中作风问题12个，另有纪律问题9个。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("80个", 80, "个", "problems.found", "问题"),
        measured("12个", 12, "个", "problems.found", "作风问题", scope="part"),
        measured("9个", 9, "个", "problems.found", "纪律问题", scope="part")]))
    assert _wide(t) == {"发现问题 (个)": "80"}
    parts = _long(t, "problems.found", "part")
    assert [(p["value"], p["combine"], p["counted"]) for p in parts] == [
        (12, "part", "作风问题"), (9, "part", "纪律问题")]


def test_a_completed_share_is_its_own_measure(tmp_path):
    text = "共发现问题60个，已整改41个。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("60个", 60, "个", "problems.found", "问题"),
        measured("41个", 41, "个", "rectification.done", "问题")]))
    assert _wide(t) == {"发现问题 (个)": "60", "已整改 (个)": "41"}


def test_a_rate_is_the_latest_never_summed(tmp_path):
    older = _doc("旧.txt", "上半年整改完成率为80%，年底整改完成率为95%。", [
        measured("80%", 80, "%", "rectification.rate"), measured("95%", 95, "%", "rectification.rate")],
        reference_date="2023-12-31")
    newer = _doc("新.txt", "目前整改完成率为60%。", [measured("60%", 60, "%", "rectification.rate")],
                 reference_date="2024-03-31")
    t = _tables(tmp_path, newer, older)
    rate = _long(t, "rectification.rate")[0]
    assert (rate["figure"], rate["combine"], str(rate["date"])) == ("60", "latest", "2024-03-31")
    assert rate["statements"] == 3 and rate["doc_id"] == "src/新.txt"
    t = _tables(tmp_path / "one", older)
    assert _long(t, "rectification.rate")[0]["figure"] == "95"  # the last of the document


def test_planned_and_done_are_separate_columns(tmp_path):
    text = "今年已巡察12个党组织，明年计划巡察20个党组织。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("12个", 12, "个", "inspection.units", "党组织"),
        measured("20个", 20, "个", "inspection.units", "党组织", status="planned")]))
    assert _wide(t) == {"巡视巡察单位 (个)": "12", "计划巡视巡察单位 (个)": "20"}


@pytest.mark.parametrize("docs, expected", [
    pytest.param([("a.txt", "巡察发现问题30个\n正文：本轮巡察共发现问题30个，均已交办。")], "30",
                 id="a title and its text"),
    pytest.param([("a.txt", "巡察共发现问题30个。"), ("b.txt", "巡察共发现问题30个。")], "30",
                 id="the same report twice"),
    pytest.param([("a.txt", "甲县巡察发现问题30个。"), ("b.txt", "乙县巡察发现问题30个。")], "60",
                 id="two reports with the same figure"),
])
def test_the_same_statement_counts_once(tmp_path, docs, expected):
    made = [_doc(name, text, [measured("30个", 30, "个", "problems.found", "问题", at=k)
                              for k in _all(text, "30个")]) for name, text in docs]
    assert _wide(_tables(tmp_path, *made)) == {"发现问题 (个)": expected}


def _all(text: str, span: str) -> list[int]:
    return [k for k in range(len(text)) if text.startswith(span, k)]


def test_two_statements_of_one_report_with_the_same_figure_both_count(tmp_path):
    text = "巡察工作情况\n开展3轮常规巡察，完成3轮专项巡察。"
    first, second = _all(text, "3轮")
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("3轮", 3, "轮", "inspection.rounds", "常规巡察", at=first),
        measured("3轮", 3, "轮", "inspection.rounds", "专项巡察", at=second)]))
    assert _wide(t) == {"巡视巡察轮次 (轮)": "6"}


def test_ranges_and_approximations_are_shown_whole(tmp_path):
    text = "今年地区生产总值增长4.5%—5%，抽调干部50余名，另抽调干部约30名。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("4.5%—5%", 4.5, "%", "economy.gdp.growth", status="planned", value_max=5),
        measured("50余名", 50, "名", "inspection.staff", "干部", approx="more"),
        measured("约30名", 30, "名", "inspection.staff", "干部", approx="about")]))
    assert _wide(t) == {"巡视巡察干部 (人)": "约80", "地区生产总值增长目标 (%)": "4.5–5"}
    gdp = _long(t, "economy.gdp.growth", status="planned")[0]
    assert (gdp["value"], gdp["value_max"], pd.isna(gdp["approx"])) == (4.5, 5, True)


@pytest.mark.parametrize("span, value, kw, figure, long_value", [
    ("0.3%", 0.3, {"direction": "down"}, "−0.3", (-0.3, None, None)),  # 微降0.3%
    ("0.3%", 0.3, {"direction": "up"}, "0.3", (0.3, None, None)),  # 上涨0.3%
    ("0.3%", 0.3, {}, "0.3", (0.3, None, None)),  # 涨幅0.3%: no verb of change
    ("超过1%", 1, {"direction": "down", "approx": "more"}, "≤−1", (-1, None, "less")),
    ("1%—2%", 1, {"direction": "down", "value_max": 2}, "−2–−1", (-2, -1, None)),
])
def test_a_fall_of_a_rate_of_change_is_shown_negative(tmp_path, span, value, kw, figure,
                                                       long_value):
    text = f"去年全市居民消费价格下降{span}。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured(span, value, "%", "economy.cpi.growth", **kw)]))
    assert _wide(t) == {"居民消费价格涨幅 (%)": figure}
    cpi = _long(t, "economy.cpi.growth")[0]
    got = (cpi["value"], None if pd.isna(cpi["value_max"]) else cpi["value_max"],
           cpi["approx"] if isinstance(cpi["approx"], str) else None)
    assert got == long_value


def test_only_a_rate_of_change_is_signed(tmp_path):
    """Only a rate of change (rules/metrics.yaml `signed`) turns negative: new jobs are not."""
    text = "去年全市新增就业比上年减少1.2万人。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("1.2万人", 12000, "人", "economy.jobs.new", direction="down")]))
    assert _wide(t) == {"城镇新增就业 (万人)": "1.2"}
    assert [m for m, metric in load_metrics().items() if metric.signed] == [
        "economy.gdp.growth", "economy.budget_revenue.growth", "economy.cpi.growth"]


def test_units_are_converted_or_kept_apart(tmp_path):
    text = "挽回经济损失1.2亿元，追回资金300万元，另有立案12人。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("1.2亿元", 1.2, "亿元", "funds.recovered"),
        measured("300万元", 300, "万元", "funds.recovered"),
        measured("12人", 12, "人", "cases.filed")]))
    assert _wide(t) == {"挽回损失 (万元)": "12300"}
    cases = _long(t, "cases.filed")[0]
    assert (cases["figure"], cases["unit"]) == ("12", "人")  # in metrics_long, not in a 件 column


def test_jobs_in_ten_thousands(tmp_path):
    text = "去年全市新增就业57.3万人。"
    t = _tables(tmp_path, _doc("a.txt", text, [
        measured("57.3万人", 573000, "人", "economy.jobs.new")]))
    assert _wide(t) == {"城镇新增就业 (万人)": "57.3"}


def test_unmeasured_and_unregioned_quantities_make_no_cell(tmp_path):
    text = "全市有94个乡镇，巡察组12个。"
    doc = _doc("a.txt", text, [quantity("94个", 94, "个", "乡镇"),
                                measured("12个", 12, "个", "inspection.groups", "巡察组")])
    doc["regions"] = []
    assert tables(load(write_outputs(tmp_path, [doc])))["metrics_long"].empty


def test_every_measure_of_the_rules_has_a_metric():
    """A measure that rules/measures.yaml can give is labelled, unitised and combined by
    rules/metrics.yaml: no figure is shown under a bare id."""
    given = {r["measure"] for r in load_yaml("measures.yaml")["measures"] if r["measure"]}
    assert given <= set(load_metrics()), given - set(load_metrics())


def test_a_measure_named_twice_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "metrics.yaml").write_text(
        "metrics:\n" + "  - {measure: a.b, label: x, label_en: x, unit: 个, units: {个: 1},"
        " combine: sum}\n" * 2, encoding="utf-8")
    monkeypatch.setattr("pipeline.rules.RULES_DIR", tmp_path)
    load_metrics.cache_clear()
    load_yaml.cache_clear()
    try:
        with pytest.raises(RuleError, match=r"rules/metrics.yaml: a.b: measure named twice"):
            load_metrics()
    finally:
        load_metrics.cache_clear()
        load_yaml.cache_clear()


def test_an_unknown_measure_is_shown_by_its_id():
    assert metric_of("new.measure").column("done") == "new.measure ()"


# ---------------------------------------------------------------- end to end

REPORT = ("河北省委巡视工作共发现问题200个\n"
          "2024年，省委组织开展两轮巡视，派出巡视组10个，对40个党组织开展常规巡视，共发现问题"
          "200个，其中涉及群众身边的问题45个。截至12月底，已整改问题150个，整改完成率75%。\n"
          "下一步，省委计划对30个党组织开展巡视。\n")
"""A composed report with a headline, a total, a part, a completed share, a rate and a plan."""


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The report and a copy of it (the same report twice) extracted, rules only."""
    from pipeline.run.batch import run

    root = tmp_path_factory.mktemp("composed")
    src = root / "src"
    src.mkdir()
    for name in ("甲.txt", "甲副本.txt"):
        (src / name).write_text(REPORT, encoding="utf-8")
    (src / "manifest.csv").write_text("file,region,publish_date\n甲.txt,河北省,2025-01-10\n"
                                      "甲副本.txt,河北省,2025-01-10\n", encoding="utf-8")
    run([src], root / "out", quiet=True, workers=1, use_model=False)
    return root


def test_composed_report_gives_the_right_cells(extracted):
    t = tables(load(extracted / "out"))
    assert _wide(t) == {"巡视巡察轮次 (轮)": "2", "巡视巡察组 (个)": "10", "巡视巡察单位 (个)": "40",
                        "计划巡视巡察单位 (个)": "30", "发现问题 (个)": "200", "已整改 (个)": "150",
                        "整改完成率 (%)": "75"}
    found = _long(t, "problems.found")[0]
    assert (found["statements"], found["mentions"], found["documents"]) == (1, 2, 1)
    assert [p["figure"] for p in _long(t, "problems.found", "part")] == ["45"]
    rate = _long(t, "rectification.rate")[0]
    assert (rate["combine"], str(rate["date"])) == ("latest", "2025-01-10")
    assert rate["evidence"] == "截至12月底，已整改问题150个，整改完成率75%。"


def test_a_work_report_gives_last_years_figures_and_this_years_targets(tmp_path):
    """Figures of the five years and of the next plan make no cell; each target and each of
    last year's figures stands in its own column."""
    from pipeline.run.batch import run

    src = tmp_path / "src"
    src.mkdir()
    (src / "乙.txt").write_text(WORK_REPORT, encoding="utf-8")
    (src / "manifest.csv").write_text("file,region,publish_date\n乙.txt,河北省,2036-02-01\n",
                                      encoding="utf-8")
    run([src], tmp_path / "out", quiet=True, workers=1, use_model=False)
    assert _wide(tables(load(tmp_path / "out"))) == {
        "地区生产总值增长目标 (%)": "约5.2", "地区生产总值增长 (%)": "4.7",
        "一般公共预算收入增长目标 (%)": "3.1", "一般公共预算收入增长 (%)": "2.4",
        "城镇调查失业率目标 (%)": "约5.35", "城镇调查失业率 (%)": "5.15",
        "城镇新增就业目标 (万人)": "≥50.5", "城镇新增就业 (万人)": "52.3",
        "居民消费价格涨幅目标 (%)": "约2.2", "居民消费价格涨幅 (%)": "0.6"}


def test_tables_and_report_from_the_outputs_alone(extracted, tmp_path):
    """The sources moved away after extraction: the same tables, the same report."""
    out = extracted / "out"
    before = _written(out, tmp_path / "before")
    shutil.move(extracted / "src", tmp_path / "moved")
    try:
        after = _written(out, tmp_path / "after")
    finally:
        shutil.move(tmp_path / "moved", extracted / "src")
    assert before.keys() == after.keys() and len(before) > 20
    for name in before:
        assert before[name] == after[name], name
    assert "200个" in before["report_files/d1.html"]


def _written(out, folder) -> dict:
    """Every text file compare and report write, and every Parquet table as records."""
    compare(out, folder / "tables")
    build_report(out, folder / "report.html")
    got = {}
    for p in sorted(folder.rglob("*")):
        name = p.relative_to(folder).as_posix()
        if p.suffix in (".csv", ".md", ".html"):
            got[name] = p.read_text(encoding="utf-8-sig")
        elif p.suffix == ".parquet":
            got[name] = pd.read_parquet(p).astype(str).to_dict("records")
    return got
