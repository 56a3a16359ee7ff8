"""The resume cache: one entry per extracted document, verified before it is trusted.

An entry `OUT/.cache/<sha256>-<key>.jsonl` holds a document's output lines, one block of JSON
Lines per output file in the order of `DOC_OUTPUTS`. Its first line states the length and CRC-32
of the rest, the document's counts and the byte length of each block, so that the run copies a
block into its output file in one write instead of line by line; an entry whose body does not
match (torn by a crash of the disk, truncated, edited) is not used: the document is extracted
again and the entry rewritten. Entries are written whole or not at all.

The check is a CRC-32, not a SHA-256: it stands unkeyed beside the body, so it never stood
against a deliberate edit (whoever edits the body can write its digest too), and against the
accidents it is there for (a torn or truncated write, a flipped byte, an edit by hand) CRC-32
is what zip and PNG trust. It reads the 17 MB of entries of gov-reports-2026 in 4 ms, where
SHA-256 took 15 ms, once when they are written and once when a rerun reads them.
"""
from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.version import __version__
from pipeline.atomic import write_atomic

DOC_OUTPUTS = ("documents", "mentions", "items", "texts", "rectifications")
MAGIC = "xunshi-cache"
FORMAT = "6"  # 4: with the document's text and its ledger records; 5: a block per output;
# 6: CRC-32 for SHA-256


@dataclass(frozen=True)
class Entry:
    """What the summary needs of a cached document without reading its records, and where
    each output's block lies in the entry's body."""

    path: Path
    chars: int
    mentions: int
    items: int
    sizes: tuple[int, ...] = ()  # bytes of each block of DOC_OUTPUTS, in order


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of the package's own files: a changed extractor must not reuse old results."""
    h = hashlib.sha256(__version__.encode())
    root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the whole package
    for name in package_files(root):
        h.update(name.encode())
        with open(os.path.join(root, name), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def package_files(root: str) -> list[str]:
    """The files under `root` but compiled ones (bytecode, and the compiled modules of
    `_native/`, each used only while its source, hashed here, is unchanged), as sorted paths
    relative to it with `/`: listed by `os.walk` rather than `Path.rglob` and a `Path` a file, a
    third of what hashing the package cost every run."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", "_native")]
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        out += [f if rel == "." else f"{rel}/{f}" for f in files if not f.endswith((".pyc", ".pyo"))]
    return sorted(out)


def entry_path(cache: Path, sha: str, key: str, where: list) -> Path:
    """The entry of one file's bytes under `key`, for one path, id and manifest row (`where`)."""
    text = json.dumps(where, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256((key + text).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache / f"{sha}-{digest}.jsonl"


def write_entry(path: Path, blocks: dict[str, bytes], chars: int, mentions: int,
                items: int) -> Entry:
    """A document's blocks (`job.document_lines`) under a verified header, complete or absent,
    with its characters and the mentions and items its blocks hold (a record a line)."""
    counts = (chars, mentions, items)
    parts = [blocks[name] for name in DOC_OUTPUTS]
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    sizes = tuple(map(len, parts))
    head = "\t".join(map(str, (MAGIC, FORMAT, sum(sizes), f"{crc:08x}", *counts, *sizes)))

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.writelines([head.encode() + b"\n", *parts])

    write_atomic(path, write)
    return Entry(path, *counts, sizes)


def read_entry(path: Path) -> Entry | None:
    """The entry at `path` if it is there and whole, else None (the document is redone)."""
    try:
        data = path.read_bytes()
        head, body = data.split(b"\n", 1)
        magic, fmt, size, digest, *numbers = head.decode("ascii").split("\t")
        chars, mentions, items, *sizes = map(int, numbers)
        whole = (magic, fmt) == (MAGIC, FORMAT) and int(size) == len(body) == sum(sizes) \
            and len(sizes) == len(DOC_OUTPUTS) and f"{zlib.crc32(body):08x}" == digest
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return Entry(path, chars, mentions, items, tuple(sizes)) if whole else None


def entry_blocks(entry: Entry):
    """(output name, its block of JSON Lines as bytes) of an entry, in `DOC_OUTPUTS` order."""
    with open(entry.path, "rb") as fh:
        for name, _offset, size in block_spans(fh, entry):  # the blocks follow one another
            yield name, fh.read(size)


def block_spans(fh, entry: Entry) -> list[tuple[str, int, int]]:
    """(output name, offset, size) of each block of an entry opened as `fh`, in `DOC_OUTPUTS`
    order: where a block lies in the file, for a copy that does not read it."""
    at, spans = len(fh.readline()), []
    for name, size in zip(DOC_OUTPUTS, entry.sizes):
        spans.append((name, at, size))
        at += size
    return spans


def entry_lines(entry: Entry):
    """(output name, JSON line with its newline) of an entry, its header left out."""
    for name, block in entry_blocks(entry):
        for line in block.decode("utf-8").split("\n")[:-1]:  # JSON escapes every other line break
            yield name, line + "\n"


def run_key(options) -> str:
    """Rules, code and the options that change records; the time and memory budgets do not."""
    from pipeline.context import segment
    from pipeline.records import SCHEMA_VERSION
    from pipeline.rules import rules_hash

    parts = [rules_hash(), code_hash(), SCHEMA_VERSION, segment.backend(),
             str(options.reference_date), str(options.region), str(options.use_model)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
