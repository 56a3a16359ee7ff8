"""The HTML review page: highlights, evidence links, escaping, and a headless-browser check."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from pipeline.compare.docview import Mark, highlight
from pipeline.compare.report import build_report

from .aggregate_fixtures import (COMPILATION_ITEMS, COMPILATION_MENTIONS, REGION_A, body,
                                 compilation, item, quantity, write_outputs)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"]

HOSTILE = '标题<script>alert(1)</script>\n省委派出3个巡视组"><img src=x onerror=alert(2)>。（甲省委）\n'


def _marks(spans):
    return [Mark(s, e, "quantity", f"a{i}", "t", i) for i, (s, e) in enumerate(spans)]


@pytest.mark.parametrize("text, spans, expected", [
    ("派出12个组", [(2, 5)], '派出<mark class="k-quantity" id="a0" data-mid="a0" title="t">12个</mark>组'),
    ("省委巡视组", [(0, 5), (0, 2)],
     '<mark class="k-quantity" id="a0" data-mid="a0" title="t">'
     '<mark class="k-quantity" id="a1" data-mid="a1" title="t">省委</mark>巡视组</mark>'),
    ("甲乙丙丁", [(0, 3), (2, 4)],
     '<mark class="k-quantity" id="a0" data-mid="a0" title="t">甲乙'
     '<mark class="k-quantity" id="a1" data-mid="a1" title="t">丙</mark></mark>丁'),
    ("<b>&", [(0, 3)], '<mark class="k-quantity" id="a0" data-mid="a0" title="t">&lt;b&gt;</mark>&amp;'),
    ("甲乙", [(1, 1)], '甲<mark class="k-quantity" id="a0" data-mid="a0" title="t"></mark>乙'),
])
def test_highlight_nests_cuts_and_escapes(text, spans, expected):
    assert str(highlight(text, _marks(spans))) == expected


@pytest.mark.parametrize("spans", [
    [(0, 4), (1, 3), (1, 2), (2, 6), (5, 7), (7, 7), (0, 8)],
    [(3, 5), (3, 5), (4, 6), (0, 1)],
])
def test_highlight_gives_one_element_per_mark_and_keeps_text(spans):
    text = "巡视巡察上下联动全覆盖"
    out = str(highlight(text, _marks(spans)))
    assert out.count("<mark ") == out.count("</mark>") == len(spans)
    assert re.sub(r"<[^>]+>", "", out) == text


@pytest.fixture
def report(tmp_path):
    return build_report(compilation(tmp_path), tmp_path / "out" / "report.html")


def pages(index):
    """Every page of a report: the index, then the pages of its folder by name."""
    folder = index.with_name(f"{index.stem}_files")
    return {p.relative_to(index.parent).as_posix(): p.read_text(encoding="utf-8")
            for p in [index, *sorted(folder.glob("*.html"))]}


def _targets(index) -> list[tuple[str, str, str]]:
    """(page, target page, anchor) of every local link of the report."""
    found = []
    for name, html in pages(index).items():
        here = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        for href in re.findall(r'href="([^"]+)"', html):
            if href.startswith("data:"):
                continue
            target, _, anchor = href.partition("#")
            path = os.path.normpath(here + target) if target else name
            found.append((name, path, anchor))
    return found


def test_report_links_all_resolve(report):
    all_pages = pages(report)
    ids = {name: set(re.findall(r'\bid="([^"]+)"', html)) for name, html in all_pages.items()}
    links = _targets(report)
    assert len(links) > 20
    for page, target, anchor in links:
        assert target in all_pages, (page, target)
        assert not anchor or anchor in ids[target], (page, target, anchor)


def test_report_cells_link_to_evidence_and_back(report):
    all_pages = pages(report)
    index, ev = all_pages["report.html"], all_pages["report_files/ev-r1.html"]
    block = re.search(r'<div class="evidence" id="(ev-m-\d+)">\s*<b>河北省 · 巡视巡察组 = 12个', ev)
    assert block and f'href="report_files/ev-r1.html#{block.group(1)}"' in index
    assert f'<td id="c-{block.group(1)}" class="num"><a href="report_files/ev-r1.html#{block.group(1)}"' in index
    assert f'href="../report.html#c-{block.group(1)}"' in ev
    assert 'href="d1.html#d1-m0002"' in ev  # the evidence entry leads to the mention in the text


def test_report_index_holds_no_document_text(tmp_path):
    """The index does not grow with the documents' text: each document has its own page."""
    long = [{"name": f"长{i}.txt", "text": "省委派出3个巡视组。" + "巡视工作持续推进。" * 4000 + "（甲省委）",
             "regions": [(REGION_A, "省委派出", "（甲省委）")],
             "mentions": [quantity("3个", 3, "个", "巡视组")]} for i in range(4)]
    index = build_report(write_outputs(tmp_path, long), tmp_path / "r.html")
    sizes = {name: len(html.encode()) for name, html in pages(index).items()}
    assert sizes["r.html"] < 40_000 < min(sizes[f"r_files/d{i}.html"] for i in range(1, 5))


def test_report_highlights_every_mention(report):
    doc = pages(report)["report_files/d1.html"]
    assert doc.count('<mark class="k-') == len(COMPILATION_MENTIONS) + 3  # + the legend
    assert "value: 96.5" in doc and "rule_id: quantity.test" in doc


def test_document_page_lists_its_items_linked_to_the_text(report):
    doc = pages(report)["report_files/d1.html"]
    rows = re.findall(r'<tr id="t-(d1-i\d+)">', doc)
    assert rows == [f"d1-{it['id']}" for it in COMPILATION_ITEMS]
    assert '<td><a href="#d1-i0004" title="its place in the text">i0004</a></td><td>制定</td>' in doc
    assert '<a class="item" id="d1-i0004" href="#t-d1-i0004"' in doc
    assert "<th>text</th>" not in doc  # the clause is in the text above, a click away


def test_report_practice_evidence_leads_to_the_item_in_the_text(report):
    assert 'href="d1.html#d1-i0004"' in pages(report)["report_files/ev-r1.html"]


def test_report_marks_region_segment_starts(report):
    doc = pages(report)["report_files/d1.html"]
    assert re.findall(r'<span class="seg" data-region="([^"]+)"', doc) == [
        "region", "河北省", "吉林省"]  # the legend's, then one per segment


def test_report_filter_by_region_without_script(report):
    index = pages(report)["report.html"]
    assert "<script" not in index
    assert '<input type="radio" name="region-filter" id="f-r2" class="f"' in index
    assert '#f-r2:checked ~ main [data-r]:not(.r2) { display: none; }' in index
    assert re.search(r'<tr data-r class="r2"><td>吉林省</td>', index)
    assert '<li data-r class="r1 r2"><a href="report_files/d1.html">两地做法</a>' in index


def test_report_without_texts_says_so(tmp_path):
    """An output folder of an older xunshi has no texts.jsonl: the records are listed."""
    out = compilation(tmp_path, texts=False)
    doc = pages(build_report(out, tmp_path / "r.html"))["r_files/d1.html"]
    assert "No text view: the output folder has no texts.jsonl" in doc
    assert doc.count('<tr id="d1-m') == len(COMPILATION_MENTIONS)
    assert doc.count('<tr id="t-d1-i') == len(COMPILATION_ITEMS)
    assert "<td>省委巡视办制定整改措施88条</td>" in doc  # without the text, the clause is listed


def test_report_reads_the_text_of_the_outputs_not_the_source_file(tmp_path):
    """A source file changed (or gone) since extraction changes nothing: the text shown is the
    one the offsets refer to, from texts.jsonl."""
    out = compilation(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "汇编.txt").write_text("改过的文字", encoding="utf-8")
    doc = pages(build_report(out, tmp_path / "r.html"))["r_files/d1.html"]
    assert "改过的文字" not in doc and "要求被巡视党组织在" in doc


def test_report_replaces_its_pages_whole(tmp_path):
    out = compilation(tmp_path, extra=[{"name": "乙.txt", "text": "无内容。"}])
    index = build_report(out, tmp_path / "r.html")
    assert (tmp_path / "r_files" / "d2.html").is_file()
    docs = out / "documents.jsonl"
    docs.write_text(docs.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    build_report(out, index)
    assert not (tmp_path / "r_files" / "d2.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _hostile_outputs(tmp_path):
    doc = {"name": "x<script>.txt", "text": HOSTILE, "title": '"><img src=x onerror=alert(3)>',
           "regions": [("河北省", "省委派出", "（甲省委）")],
           "mentions": [body("省委", '河北省委"><script>alert(4)</script>', "responsible"),
                        quantity("3个", 3, "个", '巡视组<img src=x onerror=alert(5)>')],
           "items": [item("省委派出3个巡视组", "派出", ['<script>alert(6)</script>'],
                          ['河北省委"><script>alert(4)</script>'], id="i0001")]}
    return write_outputs(tmp_path, [doc])


def test_report_escapes_everything_from_the_input(tmp_path):
    all_pages = pages(build_report(_hostile_outputs(tmp_path), tmp_path / "r.html"))
    for name, page in all_pages.items():
        assert "<script" not in page.lower() and "<img" not in page.lower(), name
    doc = all_pages["r_files/d1.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in doc


# ---------------------------------------------------------------- in a real browser

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if os.environ.get("XUNSHI_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here (XUNSHI_REQUIRE_BROWSER) but not installed")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    if os.environ.get("XUNSHI_REQUIRE_BROWSER"):
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


def _open(browser, path):
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
            else problems.append(f"request {r.url}"))
    page.goto(path.as_uri())
    return page, problems


def test_report_in_browser_links_filter_and_no_errors(browser, tmp_path):
    extra = {"name": "另一.txt", "text": "省委抽调干部20名。（乙省委）", "regions": [("吉林省", "省委", "（乙省委）")],
             "mentions": [body("省委", "吉林省委", "responsible"), quantity("20名", 20, "名", "干部")]}
    report = build_report(compilation(tmp_path, extra=[extra]), tmp_path / "report.html")
    page, problems = _open(browser, report)
    page.click("#metrics td.num a >> nth=0")
    assert page.url.split("#")[0].endswith("report_files/ev-r1.html")
    assert page.locator(".evidence:target li").count() >= 1
    page.click(".evidence:target a.back")
    assert page.url.split("#")[0].endswith("report.html") and "#c-ev-" in page.url
    assert page.locator("#metrics tbody tr").count() == 2
    page.click('label[for="f-r2"]')
    assert [t.inner_text() for t in page.locator("#metrics tbody tr:visible td:first-child").all()] == ["吉林省"]
    assert page.locator("#documents li:visible").count() == 2  # the compilation and 另一
    page.click('label[for="f-all"]')
    assert page.locator("#metrics tbody tr:visible").count() == 2
    for key, n in (("d2", 2), ("d1", len(COMPILATION_MENTIONS))):
        page.goto(report.with_name("report_files").joinpath(f"{key}.html").as_uri())
        assert page.locator(f"#{key} .text mark[data-mid]").count() == n
    page.click("#t-d1-i0004 a")
    assert page.url.endswith("#d1-i0004")
    assert problems == []
    page.close()


def test_hostile_text_appears_as_text_in_browser(browser, tmp_path):
    report = build_report(_hostile_outputs(tmp_path), tmp_path / "report.html")
    page, problems = _open(browser, report.with_name("report_files") / "d1.html")
    text = page.locator("#d1 .text").inner_text()
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(2)>' in text
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 0
    assert problems == []
    page.close()


def test_report_with_records_of_an_unknown_document(tmp_path):
    """Records whose doc_id names no document are listed without a link, not a crash."""
    out = compilation(tmp_path)
    items = out / "items.jsonl"
    items.write_text(items.read_text(encoding="utf-8").replace('"doc_id": "src/汇编.txt"',
                                                               '"doc_id": ""', 1), encoding="utf-8")
    ev = pages(build_report(out, tmp_path / "r.html"))["r_files/ev-r1.html"]
    assert '<span title="action: 派出' in ev
