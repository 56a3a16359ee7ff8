"""The Dask engine gives exactly the local engine's outputs (on the bundled corpora)."""
from __future__ import annotations

import logging

import pytest

from pipeline.run import batch

from .conftest import CORPORA

distributed = pytest.importorskip("distributed")
OUTPUTS = ("documents.jsonl", "mentions.jsonl", "items.jsonl", "rectifications.jsonl", "errors.jsonl")


@pytest.fixture(scope="module")
def scheduler():
    """A small in-process cluster; `--scheduler` reaches it by address as a remote one."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def _inputs(tmp_path):
    """The bundled corpora, plus a folder with a file that fails."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    return [CORPORA, bad]


def test_dask_outputs_equal_local_outputs(tmp_path, scheduler):
    inputs = _inputs(tmp_path)
    local = batch.run(inputs, tmp_path / "local", workers=1, quiet=True)
    dask = batch.run(inputs, tmp_path / "dask", engine="dask", scheduler=scheduler, quiet=True)
    assert (dask["engine"], dask["documents"], dask["failed"]) == ("dask", local["documents"], 1)
    for name in OUTPUTS:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_dask_time_budget_reports_and_goes_on(tmp_path, scheduler, monkeypatch):
    """Dask runs tasks in threads: the budget is raised in the thread (no SIGALRM there)."""
    from pipeline.run import process as proc

    real = proc.process

    def slow(source, **kwargs):
        if source.path.endswith("slow.txt"):
            while True:
                sum(range(1000))
        return real(source, **kwargs)

    monkeypatch.setattr(proc, "process", slow)  # the in-process worker sees it
    src = tmp_path / "src"
    src.mkdir()
    (src / "slow.txt").write_text("省委巡视组反馈意见。", encoding="utf-8")
    (src / "ok.txt").write_text("省委巡视组反馈后2个月内报送整改情况。", encoding="utf-8")
    summary = batch.run([src], tmp_path / "out", engine="dask", scheduler=scheduler, doc_timeout=1.0)
    errors = (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8")
    assert summary["documents"] == 1 and '"code": "timeout"' in errors


def test_dask_without_an_address_starts_a_local_cluster(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("（浙江省委）\n省委巡视组反馈后2个月内报送整改情况，增加编制30个。\n", encoding="utf-8")
    (src / "b.txt").write_text("市委召开常委会会议12次，整改问题35个。\n", encoding="utf-8")
    local = batch.run([src], tmp_path / "local", workers=1, quiet=True)
    dask = batch.run([src], tmp_path / "dask", engine="dask", workers=1, quiet=True)
    assert (dask["engine"], dask["documents"]) == ("dask", local["documents"])
    for name in OUTPUTS:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
