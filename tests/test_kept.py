"""Tables kept across runs in the cache folder: written whole, read back, ignored when damaged."""
from __future__ import annotations

import pytest

from pipeline import kept as kept_module
from pipeline.kept import KeptTable


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    return KeptTable("test", b"xunshi-test-1", lambda: "build A")


def test_a_saved_entry_is_known_to_the_next_process(table):
    table.added["整改"] = (1, 2)
    table.save()
    table.forget()
    assert table.known == {"整改": (1, 2)} and not table.added


@pytest.mark.parametrize("damage", [lambda b: b[:-3] + b"xyz", lambda b: b"other-format" + b[13:],
                                    lambda b: b""])
def test_a_damaged_or_foreign_file_reads_as_empty(table, damage):
    table.added["巡视"] = 1
    table.save()
    path = table.path()
    path.write_bytes(damage(path.read_bytes()))
    table.forget()
    assert table.known == {}


def test_another_build_has_its_own_file(table, tmp_path):
    table.added["k"] = 1
    table.save()
    other = KeptTable("test", b"xunshi-test-1", lambda: "build B")
    assert other.path() != table.path() and other.known == {}


def test_no_table_without_a_cache_folder_or_a_build(monkeypatch, tmp_path):
    monkeypatch.setenv("XUNSHI_CACHE", "off")
    off = KeptTable("test", b"xunshi-test-1", lambda: "build A")
    off.added["k"] = 1
    off.save()  # nothing to write to, no error
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    assert KeptTable("test", b"xunshi-test-1", lambda: None).path() is None


def test_pruning_drops_unused_entries_once_they_outnumber_the_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    table = KeptTable("test", b"xunshi-test-1", lambda: "build A", prune=True)
    table.added.update({f"old{k}": k for k in range(9)})
    table.save()
    table.forget()
    table.added["new"] = 0
    table.save()
    table.forget()
    assert table.known == {"new": 0}


def test_save_all_saves_every_table_made_by_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    monkeypatch.setattr(kept_module, "TABLES", [])
    a = kept_module.kept("one", b"xunshi-one-1", lambda: "build")
    b = kept_module.kept("two", b"xunshi-two-1", lambda: "build")
    a.added["甲"], b.added["乙"] = 1, 2
    kept_module.save_all()
    a.forget(), b.forget()
    assert (a.known, b.known) == ({"甲": 1}, {"乙": 2})
