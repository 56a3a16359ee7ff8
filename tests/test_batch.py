"""Batch runs: outputs valid against the schema, bad files reported, nothing half-written."""
from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from pipeline import batch
from pipeline.cli import main

GOOD = "（浙江省委）\n省委巡视组反馈后2个月内报送整改情况，增加编制30个。\n"


def _corpus(tmp_path):
    src = tmp_path / "报告 目录"
    src.mkdir()
    (src / "好.txt").write_text(GOOD, encoding="utf-8")
    (src / "gbk.txt").write_bytes(GOOD.encode("gbk"))
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    return src


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_reports_bad_files_and_goes_on(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(_corpus(tmp_path)), "-o", str(out)])
    assert res.exit_code == 0, res.output
    errors = _jsonl(out / "errors.jsonl")
    assert sorted(e["code"] for e in errors) == ["binary", "empty"]
    assert all(e["path"].endswith((".txt")) for e in errors)
    assert len(_jsonl(out / "documents.jsonl")) == 2
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (run["documents"], run["failed"]) == (2, 2)


def test_exit_code_nonzero_only_when_nothing_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    res = CliRunner().invoke(main, ["extract", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "empty.txt: empty file" in res.output


def test_outputs_validate_against_schema(tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["extract", str(_corpus(tmp_path)), "-o", str(out)])
    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)["records"]
    for name, kind in (("documents", "document"), ("items", "work_item"), ("errors", "error")):
        for row in _jsonl(out / f"{name}.jsonl"):
            jsonschema.validate(row, schema[kind])
    for row in _jsonl(out / "mentions.jsonl"):
        jsonschema.validate(row, schema[row["kind"]])


def test_interrupted_run_keeps_previous_outputs(tmp_path, monkeypatch):
    src, out = _corpus(tmp_path), tmp_path / "out"
    batch.run([src], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "write_document", boom)
    with pytest.raises(KeyboardInterrupt):
        batch.run([src], out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_reference_date_option_is_recorded(tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["extract", str(_corpus(tmp_path)), "-o", str(out),
                              "--reference-date", "2019-07-15"])
    docs = _jsonl(out / "documents.jsonl")
    assert {(d["reference_date"], d["reference_date_source"]) for d in docs} == {("2019-07-15", "cli")}


def test_bad_reference_date_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(main, ["extract", str(tmp_path), "--reference-date", "15/07/2019"])
    assert res.exit_code == 2
    assert "not an ISO date" in res.output
