"""The HTML review page: highlights, evidence links, escaping, and a headless-browser check."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from pipeline.compare.report import Mark, build_report, highlight

from .aggregate_fixtures import COMPILATION_MENTIONS, body, compilation, item, quantity, write_outputs

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


def test_report_links_all_resolve(report):
    page = report.read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    hrefs = set(re.findall(r'href="#([^"]+)"', page))
    assert hrefs and hrefs <= ids


def test_report_cells_link_to_evidence(report):
    page = report.read_text(encoding="utf-8")
    assert page.count('class="evidence"') >= 10
    ev = re.search(r'<div class="evidence" id="(ev-m-\d+)">\s*<b>河北省 · 巡视巡察组 = 12个', page)
    assert ev and f'href="#{ev.group(1)}"' in page
    assert 'href="#d1-m0002"' in page  # the evidence entry leads to the mention in the text


def test_report_highlights_every_mention(report):
    page = report.read_text(encoding="utf-8")
    assert page.count('<mark class="k-') == len(COMPILATION_MENTIONS) + 3  # + the legend
    assert "value: 96.5" in page and "rule_id: quantity.test" in page


def test_report_practice_evidence_leads_to_the_item_in_the_text(report):
    page = report.read_text(encoding="utf-8")
    assert '<a class="item" id="d1-i0004"></a><mark class="k-body" id="d1-m0007"' in page
    assert 'href="#d1-i0004"' in page


def test_report_marks_region_segment_starts(report):
    page = report.read_text(encoding="utf-8")
    assert re.findall(r'<span class="seg" data-region="([^"]+)"', page) == [
        "region", "河北省", "吉林省"]  # the legend's, then one per segment


def test_report_without_source_text_says_so(tmp_path):
    out = compilation(tmp_path, source=False)
    page = build_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No text view: the source file is not available" in page
    assert page.count('<tr id="d1-m') == len(COMPILATION_MENTIONS)


def test_report_of_a_changed_source_file_shows_no_stale_text(tmp_path):
    out = compilation(tmp_path)
    (tmp_path / "src" / "汇编.txt").write_text("改过的文字", encoding="utf-8")
    page = build_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "the source file has changed since extraction" in page


def _hostile_outputs(tmp_path):
    doc = {"name": "x<script>.txt", "text": HOSTILE, "title": '"><img src=x onerror=alert(3)>',
           "regions": [("河北省", "省委派出", "（甲省委）")],
           "mentions": [body("省委", '河北省委"><script>alert(4)</script>', "responsible"),
                        quantity("3个", 3, "个", '巡视组<img src=x onerror=alert(5)>')],
           "items": [item("省委派出3个巡视组", "派出", ['<script>alert(6)</script>'],
                          ['河北省委"><script>alert(4)</script>'], id="i0001")]}
    return write_outputs(tmp_path, [doc])


def test_report_escapes_everything_from_the_input(tmp_path):
    page = build_report(_hostile_outputs(tmp_path), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page


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


def test_report_in_browser_highlights_and_no_errors(browser, tmp_path):
    extra = {"name": "另一.txt", "text": "省委抽调干部20名。（乙省委）", "regions": [("吉林省", "省委", "（乙省委）")],
             "mentions": [body("省委", "吉林省委", "responsible"), quantity("20名", 20, "名", "干部")]}
    report = build_report(compilation(tmp_path, extra=[extra]), tmp_path / "report.html")
    page, problems = _open(browser, report)
    for key, n in (("d1", len(COMPILATION_MENTIONS)), ("d2", 2)):
        assert page.locator(f"#{key} .text mark[data-mid]").count() == n
    page.click("#metrics a >> nth=0")
    assert page.locator(".evidence:target li").count() >= 1
    assert problems == []
    page.close()


def test_hostile_text_appears_as_text_in_browser(browser, tmp_path):
    report = build_report(_hostile_outputs(tmp_path), tmp_path / "report.html")
    page, problems = _open(browser, report)
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
    page = build_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<span title="action: 派出' in page
