"""`docs/screenshot.py` never replaces the tracked picture unless it is named."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import ROOT


def _module():
    spec = importlib.util.spec_from_file_location("screenshot", ROOT / "docs" / "screenshot.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_default_picture_goes_to_the_output_folder(tmp_path):
    assert _module().target(tmp_path, None) == tmp_path / "overview.png"


def test_tracked_picture_only_when_named(tmp_path, monkeypatch):
    mod = _module()
    shots = []
    monkeypatch.setattr(mod, "screenshot", lambda html, png: shots.append(png) or png)
    monkeypatch.setattr("pipeline.compare.report.build_report", lambda out, html: html)
    mod.main([str(tmp_path)])
    mod.main([str(tmp_path), "-o", str(ROOT / "docs" / "overview.png")])
    assert shots == [tmp_path / "overview.png", Path(ROOT / "docs" / "overview.png")]
