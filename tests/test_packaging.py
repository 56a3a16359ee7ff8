"""The package runs outside the repository: `rules/` and `models/` travel inside the wheel.

The wheel test builds the sdist and, from it, the wheel, installs the wheel into a fresh virtual
environment and extracts a small folder from another working directory; then it installs the
sdist over it and does it again. It takes minutes (every dependency is installed), so it runs
only when `XUNSHI_TEST_INSTALL=1`, which `.ci/run` sets.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import paths, rules
from pipeline.model.predict import MODEL_DIR
from tests.conftest import ROOT

INSTALL = os.environ.get("XUNSHI_TEST_INSTALL") == "1"
SAMPLE = {"甲.txt": "省委巡视组反馈后2个月内报送整改情况。省委派出12个巡视组，发现问题520个。",
          "乙.txt": "市委巡察组对5个乡镇开展了常规巡察。2023年6月，县委召开常委会会议3次。"}


def test_a_checkout_reads_the_repository_folders():
    if not os.environ.get("XUNSHI_RULES"):
        assert rules.RULES_DIR == ROOT / "rules"
    assert paths.data_dir("rules") == ROOT / "rules"
    assert MODEL_DIR == ROOT / "models" / "bodies"


def test_an_installed_copy_is_read_when_there_is_one(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    monkeypatch.setattr(paths, "SHIPPED", tmp_path)
    assert paths.data_dir("rules") == tmp_path / "rules"
    assert paths.data_dir("models") == ROOT / "models"  # not shipped here: the repository's


@pytest.mark.parametrize("path, expected", [
    ("models/bodies", ROOT / "models" / "bodies"),
    ("rules/dict.txt", ROOT / "rules" / "dict.txt"),
    ("training/bodies", ROOT / "training" / "bodies"),
    ("/elsewhere/model", Path("/elsewhere/model")),
])
def test_data_paths_written_relative_to_the_repository(path, expected):
    assert paths.data_path(path) == expected


def _run(cmd, cwd: Path, **kw) -> subprocess.CompletedProcess:
    res = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, **kw)
    assert res.returncode == 0, f"{cmd}:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}"
    return res


def _extract_elsewhere(venv: Path, work: Path, name: str) -> dict:
    """`xunshi extract` of the sample from a folder that is neither the repository nor the input."""
    here = work / name
    here.mkdir()
    _run([venv / "bin" / "xunshi", "extract", work / "sample", "-o", here / "out", "-q"], cwd=here)
    return json.loads((here / "out" / "run.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(not INSTALL, reason="builds and installs the package in a fresh venv (minutes); "
                    "XUNSHI_TEST_INSTALL=1 runs it, as .ci/run does")
def test_wheel_and_sdist_install_and_run_from_another_folder(tmp_path):
    dist, venv = tmp_path / "dist", tmp_path / "venv"
    (tmp_path / "sample").mkdir()
    for name, text in SAMPLE.items():
        (tmp_path / "sample" / name).write_text(text, encoding="utf-8")
    _run([sys.executable, "-m", "build", "--outdir", dist, ROOT], cwd=tmp_path)
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    _run([venv / "bin" / "pip", "install", "-q", next(dist.glob("*.whl"))], cwd=tmp_path)
    where = _run([venv / "bin" / "python", "-c", "import pipeline.rules as r; print(r.RULES_DIR)"],
                 cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "XUNSHI_RULES"})
    assert "site-packages" in where.stdout and "/pipeline/_data/rules" in where.stdout
    expected = rules.rules_hash()
    assert _extract_elsewhere(venv, tmp_path, "wheel")["rules_hash"] == expected
    _run([venv / "bin" / "pip", "install", "-q", "--no-deps", "--force-reinstall",
          next(dist.glob("*.tar.gz"))], cwd=tmp_path)
    run = _extract_elsewhere(venv, tmp_path, "sdist")
    assert run["rules_hash"] == expected and run["documents"] == len(SAMPLE)
