"""`benchmarks/ablation_bodies.py` without ../shared: one line saying what is skipped, the
project's own sets still scored."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_runs_without_shared(tmp_path):
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ablation_bodies.py"),
                          "--gold", str(tmp_path / "no-gold"), "--corpora", str(tmp_path / "none")],
                         capture_output=True, text=True, cwd=tmp_path, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stderr.strip().splitlines() == [res.stderr.strip()]
    assert "not found" in res.stderr and "development-gold table is skipped" in res.stderr
    assert "Composed reports (corpora/gold)" in res.stdout
    assert "Speed over the bundled corpus" in res.stdout
