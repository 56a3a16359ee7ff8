"""Comparison tables from an output folder alone: metrics, practices, bodies, deadlines,
coverage, and their files (CSV with BOM, Markdown, Parquet, one workbook). How metrics combine
is tested in test_metrics.py."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.compare.files import compare
from pipeline.compare.outputs import load
from pipeline.compare.tables import BUILDERS, generic_body, tables
from pipeline.errors import InputError

from .aggregate_fixtures import REGION_A, REGION_B, compilation, measured, write_outputs


@pytest.fixture
def comp(tmp_path):
    return tables(load(compilation(tmp_path)))


def _cell(t, measure):
    long = t["metrics_long"]
    return {r.region: r for r in long[(long.measure == measure) & (long.scope == "total")]
            .itertuples()}


@pytest.mark.parametrize("measure, expected", [
    ("inspection.groups", {REGION_A: 12, REGION_B: 30}),
    ("inspection.units", {REGION_A: 36}),
    ("problems.found", {REGION_A: 520}),
    ("leads.transferred", {REGION_A: 41}),
    ("rectification.measures", {REGION_A: 88}),
    ("rectification.rate", {REGION_A: 96.5, REGION_B: 98}),
    ("inspection.staff", {REGION_B: 150}),
    ("rules.issued", {REGION_B: 15}),
])
def test_metric_values_per_region(comp, measure, expected):
    assert {r: c.value for r, c in _cell(comp, measure).items()} == expected


def test_metric_cell_keeps_combine_and_mentions(comp):
    rate = _cell(comp, "rectification.rate")[REGION_B]
    assert (rate.combine, rate.statements, rate.mentions) == ("latest", 2, 2)
    assert rate.mention_refs == ["src/汇编.txt#m0015", "src/汇编.txt#m0016"]
    assert rate.evidence == "去年已整改完成90%，今年整改完成率达98%。"
    assert str(rate.date) == "2024-06-30"


def test_rows_are_exactly_the_regions(comp):
    """The editor's note speaks for no region: no row for it in any region table."""
    for name in ("metrics", "practices", "bodies", "coverage"):
        assert list(comp[name].region) == [REGION_A, REGION_B], name


def test_metrics_wide_has_a_column_per_measure_found_with_its_unit(comp):
    assert list(comp["metrics"].columns) == [
        "region", "巡视巡察组 (个)", "巡视巡察单位 (个)", "巡视巡察干部 (人)", "发现问题 (个)",
        "移交问题线索 (件)", "整改完成率 (%)", "整改措施 (条)", "出台制度 (项)"]
    assert comp["metrics"].set_index("region").at[REGION_A, "巡视巡察组 (个)"] == "12"


def test_sum_over_documents_of_one_region(tmp_path):
    other = {"name": "补充.txt", "text": "甲地又派出3个巡视组。（甲省委）", "reference_date": "2024-09-01",
             "regions": [(REGION_A, "甲地", "（甲省委）")],
             "mentions": [measured("3个", 3, "个", "inspection.groups", "巡视组")]}
    t = tables(load(compilation(tmp_path, extra=[other])))
    cell = _cell(t, "inspection.groups")[REGION_A]
    assert (cell.value, cell.statements, cell.documents, cell.combine) == (15, 2, 2, "sum")
    assert str(cell.date) == "2024-09-01"


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
    assert long.at[(REGION_B, "吉林省委"), "items_led"] == 1  # i0006 names it
    assert long.at[(REGION_B, "吉林省委"), "items_inherited"] == 1  # i0007 carries it over
    assert long.at[(REGION_B, "吉林省委"), "inherited_refs"] == ["src/汇编.txt#i0007"]
    wide = comp["bodies"].set_index("region")
    assert wide.at[REGION_B, "省委"] == 1 and wide.at[REGION_A, "省委"] == 1


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


def test_without_texts_the_tables_are_the_same_but_evidence(tmp_path):
    """An output folder of an older xunshi (no texts.jsonl): the same figures, the evidence is
    the mention itself."""
    t = tables(load(compilation(tmp_path, texts=False)))
    assert _cell(t, "inspection.groups")[REGION_A].value == 12
    assert _cell(t, "rectification.rate")[REGION_A].value == 96.5
    assert _cell(t, "inspection.groups")[REGION_A].evidence == "12个"


def test_table_registry_takes_a_new_table(tmp_path, monkeypatch):
    """A new table is one builder (the ledger's rectifications, say): every writer takes it."""
    def extra(out, built):
        return {"extra": pd.DataFrame({"region": list(built["coverage"].region)})}

    monkeypatch.setattr("pipeline.compare.tables.BUILDERS", [*BUILDERS, extra])
    assert list(tables(load(compilation(tmp_path)))["extra"].region) == [REGION_A, REGION_B]


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
    assert csv.startswith(b"\xef\xbb\xbf") and "巡视巡察组 (个)".encode() in csv
    long = pd.read_parquet(written["metrics_long.parquet"])
    assert list(long.mention_refs.iloc[0]) == ["src/汇编.txt#m0002"]
    assert "src/汇编.txt#m0015 src/汇编.txt#m0016" in written["metrics_long.csv"].read_text(
        encoding="utf-8-sig")
    md = written["metrics.md"].read_text(encoding="utf-8").splitlines()
    assert md[0].startswith("| region | 巡视巡察组 (个) |") and md[2].startswith("| 河北省 | 12 |")
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
