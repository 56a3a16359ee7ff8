"""Writing compare's and report's files: all renamed together, or none and nothing left."""
from __future__ import annotations

import errno

import pytest

from pipeline.compare.writing import Staged, reason, remove_stale_folders
from pipeline.errors import OutputError


def test_all_or_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    with pytest.raises(OutputError, match="b.txt: disk full"):
        with Staged() as staged:
            staged.write(tmp_path / "a.txt", lambda p: p.write_text("new a", encoding="utf-8"))

            def full(p):
                raise OSError(errno.ENOSPC, "No space left on device")

            staged.write(tmp_path / "b.txt", full)
            staged.commit()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_folder_is_replaced_whole(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "old.html").write_text("x", encoding="utf-8")

    def pages(p):
        p.mkdir()
        (p / "new.html").write_text("y", encoding="utf-8")

    with Staged() as staged:
        staged.write(tmp_path / "pages", pages, folder=True)
        staged.commit()
    assert [p.name for p in (tmp_path / "pages").iterdir()] == ["new.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]


def test_folders_of_killed_writers_are_removed(tmp_path):
    dead, live = tmp_path / ".pages.999999999.tmpdir", tmp_path / ".pages.1.tmpdir"
    for p in (dead, live):
        p.mkdir()
    remove_stale_folders(tmp_path / "pages")
    assert not dead.exists() and live.exists()


@pytest.mark.parametrize("exc, expected", [
    (OSError(errno.ENOSPC, "x"), "disk full (no space left on the device)"),
    (OSError(errno.EROFS, "x"), "read-only file system"),
    (RuntimeError('IO Error: Could not write file "x": No space left on device'),
     "disk full (no space left on the device)"),
    (RuntimeError("something else\nsecond line"), "something else"),
])
def test_reason(exc, expected):
    assert reason(exc) == expected
