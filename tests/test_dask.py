"""The Dask engine gives exactly the local engine's outputs."""
from __future__ import annotations

import logging
import shutil

import pytest

from pipeline import batch

from .conftest import shared_path

distributed = pytest.importorskip("distributed")
OUTPUTS = ("documents.jsonl", "mentions.jsonl", "items.jsonl", "errors.jsonl")


@pytest.fixture(scope="module")
def scheduler():
    """A small in-process cluster; `--scheduler` reaches it by address as a remote one."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def _corpus(tmp_path):
    """Reports from the shared corpora (a few of each kind), plus a file that fails."""
    root = shared_path("corpora")
    src = tmp_path / "corpora"
    src.mkdir()
    picks = [root / "seed_inspection_2019.txt", *sorted(root.glob("inspection-news/*.txt")),
             *sorted(root.glob("gov-reports-2026/*.txt"))[:2]]
    for p in picks:
        shutil.copy(p, src / p.name)
    (src / "empty.txt").write_bytes(b"")
    return src


def test_dask_outputs_equal_local_outputs(tmp_path, scheduler):
    src = _corpus(tmp_path)
    local = batch.run([src], tmp_path / "local", workers=1, quiet=True)
    dask = batch.run([src], tmp_path / "dask", engine="dask", scheduler=scheduler, quiet=True)
    assert (dask["engine"], dask["documents"], dask["failed"]) == ("dask", local["documents"], 1)
    for name in OUTPUTS:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_dask_time_budget_reports_and_goes_on(tmp_path, scheduler, monkeypatch):
    """Dask runs tasks in threads: the budget is raised in the thread (no SIGALRM there)."""
    from pipeline import process as proc

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
