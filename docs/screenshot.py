"""Regenerates `docs/overview.png`, the README's picture of the report's overview.

    xunshi extract ../shared/corpora/gov-reports-2026 -o out/gov
    python docs/screenshot.py out/gov            # → docs/overview.png

It builds `report.html` for the output folder and photographs its top with the system's headless
Chromium (Debian package `chromium`) through the `playwright` package; no browser is downloaded.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 1000) -> Path:
    """The top `width` × `height` pixels of a page, as PNG."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(html.resolve().as_uri())
        page.screenshot(path=str(png))
        browser.close()
    return png


def main(out_dir: str) -> None:
    from pipeline.compare.report import build_report

    html = build_report(Path(out_dir), Path(out_dir) / "report.html")
    print(screenshot(html, Path(__file__).resolve().parent / "overview.png"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "outputs")
