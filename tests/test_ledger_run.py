"""The ledger in a batch run: `rectifications.jsonl` beside the other outputs, linked across the
run's documents, the same whether documents come from the cache or not, on stdout with `-o -`."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.run import batch

from .conftest import ROOT

NOTICES = ROOT / "tests" / "ledger" / "notices"
INTERIM, FINAL = "11_jiangpan-market-interim.txt", "12_jiangpan-market-final.txt"


def _jsonl(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def notices(tmp_path_factory):
    """Four notices (a chain of two, a namesake in another province, one without a body)."""
    src = tmp_path_factory.mktemp("notices")
    names = [INTERIM, FINAL, "13_jiangpan-market-jiangxi-summismatch.txt", "10_nobody-progress.txt"]
    rows = (NOTICES / "manifest.csv").read_text(encoding="utf-8").splitlines()
    (src / "manifest.csv").write_text("\n".join([rows[0]] + [r for r in rows if r.split(",")[0].strip('"') in names]),
                                      encoding="utf-8")
    for name in names:
        shutil.copy(NOTICES / name, src / name)
    return src


def test_records_are_written_and_linked(tmp_path, notices):
    batch.run([notices], tmp_path / "out", workers=1, quiet=True)
    records = _jsonl(tmp_path / "out" / "rectifications.jsonl")
    assert sorted(r["doc_id"] for r in records) == sorted(
        [INTERIM, FINAL, "13_jiangpan-market-jiangxi-summismatch.txt", "10_nobody-progress.txt"])
    chain = {r["doc_id"]: r["links"] for r in records if r["doc_id"] in (INTERIM, FINAL)}
    assert (chain[INTERIM]["next"], chain[FINAL]["previous"]) == (f"{FINAL}#1", f"{INTERIM}#1")
    docs = _jsonl(tmp_path / "out" / "documents.jsonl")
    assert all("rectifications" not in d for d in docs), "records go to their own file"


def test_cached_documents_give_identical_records(tmp_path, notices):
    out = tmp_path / "out"
    batch.run([notices], out, workers=1, quiet=True)
    first = (out / "rectifications.jsonl").read_bytes()
    again = batch.run([notices], out, workers=1, quiet=True)
    assert again["cached"] == 4
    assert (out / "rectifications.jsonl").read_bytes() == first


def test_stdout_documents_carry_their_linked_records(notices):
    res = CliRunner().invoke(main, ["extract", str(notices), "-o", "-", "-w", "1", "-q"])
    assert res.exit_code == 0, res.output
    docs = {d["doc_id"]: d for d in map(json.loads, res.stdout.splitlines())}
    assert docs[FINAL]["rectifications"][0]["links"]["previous"] == f"{INTERIM}#1"
    assert docs["10_nobody-progress.txt"]["rectifications"][0]["body"] is None


def test_a_document_twice_gives_its_records_once(tmp_path, notices):
    src = tmp_path / "twice"
    shutil.copytree(notices, src)
    shutil.copy(src / INTERIM, src / "copy_of_interim.txt")
    batch.run([src], tmp_path / "out", workers=1, quiet=True)
    ids = [r["doc_id"] for r in _jsonl(tmp_path / "out" / "rectifications.jsonl")]
    assert "copy_of_interim.txt" not in ids and INTERIM in ids
