"""Comparison tables: metrics from rules/metrics.yaml, practices, bodies, deadlines, coverage,
and their files (CSV with BOM, Markdown, Parquet, one workbook)."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pipeline.compare import tables as aggregate
from pipeline.compare.files import compare
from pipeline.compare.outputs import load
from pipeline.compare.tables import Context, context_at, generic_body, metric_of, tables
from pipeline.context.view import normalize
from pipeline.errors import InputError, RuleError
from pipeline.rules import load_yaml

from .aggregate_fixtures import REGION_A, REGION_B, compilation, quantity, write_outputs


def _examples():
    for rule in load_yaml("metrics.yaml")["metrics"]:
        for ex in rule["examples"]:
            yield pytest.param(ex, id=f"{rule['id']}:{ex['text'][:12]}")


@pytest.mark.parametrize("ex", list(_examples()))
def test_metric_rule_examples(ex):
    """Every example of rules/metrics.yaml goes to the metric it names (or to none)."""
    view = normalize(ex["text"]).view
    start = ex["text"].index(ex["quantity"])
    num = re.match(r"[\d.]+", ex["quantity"])
    value = float(num.group()) * (10000 if "万" in ex["quantity"] else 1) if num else None
    q = {"unit": ex.get("unit"), "counted": ex.get("counted"), "ordinal": False, "value": value}
    found = metric_of(q, context_at(view, start, start + len(ex["quantity"])))
    assert (found.id if found else None) == ex["metric"]


def test_every_metric_has_an_example_that_hits_it():
    hit = {ex["metric"] for r in load_yaml("metrics.yaml")["metrics"] for ex in r["examples"]}
    assert {m.id for m in aggregate.load_metrics()} <= hit


@pytest.mark.parametrize("text, span, expected", [
    ("目标是:地区生产总值增长6.3%上下,财政收入增长3.15%。", "3.15%",
     Context("地区生产总值增长6.3%上下,财政收入增长", "目标是:地区生产总值增长6.3%上下,财政收入增长", "")),
    ("第一句。甲,乙,丙增长3%", "3%", Context("乙,丙增长", "甲,乙,丙增长", "")),
    ("去年已整改完成90%,今年整改完成率达98%。", "90%",
     Context("去年已整改完成", "去年已整改完成", "")),
    ("省委派出12个巡视组开展巡视。", "12个", Context("省委派出", "省委派出", "巡视组开展巡视")),
])
def test_context_windows(text, span, expected):
    start = text.index(span)
    assert context_at(normalize(text).view, start, start + len(span)) == expected


@pytest.mark.parametrize("q, ctx, expected", [
    ({"unit": "个", "counted": "巡视组", "ordinal": True}, Context(), None),
    ({"unit": "人", "counted": "巡视组"}, Context(), None),
    ({"unit": "个", "counted": None}, Context(after="巡察组进驻"), "metric.inspection.groups"),
    ({"unit": "件", "counted": "问题线索"}, Context(), "metric.leads.handed_over"),
])
def test_metric_of_units_ordinals_and_after(q, ctx, expected):
    found = metric_of(q, ctx)
    assert (found.id if found else None) == expected


def test_bad_metric_rule_names_file_and_rule(tmp_path, monkeypatch):
    (tmp_path / "metrics.yaml").write_text(
        "metrics:\n  - {id: metric.x, label: x, label_en: x, combine: sum,"
        " examples: [{text: t, quantity: t, metric: null}]}\n", encoding="utf-8")
    monkeypatch.setattr("pipeline.rules.RULES_DIR", tmp_path)
    aggregate.load_metrics.cache_clear()
    load_yaml.cache_clear()
    try:
        with pytest.raises(RuleError, match=r"rules/metrics.yaml: metric.x: .*at least one"):
            aggregate.load_metrics()
    finally:
        aggregate.load_metrics.cache_clear()
        load_yaml.cache_clear()


@pytest.fixture
def comp(tmp_path):
    return tables(load(compilation(tmp_path)))


def _cell(t, metric_id):
    long = t["metrics_long"]
    return {r.region: r for r in long[long.metric_id == metric_id].itertuples()}


@pytest.mark.parametrize("metric_id, expected", [
    ("metric.inspection.groups", {REGION_A: 12, REGION_B: 30}),
    ("metric.inspection.units", {REGION_A: 36}),
    ("metric.problems.found", {REGION_A: 520}),
    ("metric.leads.handed_over", {REGION_A: 41}),
    ("metric.rectification.measures", {REGION_A: 88}),
    ("metric.rectification.rate", {REGION_A: 96.5, REGION_B: 98}),
    ("metric.cadres", {REGION_B: 150}),
    ("metric.rules.issued", {REGION_B: 15}),
])
def test_metric_values_per_region(comp, metric_id, expected):
    assert {r: c.value for r, c in _cell(comp, metric_id).items()} == expected


def test_metric_cell_keeps_combine_and_mentions(comp):
    rate = _cell(comp, "metric.rectification.rate")[REGION_B]
    assert (rate.combine, rate.mentions) == ("latest", 2)
    assert rate.mention_refs == ["src/汇编.txt#m0015", "src/汇编.txt#m0016"]
    assert rate.evidence == "去年已整改完成90%，今年整改完成率达98%。"


def test_rows_are_exactly_the_regions(comp):
    """The editor's note speaks for no region: no row for it in any region table."""
    for name in ("metrics", "practices", "bodies", "coverage"):
        assert list(comp[name].region) == [REGION_A, REGION_B], name


def test_metrics_wide_has_every_metric_column(comp):
    labels = [m.rule.label for m in aggregate.load_metrics()]
    assert list(comp["metrics"].columns) == ["region", *labels]
    assert comp["metrics"].set_index("region").at[REGION_A, "巡视巡察组"] == 12


def test_sum_over_documents_of_one_region(tmp_path):
    other = {"name": "补充.txt", "text": "甲地又派出3个巡视组。（甲省委）", "reference_date": "2024-09-01",
             "regions": [(REGION_A, "甲地", "（甲省委）")],
             "mentions": [quantity("3个", 3, "个", "巡视组")]}
    t = tables(load(compilation(tmp_path, extra=[other])))
    cell = _cell(t, "metric.inspection.groups")[REGION_A]
    assert (cell.value, cell.mentions, cell.combine) == (15, 2, "sum")


def test_practices(comp):
    wide = comp["practices"].set_index("region")
    assert wide.at[REGION_A, "整改落实"] == 2
    assert wide.at[REGION_B, "整改落实"] == 0
    assert wide.at[REGION_B, "全覆盖"] == 1
    long = comp["practices_long"]
    row = long[(long.region == REGION_A) & (long.category == "整改落实")].iloc[0]
    assert row.item_refs == ["src/汇编.txt#i0004", "src/汇编.txt#i0005"]
    assert row.evidence.startswith("省委巡视办制定整改措施88条")


def test_bodies_items_led(comp):
    long = comp["bodies_long"].set_index(["region", "body"])
    assert long.at[(REGION_A, "河北省委"), "items_led"] == 1
    assert long.at[(REGION_A, "河北省委巡视办"), "items_led"] == 1
    assert long.at[(REGION_A, "河北省纪委监委"), "items_led"] == 0
    assert long.at[(REGION_A, "河北省纪委监委"), "target"] == 1
    assert long.at[(REGION_B, "吉林省委"), "items_led"] == 2
    wide = comp["bodies"].set_index("region")
    assert wide.at[REGION_B, "省委"] == 2 and wide.at[REGION_A, "省委"] == 1


@pytest.mark.parametrize("name, region, expected", [
    ("河北省纪委监委", "河北省", "省纪委监委"),
    ("北京市委巡视办", "北京市", "省委巡视办"),
    ("北京市纪委监委", "北京市", "省纪委监委"),
    ("广西壮族自治区党委", "广西壮族自治区", "省委"),
    ("广西壮族自治区党委督查室", "广西壮族自治区", "省委督查室"),
    ("新疆维吾尔自治区人民政府", "新疆维吾尔自治区", "省人民政府"),
    ("河北省", "河北省", "省"),
    ("中央巡视办", "河北省", "中央巡视办"),
])
def test_generic_body(name, region, expected):
    assert generic_body(name, region) == expected


def test_deadlines_dated_first(comp):
    dl = comp["deadlines"]
    assert list(dl.text) == ["2024年12月31日前", "反馈后2个月内"]
    assert list(dl.action) == ["完成", "报送"]
    assert dl.iloc[1].offset == "P2M" and dl.iloc[1].anchor == "反馈"


def test_coverage(comp):
    cov = comp["coverage"].set_index("region")
    assert cov.at[REGION_A, "documents"] == 1
    assert cov.at[REGION_A, "items"] == 5 and cov.at[REGION_B, "items"] == 4
    assert cov.at[REGION_A, "quantity_mentions"] == 6
    assert cov.at[REGION_B, "time_mentions"] == 1
    assert cov.at[REGION_A, "chars"] > 0


def test_without_source_text_metrics_come_from_items(tmp_path):
    """A moved source file: contexts come from the item text, counted nouns still work."""
    t = tables(load(compilation(tmp_path, source=False)))
    assert _cell(t, "metric.inspection.groups")[REGION_A].value == 12
    assert REGION_A not in _cell(t, "metric.rectification.rate")  # 96.5% sits in no item
    assert _cell(t, "metric.inspection.groups")[REGION_A].evidence == "12个"


def test_empty_outputs_still_give_every_table(tmp_path):
    t = tables(load(write_outputs(tmp_path, [{"name": "空.txt", "text": "无内容。"}])))
    assert set(t) == {"metrics", "metrics_long", "practices", "practices_long", "bodies",
                      "bodies_long", "deadlines", "coverage", "rectifications",
                      "rectifications_by_level", "rectification_records"}
    assert all(len(df) == 0 for df in t.values())


def test_not_an_output_folder(tmp_path):
    with pytest.raises(InputError, match="no documents.jsonl"):
        load(tmp_path)


def test_bad_line_names_file_and_line(tmp_path):
    out = compilation(tmp_path)
    with open(out / "mentions.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    with pytest.raises(InputError, match=r"mentions.jsonl:18"):
        load(out)


def test_compare_writes_every_format(tmp_path):
    written = compare(compilation(tmp_path), tmp_path / "tables")
    for name in ("metrics", "practices", "bodies", "deadlines", "coverage", "metrics_long"):
        for ext in ("csv", "md", "parquet"):
            assert written[f"{name}.{ext}"].is_file()
    csv = written["metrics.csv"].read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "巡视巡察组".encode() in csv
    long = pd.read_parquet(written["metrics_long.parquet"])
    assert list(long.mention_refs.iloc[0]) == ["src/汇编.txt#m0002"]
    assert "src/汇编.txt#m0015 src/汇编.txt#m0016" in written["metrics_long.csv"].read_text(
        encoding="utf-8-sig")
    md = written["metrics.md"].read_text(encoding="utf-8").splitlines()
    assert md[0].startswith("| region | 巡视巡察组 |") and md[2].startswith("| 河北省 | 12 |")
    sheets = pd.read_excel(written["tables.xlsx"], sheet_name=None)
    assert {"metrics", "practices", "bodies", "deadlines", "coverage"} <= set(sheets)
    assert written["xunshi.duckdb"].is_file()


def test_outputs_with_unknown_fields_and_missing_ones(tmp_path):
    """The contract may grow: unknown fields are ignored, missing ones are null."""
    out = compilation(tmp_path)
    rows = [json.loads(x) for x in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    rows[0]["new_field"] = 1
    del rows[1]["score"]
    (out / "mentions.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    loaded = load(out)
    assert "new_field" not in loaded.mentions.columns
    assert pd.isna(loaded.mentions.score.iloc[1])


def test_seed_article_rows_are_its_three_provinces(tmp_path):
    """End to end: the seed compilation's editor's note gives no row."""
    from pipeline.run.batch import run

    from .conftest import shared_path

    seed = shared_path("corpora", "seed_inspection_2019.txt")
    run([seed], tmp_path / "out", quiet=True)
    t = tables(load(tmp_path / "out"))
    for name in ("metrics", "practices", "bodies", "coverage"):
        assert list(t[name].region) == ["河北省", "吉林省", "广西壮族自治区"], name
