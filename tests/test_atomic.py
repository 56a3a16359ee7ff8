"""Whole files or none: temporary names, renames, and the clean-up of dead writers' leftovers."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.atomic import remove_stale_temporaries, temporary, write_atomic, write_text_atomic


def test_a_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "tables.xlsx"
    path.write_text("old", encoding="utf-8")

    def broken(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomic(path, broken)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["tables.xlsx"]


def test_the_temporary_keeps_the_suffix_writers_choose_a_format_by():
    tmp = Path("out/tables.xlsx")
    assert temporary(tmp).suffix == ".xlsx"
    assert temporary(tmp).name.startswith(".tables.xlsx.")


@pytest.mark.parametrize("name, removed", [
    (".documents.jsonl.999999999.tmp.jsonl", True),     # a dead writer's
    (".documents.jsonl.999999999.tmp", True),           # the older form
    (f".documents.jsonl.{os.getppid()}.tmp.jsonl", False),  # a live process's
    (".notes.tmp.txt", False),                          # not ours
])
def test_stale_temporaries(tmp_path, name, removed):
    (tmp_path / name).write_text("x", encoding="utf-8")
    remove_stale_temporaries(tmp_path)
    assert (tmp_path / name).exists() is not removed


def test_text_is_written_whole(tmp_path):
    write_text_atomic(tmp_path / "run.json", "{}\n")
    assert (tmp_path / "run.json").read_text(encoding="utf-8") == "{}\n"
