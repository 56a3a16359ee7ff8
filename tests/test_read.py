"""Reading: encodings detected, text never altered, bad files named with a reason."""
from __future__ import annotations

import os

import pytest

from pipeline.errors import InputError
from pipeline.reading.files import decode, find_files, read_file, walk

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


def test_file_names_that_are_not_utf8_are_read_and_shown_decoded(tmp_path):
    """GBK names from a zip made on Chinese Windows: the OS gives bytes, which stay the path."""
    folder = os.fsencode(tmp_path)
    for raw in ("巡视报告.txt".encode("gbk"), b"\xff\xfe.txt"):
        with open(os.path.join(folder, raw), "wb") as fh:
            fh.write(TEXT.encode("utf-8"))
    found = walk([tmp_path])
    assert sorted(f.doc_id for f in found) == ["\\xff\\xfe.txt", "巡视报告.txt"]
    for f in found:
        f.shown.encode("utf-8")  # printable, storable
        assert read_file(f.path, f.shown).text == TEXT


def test_a_link_out_of_the_input_folder_is_not_followed(tmp_path):
    inside, private = tmp_path / "reports", tmp_path / "private"
    inside.mkdir()
    private.mkdir()
    (private / "secret.txt").write_text("省委", encoding="utf-8")
    (inside / "a.txt").write_text(TEXT, encoding="utf-8")
    (inside / "b.txt").symlink_to(inside / "a.txt")
    (inside / "leak.txt").symlink_to(private / "secret.txt")
    got = {f.doc_id: f.problem.code if f.problem else None for f in walk([inside])}
    assert got == {"a.txt": None, "b.txt": None, "leak.txt": "outside"}


def test_the_output_folder_and_other_runs_are_never_input(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    for out in ("out", "old-run"):
        (tmp_path / out).mkdir()
        (tmp_path / out / "report.html").write_text("<p>省委12个</p>", encoding="utf-8")
    (tmp_path / "old-run" / "run.json").write_text('{"rules_hash": "x", "schema_version": "1.0"}',
                                                   encoding="utf-8")
    assert [f.doc_id for f in walk([tmp_path], exclude=[tmp_path / "out"])] == ["a.txt"]


@pytest.mark.parametrize("head", ['<meta name="generator" content="xunshi 0.1">', "<title>xunshi report</title>"])
def test_an_xunshi_report_written_into_the_input_is_not_read(tmp_path, head):
    p = tmp_path / "report.html"
    p.write_text(f"<html><head>{head}</head><body><p>省委巡视组反馈后2个月内报送整改情况。</p></body></html>",
                 encoding="utf-8")
    assert _code(p) == "own_output"
