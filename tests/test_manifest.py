"""Manifests: decoded like reports, checked row by row, regions normalised against the gazetteer."""
from __future__ import annotations

import pytest

from pipeline.reading.manifest import iso_date, load_manifest, province

HEADER = "file,province,publish_date,title\n"


def _load(tmp_path, text, encoding="utf-8", files=None):
    (tmp_path / "manifest.csv").write_bytes(text.encode(encoding))
    return load_manifest(tmp_path, "reports", files)


def test_province_becomes_region(tmp_path):
    m = _load(tmp_path, HEADER + "河北省.txt,河北省,2026-01-20,报告\n")
    assert m.rows["河北省.txt"] == {"province": "河北省", "region": "河北省",
                                   "publish_date": "2026-01-20", "title": "报告"}
    assert m.problems == []


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16"])
def test_a_manifest_saved_by_excel_is_decoded_like_a_report(tmp_path, encoding):
    m = _load(tmp_path, HEADER + "甲.txt,浙江,2024年3月5日,整改通报\n", encoding)
    assert m.rows["甲.txt"]["region"] == "浙江省"
    assert m.rows["甲.txt"]["publish_date"] == "2024-03-05"


def test_a_huge_field_is_reported_not_fatal(tmp_path):
    m = _load(tmp_path, HEADER + "甲.txt,浙江省,2024-03-05," + "长" * 200_000 + "\n乙.txt,福建,,\n")
    assert m.rows["甲.txt"] == {"province": "浙江省", "region": "浙江省", "publish_date": "2024-03-05"}
    assert m.rows["乙.txt"]["region"] == "福建省"
    assert ["title" in p.message and "longer" in p.message for p in m.problems] == [True]


@pytest.mark.parametrize("row, says", [
    ("甲.txt,河北,2024-02-30,t", "publish_date"),   # no such day
    ("甲.txt,河北,去年,t", "publish_date"),
    ("甲.txt,Atlantis,2024-02-03,t", "province-level region"),
    ("丙.txt,河北,2024-02-03,t", "no such report"),
])
def test_bad_rows_are_reported_with_their_row(tmp_path, row, says):
    m = _load(tmp_path, HEADER + row + "\n", files={"甲.txt"})
    assert len(m.problems) == 1
    assert m.problems[0].path == "reports/manifest.csv"
    assert "row 2" in m.problems[0].message and says in m.problems[0].message


def test_a_file_named_twice_keeps_its_first_row(tmp_path):
    m = _load(tmp_path, HEADER + "甲.txt,河北,2024-02-03,a\n甲.txt,山西,2024-02-04,b\n")
    assert m.rows["甲.txt"]["region"] == "河北省"
    assert ["row 3" in p.message and "again" in p.message for p in m.problems] == [True]


def test_no_file_column(tmp_path):
    m = _load(tmp_path, "name,province\n甲.txt,河北\n")
    assert m.rows == {}
    assert ["no `file` column" in p.message for p in m.problems] == [True]


@pytest.mark.parametrize("value, expected", [
    ("河北", "河北省"), ("河北省", "河北省"), ("河北省委", "河北省"), ("河北省纪委监委", "河北省"),
    ("广西壮族自治区党委", "广西壮族自治区"), ("臺灣省", "台湾省"), ("新疆", "新疆维吾尔自治区"),
    ("Hebei", None), ("河北经贸大学", None), ("", None),
])
def test_regions_are_normalised_against_the_gazetteer(value, expected):
    assert province(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("2026-01-20", "2026-01-20"), ("2026/1/20", "2026-01-20"), ("2026.01.20", "2026-01-20"),
    ("2026年1月20日", "2026-01-20"), ("2026-01-20 09:30", "2026-01-20"),
    ("2026-13-01", None), ("20/01/2026", None), ("2026", None),
])
def test_dates(value, expected):
    assert iso_date(value) == expected
