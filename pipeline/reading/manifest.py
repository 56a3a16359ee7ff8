"""A folder's `manifest.csv`: per-document metadata, decoded like reports and checked row by row.

Columns: `file` (required) and any of `region`/`province`, `publish_date`, `year`, `title`,
`feedback_date` (the date an inspection fed back, for deadlines counted from it).
A manifest saved by Excel on Chinese Windows is GBK: it is decoded as reports are (BOM,
UTF-8, GB18030, Big5). Every problem (no `file` column, a date that is no date, a region that
is no province-level region, a row naming a file that is not there, a file named twice, a
field too long) is one `Problem` naming the row and the reason: the caller reports it on
stderr and in `errors.jsonl`, and the run goes on with what is valid.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError

NAME = "manifest.csv"
MAX_VALUE = 2_000  # characters of one field (a title, a region); longer ones are dropped
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a manifest, for stderr and `errors.jsonl` (code `manifest`)."""

    path: str
    message: str
    code: str = "manifest"


@dataclass
class Manifest:
    """Rows keyed by file name, and what was wrong with the file."""

    rows: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_manifest(folder: Path, shown: str | None = None, files: set[str] | None = None) -> Manifest:
    """`folder/manifest.csv` read and validated; `files` are the report names in the folder
    (rows that match none are reported)."""
    from pipeline.reading.files import decode, read_bytes

    path = Path(folder) / NAME
    where = f"{shown if shown is not None else folder}/{NAME}"
    out = Manifest()
    if not path.is_file():
        return out
    try:
        text, _ = decode(read_bytes(path, where), where)
    except InputError as exc:
        out.problems.append(Problem(where, f"{exc.message}: manifest ignored"))
        return out
    rows = _rows(text, where, out)
    for n, row in rows:
        _add(out, where, n, row, files)
    return out


def _rows(text: str, where: str, out: Manifest) -> list[tuple[int, dict]]:
    """The rows as dicts with stripped, lower-case column names, numbered as in a spreadsheet."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a long field is reported below, not fatal
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        reader.fieldnames = [(c or "").strip().lower() for c in reader.fieldnames or []]
        if "file" not in reader.fieldnames:
            cols = ", ".join(c for c in reader.fieldnames if c) or "none"
            out.problems.append(Problem(where, f"no `file` column (columns: {cols}): manifest ignored"))
            return []
        return [(n, row) for n, row in enumerate(reader, 2)]
    except csv.Error as exc:
        out.problems.append(Problem(where, f"not a readable CSV file ({exc}): manifest ignored"))
        return []
    finally:
        csv.field_size_limit(limit)


def _add(out: Manifest, where: str, n: int, row: dict, files: set[str] | None) -> None:
    name = (row.get("file") or "").strip()
    if not name:
        return
    say = lambda msg: out.problems.append(Problem(where, f"row {n} ({name}): {msg}"))  # noqa: E731
    if name in out.rows:
        say("the file is named again: this row is ignored")
        return
    if files is not None and name not in files:
        say("no such report in the folder: row ignored")
        return
    meta = {}
    for key, value in row.items():
        value = value.strip() if isinstance(value, str) else ""
        if not key or key == "file" or not value:
            continue
        if len(value) > MAX_VALUE:
            say(f"`{key}` is longer than {MAX_VALUE} characters: ignored")
            continue
        checked = _check(key, value)
        if checked is None:
            say(f"`{key}` {value[:40]!r} is not {EXPECTED[key]}: ignored")
        else:
            meta[key] = checked
    if not meta.get("region") and meta.get("province"):
        meta["region"] = meta["province"]
    out.rows[name] = meta


EXPECTED = {"publish_date": "a date (YYYY-MM-DD)", "feedback_date": "a date (YYYY-MM-DD)",
            "year": "a year (YYYY)",
            "region": "a province-level region", "province": "a province-level region"}


def _check(key: str, value: str) -> str | None:
    """The value as records hold it, or None when it is not what the column means."""
    if key in ("publish_date", "feedback_date"):
        return iso_date(value)
    if key == "year":
        return value if re.fullmatch(r"\d{4}", value) and 1949 <= int(value) <= 2100 else None
    if key in ("region", "province"):
        return province(value)
    return value


def iso_date(value: str) -> str | None:
    """`2026-01-20`, `2026/1/20`, `2026.1.20`, `2026年1月20日` (a time after it is ignored)."""
    m = DATE.fullmatch(value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def province(value: str) -> str | None:
    """The province-level region a manifest names (`河北`, `河北省`, `河北省委` → `河北省`),
    by the gazetteer the text's regions are found with (`rules/divisions.tsv`)."""
    from pipeline.context import regions
    from pipeline.context.view import normalize

    view = normalize(value).view.strip()
    place = regions.stage().place_at(view, 0)
    if place is None or not place.province:
        return None
    rest = view[place.end:]
    return place.province if not rest or place.actor else None
