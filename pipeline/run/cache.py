"""The resume cache: one entry per extracted document, verified before it is trusted.

An entry `OUT/.cache/<sha256>-<key>.jsonl` holds a document's output lines (`name<TAB>json`).
Its first line states the length and SHA-256 of the rest and the document's counts; an entry
whose body does not match (torn by a crash of the disk, truncated, edited) is not used: the
document is extracted again and the entry rewritten. Entries are written whole or not at all.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.version import __version__
from pipeline.atomic import write_atomic

DOC_OUTPUTS = ("documents", "mentions", "items", "texts", "rectifications")
MAGIC = "xunshi-cache"
FORMAT = "4"  # 4: with the document's text and its ledger records


@dataclass(frozen=True)
class Entry:
    """What the summary needs of a cached document without reading its records."""

    path: Path
    chars: int
    mentions: int
    items: int


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of the package's own files: a changed extractor must not reuse old results."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]  # the whole package, not only run/
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def entry_path(cache: Path, sha: str, key: str, where: list) -> Path:
    """The entry of one file's bytes under `key`, for one path, id and manifest row (`where`)."""
    text = json.dumps(where, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256((key + text).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache / f"{sha}-{digest}.jsonl"


def write_entry(path: Path, lines: dict, chars: int) -> Entry:
    """A document's lines under a verified header, complete or absent."""
    body = "".join(f"{name}\t{line}\n" for name in DOC_OUTPUTS for line in lines[name]).encode("utf-8")
    counts = (chars, len(lines["mentions"]), len(lines["items"]))
    head = f"{MAGIC}\t{FORMAT}\t{len(body)}\t{hashlib.sha256(body).hexdigest()}\t" \
           + "\t".join(map(str, counts)) + "\n"
    write_atomic(path, lambda tmp: tmp.write_bytes(head.encode() + body))
    return Entry(path, *counts)


def read_entry(path: Path) -> Entry | None:
    """The entry at `path` if it is there and whole, else None (the document is redone)."""
    try:
        data = path.read_bytes()
        head, body = data.split(b"\n", 1)
        magic, fmt, size, digest, chars, mentions, items = head.decode("ascii").split("\t")
        whole = (magic, fmt) == (MAGIC, FORMAT) and int(size) == len(body) \
            and hashlib.sha256(body).hexdigest() == digest
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return Entry(path, int(chars), int(mentions), int(items)) if whole else None


def entry_lines(path: Path):
    """(output name, JSON line with its newline) of an entry, its header left out."""
    with open(path, encoding="utf-8") as fh:
        fh.readline()
        for row in fh:
            name, line = row.split("\t", 1)
            yield name, line


def run_key(options) -> str:
    """Rules, code and the options that change records; the time and memory budgets do not."""
    from pipeline.context import segment
    from pipeline.records import SCHEMA_VERSION
    from pipeline.rules import rules_hash

    parts = [rules_hash(), code_hash(), SCHEMA_VERSION, segment.backend(),
             str(options.reference_date), str(options.region), str(options.use_model)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
