"""The output side of the `xunshi` command: every fault is one line and an exit code of its own.

`compare`, `report`, `query` and `schema` on a wrong `-o`, a read-only or full disk, a folder with
no outputs or no documents, or an unknown record type: one line on stderr, no traceback, the
exit code of `pipeline.errors.Exit`, and no temporary file left behind.
"""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import Exit

from .aggregate_fixtures import compilation, write_outputs
from .folders import full_disk, read_only


def _fails(args: list, code: Exit, *words: str):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == code, (res.exit_code, res.output, res.exception)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "Traceback" not in res.output
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def _leftovers(folder) -> list[str]:
    """Temporaries and DuckDB journals a failed write may have left."""
    return sorted(p.name for p in folder.rglob("*") if ".tmp" in p.name or p.name.endswith(".wal"))


@pytest.fixture
def out(tmp_path):
    return compilation(tmp_path)


def test_compare_into_a_file(out, tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    _fails(["compare", out, "-o", tmp_path / "f"], Exit.OUTPUT, "not a folder")


def test_report_into_a_folder(out, tmp_path):
    _fails(["report", out, "-o", tmp_path], Exit.OUTPUT, "is a folder")


def test_report_below_a_file(out, tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    _fails(["report", out, "-o", tmp_path / "f" / "r.html"], Exit.OUTPUT, "not a folder")


@pytest.mark.parametrize("command", ["compare", "report"])
def test_into_a_read_only_folder(out, tmp_path, command):
    target = tmp_path / "ro"
    target.mkdir()
    with read_only(target):
        where = target / "t" if command == "compare" else target / "r.html"
        _fails([command, out, "-o", where], Exit.OUTPUT, "read-only")
    assert list(target.iterdir()) == []


def test_compare_of_a_read_only_output_folder_writes_the_tables_elsewhere(out, tmp_path):
    with read_only(out):
        res = CliRunner().invoke(main, ["compare", str(out), "-o", str(tmp_path / "t")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "t" / "metrics.csv").is_file() and not (out / "xunshi.duckdb").exists()
    assert "cannot be written: no xunshi.duckdb" in res.stderr


@pytest.mark.parametrize("command", ["compare", "report"])
def test_disk_full(out, tmp_path, command):
    with full_disk(tmp_path / "small", kib=16) as small:
        where = small / "t" if command == "compare" else small / "r.html"
        _fails([command, out, "-o", where], Exit.OUTPUT, "disk full")
        assert _leftovers(small) == []


def test_disk_full_while_building_the_store(out, tmp_path):
    with full_disk(tmp_path / "small", kib=160) as small:
        shutil.copytree(out, small / "out")
        _fails(["compare", small / "out", "-o", tmp_path / "tables"], Exit.OUTPUT, "disk full",
               "xunshi.duckdb")
        assert _leftovers(small) == []
        assert not (small / "out" / "xunshi.duckdb").exists()


@pytest.mark.parametrize("command", ["compare", "report", "query"])
def test_a_folder_without_outputs(tmp_path, command):
    (tmp_path / "empty").mkdir()
    args = [command, tmp_path / "empty"] + (["SELECT 1"] if command == "query" else [])
    _fails(args, Exit.INPUT, "no documents.jsonl", "xunshi extract")
    assert list((tmp_path / "empty").iterdir()) == []


@pytest.mark.parametrize("command", ["compare", "report", "query"])
def test_outputs_without_documents(tmp_path, command):
    out = write_outputs(tmp_path, [])
    args = [command, out] + (["SELECT 1"] if command == "query" else [])
    _fails(args, Exit.INPUT, "no documents")
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.jsonl", "errors.jsonl", "items.jsonl", "mentions.jsonl", "rectifications.jsonl",
        "texts.jsonl"]


def test_schema_of_an_unknown_type():
    line = _fails(["schema", "--type", "foo"], Exit.USAGE, "foo")
    for name in ("document", "quantity", "work_item", "metrics", "coverage"):
        assert name in line
