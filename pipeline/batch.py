"""Folders of reports → output files, going on through bad files, never leaving half a file.

Every output is written under a temporary name in the output folder and renamed into place
when complete, so an interrupted run leaves the previous good outputs untouched.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from . import __version__
from .errors import InputError
from .read import find_files, load_manifest, read_file
from .records import SCHEMA_VERSION, Document, ErrorRecord

OUTPUTS = ("documents", "mentions", "items", "errors")


def iter_sources(paths: list[Path]) -> Iterator:
    """Each report under `paths` as a `Source`, or the `InputError` that stopped it."""
    manifests: dict[Path, dict] = {}
    for path, shown in find_files(paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = load_manifest(folder)
        try:
            yield read_file(path, shown, manifests[folder].get(path.name))
        except InputError as exc:
            yield exc


def iter_documents(paths: list[Path], reference_date: dt.date | None = None,
                   region: str | None = None) -> Iterator:
    """Each report as a `Document`, or the error that stopped it (the run goes on)."""
    from .process import process

    for src in iter_sources(paths):
        if isinstance(src, Exception):
            yield src
            continue
        try:
            yield process(src, reference_date=reference_date, region=region)
        except RecursionError as exc:  # a pathological text must not stop the run
            yield InputError(src.path, f"extraction failed: {exc}", "failed")


class AtomicJsonl:
    """JSON Lines files written under temporary names and renamed only when complete."""

    def __init__(self, out: Path, names=OUTPUTS):
        self.out = out
        self.paths = {n: out / f"{n}.jsonl" for n in names}
        self.tmp = {n: out / f".{n}.jsonl.{os.getpid()}.tmp" for n in names}
        self._stack = ExitStack()
        self.fh = {}

    def __enter__(self):
        self.out.mkdir(parents=True, exist_ok=True)
        self.fh = {n: self._stack.enter_context(open(p, "w", encoding="utf-8"))
                   for n, p in self.tmp.items()}
        return self

    def write(self, name: str, record: dict) -> None:
        self.fh[name].write(json.dumps(record, ensure_ascii=False) + "\n")

    def __exit__(self, exc_type, exc, tb):
        self._stack.close()
        for name, tmp in self.tmp.items():
            if exc_type is None:
                os.replace(tmp, self.paths[name])
            else:
                tmp.unlink(missing_ok=True)
        return False


def write_document(w: AtomicJsonl, doc: Document) -> None:
    w.write("documents", doc.header())
    for m in doc.mentions:
        w.write("mentions", m.model_dump(mode="json"))
    for it in doc.items:
        w.write("items", it.model_dump(mode="json"))


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def run(paths: list[Path], out: Path, reference_date: dt.date | None = None,
        region: str | None = None, quiet: bool = False, **engine_options) -> dict:
    """Extract every report under `paths` into `out`; returns the run summary (`run.json`)."""
    from .rules import rules_hash

    t0, read, failed, chars = time.perf_counter(), 0, 0, 0
    with AtomicJsonl(out) as w:
        for result in iter_documents(paths, reference_date, region):
            if isinstance(result, InputError):
                failed += 1
                report_error(w, result, quiet)
                continue
            read += 1
            chars += result.chars
            write_document(w, result)
    summary = {"version": __version__, "schema_version": SCHEMA_VERSION, "rules_hash": rules_hash(),
               "inputs": [str(p) for p in paths], "documents": read, "failed": failed,
               "chars": chars, "seconds": round(time.perf_counter() - t0, 3)}
    write_json_atomic(out / "run.json", summary)
    return summary


def report_error(w: AtomicJsonl, err: InputError, quiet: bool) -> None:
    """One line on stderr naming the file and the reason, and a row in `errors.jsonl`."""
    print(f"xunshi: {err.path}: {err.message} [{err.code}]", file=sys.stderr)
    w.write("errors", ErrorRecord(path=err.path, code=err.code, message=err.message).model_dump())
