"""Photographs the top of a report's index page, e.g. the README's picture of the overview.

    xunshi extract examples/provinces -o outputs/provinces
    python docs/screenshot.py outputs/provinces                        # → outputs/provinces/overview.png
    python docs/screenshot.py outputs/provinces -o docs/overview.png   # refresh the README's picture

It builds `report.html` for the output folder and photographs its top with the system's headless
Chromium (Debian package `chromium`) through the `playwright` package; no browser is downloaded.
The picture goes into the output folder unless `-o` names another file: the tracked
`docs/overview.png` is only replaced when asked for by name.
"""
from __future__ import annotations

import argparse
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


def target(out_dir: Path, png: Path | None) -> Path:
    """Where the picture goes: `-o` if given, else `overview.png` in the output folder."""
    return png if png is not None else Path(out_dir) / "overview.png"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path, help="an output folder of `xunshi extract`")
    ap.add_argument("-o", "--output", type=Path, default=None,
                    help="the PNG to write (default: OUT_DIR/overview.png)")
    a = ap.parse_args(argv)
    from pipeline.compare.report import build_report

    html = build_report(a.out_dir, a.out_dir / "report.html")
    print(screenshot(html, target(a.out_dir, a.output)))


if __name__ == "__main__":
    main()
