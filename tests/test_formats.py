"""Formats: .docx, .html and .pdf give their text; .doc and scans are refused with a reason."""
from __future__ import annotations

import io

import docx
import pytest

from pipeline.errors import InputError
from pipeline.reading.files import read_file

PARAS = ["中共某某市委关于巡视整改进展情况的通报", "一、提高政治站位", "市委召开常委会会议12次，制定整改措施58条。"]
PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>整改通报_某某省纪委监委网站</title></head>
<body><div class="nav"><a href="/">首页</a> | <a href="/a">要闻</a> | <a href="/b">巡视巡察</a></div>
<div class="article"><h1>{0}</h1><p>根据省委统一部署，省委第三巡视组对某某市进行了巡视，并向市委反馈了意见。</p>
<h2>{1}</h2><p>{2}</p><p>对巡视反馈的问题逐项建立台账，明确责任单位和完成时限，实行销号管理。</p>
<p>坚持边巡边改、立行立改，对能够立即解决的问题马上整改，对需要长期坚持的问题持续推进。</p>
<h2>二、下一步工作打算</h2><p>持续巩固整改成果，建立长效机制，确保问题整改到位，坚决防止反弹回潮。</p></div>
<div class="footer">版权所有 某某省纪委监委 联系我们 网站地图</div></body></html>"""


def make_pdf(pages):
    """A minimal PDF whose text layer holds `pages` (any Unicode in the BMP; `\n` starts a line)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap CMapName currentdict "
            b"/CMap defineresource pop end end")
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H "
               b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
            4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            5: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap)}
    kids = []
    for i, text in enumerate(pages):
        page, content = 6 + 2 * i, 7 + 2 * i
        shows = b" 0 -14 Td ".join(b"<%s> Tj" % line.encode("utf-16-be").hex().encode()
                                   for line in text.split("\n"))
        stream = b"BT /F1 12 Tf 50 700 Td %s ET" % shows if text else b""
        objs[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                      b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
        objs[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        kids.append(b"%d 0 R" % page)
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (n, objs[n])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in sorted(objs))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def make_docx(paras=PARAS, table=(("问题", "措施"), ("落实不力", "限期整改")), title="整改通报") -> bytes:
    d = docx.Document()
    d.core_properties.title = title
    for p in paras[:2]:
        d.add_paragraph(p)
    t = d.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, cell in enumerate(row):
            t.cell(r, c).text = cell
    for p in paras[2:]:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _read(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    return read_file(p)


def _error(tmp_path, name, data):
    with pytest.raises(InputError) as exc:
        _read(tmp_path, name, data)
    assert name in str(exc.value)
    return exc.value


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    src = _read(tmp_path, "通报.docx", make_docx())
    assert src.text == "\n".join([*PARAS[:2], "问题\t措施", "落实不力\t限期整改", *PARAS[2:]])
    assert (src.encoding, src.meta["title"]) == ("docx", "整改通报")


def test_manifest_title_wins_over_the_files_own(tmp_path):
    p = tmp_path / "通报.docx"
    p.write_bytes(make_docx())
    assert read_file(p, meta={"title": "清单标题"}).meta["title"] == "清单标题"


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_main_text_with_headings_without_navigation(tmp_path, charset):
    page = PAGE.format(*PARAS, charset=charset).encode(charset)
    src = _read(tmp_path, "page.html", page)
    for p in [*PARAS, "二、下一步工作打算"]:
        assert p in src.text
    for nav in ("首页", "网站地图", "版权所有"):
        assert nav not in src.text
    assert src.encoding == "html"


def test_htm_suffix_is_html(tmp_path):
    assert PARAS[2] in _read(tmp_path, "page.HTM", PAGE.format(*PARAS, charset="utf-8").encode()).text


def test_pdf_text_layer_pages_joined_by_newline(tmp_path):
    src = _read(tmp_path, "报告.pdf", make_pdf(["省委巡视组反馈后2个月内报送整改情况。", "增加编制30个，新设处室2个。"]))
    assert src.text == "省委巡视组反馈后2个月内报送整改情况。\n增加编制30个，新设处室2个。"
    assert src.encoding == "pdf"


@pytest.mark.parametrize("name, data, code, says", [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported", "save it as .docx"),
    ("renamed.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported", ".doc renamed"),
    ("truncated.docx", make_docx()[:1500], "corrupt", "damaged zip container"),
    ("notzip.docx", "省委巡视组".encode(), "corrupt", "no zip signature"),
    ("scan.pdf", make_pdf(["", ""]), "no_text", "run OCR first"),
    ("pageno.pdf", make_pdf(["1", "2"]), "no_text", "text layer"),
    ("truncated.pdf", make_pdf(["省委巡视组反馈后2个月内报送整改情况。" * 3])[:300], "corrupt", "cannot read as .pdf"),
    ("fake.pdf", "省委巡视组".encode(), "corrupt", "no %PDF- signature"),
    ("script.html", b"<html><head><script>var a = 1;</script></head><body> </body></html>", "no_text",
     "no main text"),
    ("empty.html", b" ", "no_text", "no main text"),
])
def test_unreadable_formats_say_why(tmp_path, name, data, code, says):
    err = _error(tmp_path, name, data)
    assert err.code == code
    assert says in err.message


def test_text_command_prints_what_offsets_refer_to(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    p = tmp_path / "通报.docx"
    p.write_bytes(make_docx())
    res = CliRunner().invoke(main, ["text", str(p)])
    assert res.exit_code == 0
    assert res.output == read_file(p).text


def zip_bomb(parts: int = 1, megabytes: int = 2) -> bytes:
    """A .docx whose document.xml unpacks to `megabytes` of empty paragraphs (a few KB packed)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(make_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>")
                data = head + b"<w:body>" + b"<w:p/>" * (megabytes * 2**20 // 6) + tail
            z.writestr(info.filename, data)
        for i in range(parts - 1):
            z.writestr(f"customXml/extra{i}.xml", b"<a/>")
    return out.getvalue()


@pytest.mark.parametrize("limits, data", [
    ({"MAX_UNZIPPED_XML": 2**20}, zip_bomb()),   # XML that would cost its parser ~36× its size
    ({"MAX_UNZIPPED": 2**20}, zip_bomb()),
    ({"MAX_PARTS": 20}, zip_bomb(parts=30, megabytes=0)),
])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch, limits, data):
    from pipeline.reading import formats

    for name, value in limits.items():
        monkeypatch.setattr(formats, name, value)
    assert len(data) < 64 * 1024
    err = _error(tmp_path, "bomb.docx", data)
    assert (err.code, "more than a report can hold" in err.message) == ("too_large", True)


@pytest.mark.parametrize("name, module", [("page.html", "trafilatura"), ("r.pdf", "pypdf"),
                                          ("r.docx", "docx")])
def test_a_missing_reader_library_is_an_installation_error(tmp_path, monkeypatch, name, module):
    """An ImportError is the installation's fault: never a `corrupt` file."""
    import sys

    from pipeline.errors import Exit, InstallError
    from pipeline.reading.formats import check_installed

    data = {"page.html": PAGE.format(*PARAS, charset="utf-8").encode(), "r.pdf": make_pdf(["省委"]),
            "r.docx": make_docx()}[name]
    monkeypatch.setitem(sys.modules, module, None)  # import fails as for an uninstalled package
    with pytest.raises(InstallError) as exc:
        _read(tmp_path, name, data)
    assert exc.value.exit == Exit.INSTALL and module in str(exc.value)
    with pytest.raises(InstallError):
        check_installed([name[name.rindex("."):]])
