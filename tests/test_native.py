"""The compiled modules (`build_native.py`, `pipeline.native`): served only while their sources
are unchanged and built for this interpreter, and giving the outputs their sources give."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader
from pathlib import Path

import pytest

from pipeline import native
from tests.conftest import ROOT

SUFFIX = EXTENSION_SUFFIXES[0]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def module(tmp_path):
    """A source and a (never loaded) compiled file beside it."""
    source = tmp_path / "mod.py"
    source.write_text("X = 1\n", encoding="utf-8")
    return source, tmp_path / f"mod{SUFFIX}"


def test_a_module_is_served_compiled_while_its_source_is_unchanged(module):
    source, compiled = module
    finder = native.NativeFinder({"pkg.mod": (compiled, _sha(source), source)})
    spec = finder.find_spec("pkg.mod")
    assert spec.origin == str(compiled) and isinstance(spec.loader, ExtensionFileLoader)
    assert finder.loaded == ["pkg.mod"]


@pytest.mark.parametrize("edit", ["X = 2\n", "X = 1\n# a comment\n", ""])
def test_an_edited_source_runs_instead(module, edit):
    source, compiled = module
    finder = native.NativeFinder({"pkg.mod": (compiled, _sha(source), source)})
    source.write_text(edit, encoding="utf-8")
    assert finder.find_spec("pkg.mod") is None and finder.loaded == []


def test_a_missing_source_and_other_modules_are_left_to_python(module):
    source, compiled = module
    finder = native.NativeFinder({"pkg.mod": (compiled, _sha(source), source)})
    assert finder.find_spec("pkg.other") is None
    source.unlink()
    assert finder.find_spec("pkg.mod") is None


def test_the_manifest_gives_only_files_built_for_this_interpreter(tmp_path):
    folder, package = tmp_path / "_native", tmp_path / "pipeline"
    folder.mkdir()
    (folder / f"items.acts{SUFFIX}").write_bytes(b"")
    (folder / "items.build.cpython-29-x86_64-linux-gnu.so").write_bytes(b"")  # another Python
    (folder / "manifest.json").write_text(json.dumps({
        "pipeline.items.acts": {"file": f"items.acts{SUFFIX}", "source": "a"},
        "pipeline.items.build": {"file": "items.build.cpython-29-x86_64-linux-gnu.so", "source": "b"},
        "pipeline.records": {"file": f"records{SUFFIX}", "source": "c"},  # not built
    }), encoding="utf-8")
    assert native.entries(folder, package) == {
        "pipeline.items.acts": (folder / f"items.acts{SUFFIX}", "a", package / "items" / "acts.py")}


@pytest.mark.parametrize("manifest", [None, "", "{not json"])
def test_no_readable_manifest_means_no_compiled_module(tmp_path, manifest):
    if manifest is not None:
        (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    assert native.entries(tmp_path, tmp_path) == {}


BUILT = native.entries()
NOT_BUILT = "no compiled modules: the install had no Cython or C compiler, or XUNSHI_PURE is set"


@pytest.mark.skipif(not BUILT or not native.active(), reason=NOT_BUILT)
def test_the_install_runs_the_item_stage_compiled():
    compiled, digest, source = BUILT["pipeline.items.acts"]
    if _sha(source) != digest:
        pytest.skip("pipeline/items/acts.py was edited since the build: pip install -e . "
                    "compiles it again")
    import pipeline.items.acts as acts

    assert acts.__file__ == str(compiled) and "pipeline.items.acts" in native.compiled()


@pytest.mark.skipif(not BUILT, reason=NOT_BUILT)
def test_compiled_and_source_modules_give_the_same_outputs(tmp_path):
    """The bundled corpus extracted twice, compiled and from the sources: the same bytes."""
    outs = {}
    for name, pure in (("compiled", "0"), ("source", "1")):
        env = {**os.environ, native.PURE: pure, "XUNSHI_CACHE": str(tmp_path / f"cache-{name}")}
        subprocess.run([sys.executable, "-m", "pipeline", "extract", str(ROOT / "corpora"),
                        "-o", str(tmp_path / name), "--force", "-q"],
                       cwd=tmp_path, env=env, check=True, capture_output=True)
        outs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).glob("*.jsonl"))}
    assert outs["compiled"].keys() == outs["source"].keys() and "items.jsonl" in outs["source"]
    assert len(outs["source"]["items.jsonl"]) > 1000
    for name, data in outs["source"].items():
        assert outs["compiled"][name] == data, name
