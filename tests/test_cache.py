"""The resume cache's key (`pipeline.run.cache`)."""
from __future__ import annotations

from pipeline.run.cache import package_files


def test_package_files_are_every_source_file_sorted_without_compiled_ones(tmp_path):
    for name in ["b.py", "a/z.j2", "a/y.py", "a/__pycache__/y.cpython-311.pyc", "c.pyc", "d.pyo",
                 "a/b/c.txt", "__pycache__/b.cpython-311.pyc",
                 "_native/items.acts.cpython-311-x86_64-linux-gnu.so", "_native/manifest.json"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert package_files(str(tmp_path)) == ["a/b/c.txt", "a/y.py", "a/z.j2", "b.py"]
