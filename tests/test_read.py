"""Reading: encodings detected, text never altered, bad files named with a reason."""
from __future__ import annotations

import os

import pytest

from pipeline.errors import InputError
from pipeline.reading.files import decode, find_files, load_manifest, read_file

TEXT = "省委巡视组反馈后2个月内报送整改情况。\r\n第二行  保留空格\n"
TRAD = "省委巡視組反饋後2個月內報送整改情況。\n"


@pytest.mark.parametrize("text, encoding, expected_enc", [
    (TEXT, "utf-8", "utf-8"),
    (TEXT, "utf-8-sig", "utf-8-sig"),
    (TEXT, "utf-16", "utf-16"),
    (TEXT, "gb18030", "gb18030"),
    (TEXT, "gbk", "gb18030"),
    (TRAD, "big5", "big5"),
    (TRAD * 5, "big5", "big5"),
])
def test_decode_keeps_text_exactly(text, encoding, expected_enc):
    decoded, enc = decode(text.encode(encoding), "x.txt")
    assert decoded == text
    assert enc == expected_enc


@pytest.mark.parametrize("data, code", [
    (b"", "empty"),
    (b"  \n\n ", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    (bytes(range(1, 32)) * 20, "binary"),
])
def test_bad_files_raise_with_code(tmp_path, data, code):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert exc.value.code == code
    assert str(p) in str(exc.value)


def test_unreadable_file(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text("省委", encoding="utf-8")
    p.chmod(0)
    if os.access(p, os.R_OK):  # root reads anything
        pytest.skip("running as root: permissions are not enforced")
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert exc.value.code == "unreadable"


def test_manifest_province_becomes_region(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "file,province,publish_date,title\n河北省.txt,河北省,2026-01-20,报告\n", encoding="utf-8")
    meta = load_manifest(tmp_path)
    assert meta["河北省.txt"] == {"province": "河北省", "region": "河北省",
                                 "publish_date": "2026-01-20", "title": "报告"}


def test_find_files_recursive_relative_and_sorted(tmp_path, monkeypatch):
    (tmp_path / "a b" / "子目录").mkdir(parents=True)
    for name in ("a b/子目录/二.txt", "a b/一.txt", "a b/skip.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "a b" / "loop").symlink_to(tmp_path / "a b")
    monkeypatch.chdir(tmp_path)
    from pathlib import Path
    shown = [s for _, s in find_files([Path("a b")])]
    assert shown == ["a b/一.txt", "a b/子目录/二.txt"]


def _code(path, **kwargs):
    with pytest.raises(InputError) as exc:
        read_file(path, **kwargs)
    assert str(path) in str(exc.value)
    return exc.value.code


def test_utf16_with_bom_keeps_text(tmp_path):
    p = tmp_path / "utf16.txt"
    p.write_bytes(TEXT.encode("utf-16"))
    src = read_file(p)
    assert (src.text, src.encoding) == (TEXT, "utf-16")


def test_permission_denied_is_reported(tmp_path, monkeypatch):
    """Root reads anything, so the refusal is simulated where the bytes are read."""
    from pathlib import Path

    p = tmp_path / "locked.txt"
    p.write_text("省委", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert _code(p) == "unreadable"


def test_fifo_is_not_opened(tmp_path):
    p = tmp_path / "pipe.txt"
    os.mkfifo(p)
    assert _code(p) == "unreadable"


def test_directory_named_like_a_report(tmp_path):
    p = tmp_path / "folder.txt"
    p.mkdir()
    assert _code(p) == "unreadable"


def test_symlink_loop(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    assert _code(a) == "unreadable"
    assert [s for _, s in find_files([tmp_path])] == [str(a), str(b)]


def test_missing_file(tmp_path):
    assert _code(tmp_path / "nowhere.txt") == "unreadable"


def test_50_mb_text_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    line = "省委巡视组反馈后2个月内报送整改情况。\n".encode()
    with open(p, "wb") as fh:
        fh.write(line * (50 * 2**20 // len(line) + 1))
    assert _code(p) == "too_large"


def test_too_many_characters_is_refused(tmp_path, monkeypatch):
    import pipeline.reading.files as read

    monkeypatch.setattr(read, "MAX_CHARS", 10)
    p = tmp_path / "long.txt"
    p.write_text("省委巡视组反馈后2个月内报送整改情况。", encoding="utf-8")
    assert _code(p) == "too_large"


def test_path_with_spaces_and_chinese(tmp_path):
    d = tmp_path / "巡视 报告" / "第 二 批"
    d.mkdir(parents=True)
    p = d / "整改 情况.txt"
    p.write_text(TEXT, encoding="utf-8")
    assert read_file(p).text == TEXT
    assert [s for _, s in find_files([tmp_path])] == [str(p)]


@pytest.mark.parametrize("name", ["x.docx", "x.html", "x.htm", "x.pdf", "x.doc", "x.TXT"])
def test_find_files_lists_every_format(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    (tmp_path / "x.csv").write_bytes(b"x")
    assert [p.name for p, _ in find_files([tmp_path])] == [name]
