"""Files → text exactly as decoded, with the metadata a folder's `manifest.csv` gives.

The decoded text is never altered (no newline or space changes, a BOM is dropped as it is not
part of the text), so offsets into it are stable for every later stage and for the scorer.
Other formats (.docx, .html, .pdf) go through `formats`; their offsets refer to the text it
extracts, which `xunshi text FILE` prints.

Reading is two steps so a batch run can hash the bytes (its cache key) before paying for the
decoding: `read_bytes` (cheap, I/O only) then `to_source` (decoding, format extraction).
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.reading.formats import READERS, extract
from pipeline.reading.formats import SUFFIXES as FORMAT_SUFFIXES

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY = ("gb18030", "big5")
MAX_BYTES = 32 * 1024 * 1024  # files above this are refused before reading (`too_large`)
MAX_CHARS = 2_000_000  # about 60× the longest report seen; one worker's memory stays bounded
CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r
TEXT_SUFFIXES = (".txt",)
SUFFIXES = (*TEXT_SUFFIXES, *FORMAT_SUFFIXES)


@dataclass(frozen=True)
class Source:
    """A report as read: its text, where it came from and what the manifest says of it."""

    path: str
    text: str
    sha256: str
    encoding: str
    meta: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return Path(self.path).name


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Detect the encoding (BOM, UTF-8, then GB18030 or Big5) and decode strictly."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            return _strict(data, enc, path), enc
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary file (NUL bytes), not a text report", "binary")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy(data, path)


def _strict(data: bytes, enc: str, path: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {enc} at byte {exc.start}", "undecodable") from exc


def _legacy(data: bytes, path: str) -> tuple[str, str]:
    """GB18030 and Big5 both decode many byte strings: let language statistics choose."""
    from charset_normalizer import from_bytes

    ok = [enc for enc in LEGACY if _decodes(data, enc)]
    if not ok:
        raise InputError(path, "not UTF-8, UTF-16, GB18030 or Big5 text", "undecodable")
    enc = ok[0]
    if len(ok) > 1:
        best = from_bytes(data, cp_isolation=list(LEGACY)).best()
        enc = best.encoding if best and best.encoding in ok else enc
    return data.decode(enc), enc


def _decodes(data: bytes, enc: str) -> bool:
    try:
        data.decode(enc)
    except UnicodeDecodeError:
        return False
    return True


def read_file(path: Path, shown: str | None = None, meta: dict | None = None) -> Source:
    """Read one report; every failure is an `InputError` naming the file and the reason."""
    shown = shown or str(path)
    return to_source(read_bytes(path, shown), shown, meta, Path(path).suffix)


def to_source(data: bytes, shown: str, meta: dict | None = None, suffix: str = ".txt") -> Source:
    """A file's bytes as a `Source`: decoded text, or the text its format reader extracts."""
    meta = dict(meta or {})
    suffix = suffix.lower()
    if suffix in FORMAT_SUFFIXES:
        got = extract(data, suffix, shown)
        text, enc = got.text, got.encoding
        if got.title and not meta.get("title"):
            meta["title"] = got.title
    else:
        text, enc = decode(data, shown)
    if not text.strip():
        raise InputError(shown, "empty file" if suffix not in READERS else "no text in the file", "empty")
    if suffix not in READERS and _looks_binary(text):
        raise InputError(shown, "binary content (control characters), not a text report", "binary")
    if len(text) > MAX_CHARS:
        raise InputError(shown, f"{len(text)} characters, more than the {MAX_CHARS} one report may have",
                         "too_large")
    return Source(shown, text, hashlib.sha256(data).hexdigest(), enc, meta)


def read_bytes(path: Path, shown: str | None = None) -> bytes:
    """The bytes of a regular file under the size limit; FIFOs and devices are never opened."""
    shown = shown or str(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise InputError(shown, f"{kind}, not a report", "unreadable")
        if st.st_size > MAX_BYTES:
            raise InputError(shown, f"{st.st_size // 2**20} MB, larger than the {MAX_BYTES // 2**20} MB "
                             "limit for one report", "too_large")
        data = Path(path).read_bytes()
    except PermissionError as exc:
        raise InputError(shown, "permission denied", "unreadable") from exc
    except OSError as exc:
        raise InputError(shown, exc.strerror or str(exc), "unreadable") from exc
    if not data:
        raise InputError(shown, "empty file", "empty")
    return data


def _looks_binary(text: str) -> bool:
    head = text[:4096]
    return len(CONTROL.findall(head)) > max(2, len(head) // 100)


def shown_name(path) -> str:
    """A path as people read it. Names the OS gives as bytes that are not UTF-8 (GBK names from a
    zip made on Chinese Windows) are decoded per component, as GB18030 when they are that, else
    with their bytes escaped; the path for the OS stays the original (`os.fsencode` gives back
    the bytes)."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "/".join(_component(part) for part in os.fsencode(text).split(b"/"))


def _component(raw: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Found:
    """A file to read: `path` for the OS, `shown` for people and records, `doc_id` the path
    relative to the input folder given (None for a file given directly: its content hash is its
    id), `problem` why it is not read (a link out of the input folder)."""

    path: Path
    shown: str
    doc_id: str | None = None
    problem: InputError | None = None


def find_files(paths: list[Path], suffixes=SUFFIXES) -> list[tuple[Path, str]]:
    """Every report file under the given paths, recursively, as (path, path as shown)."""
    return [(f.path, f.shown) for f in walk(paths, suffixes) if f.problem is None]


def walk(paths: list[Path], suffixes=SUFFIXES, exclude=()) -> list[Found]:
    """Every report file under the given paths, recursively, in output order.

    A path as shown is reached from the argument given: relative stays relative. Symlink
    loops are not followed (os.walk without followlinks); a link to a file outside the input
    folder is listed with its problem, never read. Folders in `exclude` (the output folder) and
    folders that hold an xunshi run (`run.json`) are never read: xunshi does not read what it
    wrote. `.doc` files are listed so that they are reported as unsupported.
    """
    skip = {os.path.realpath(p) for p in exclude}
    found = []
    for root in paths:
        if not root.is_dir():  # a file, a FIFO, a broken link: reading it will say which
            found.append(Found(root, shown_name(root)))
            continue
        found.extend(_walk_folder(root, suffixes, skip))
    return found


def _walk_folder(root: Path, suffixes, skip: set[str]) -> list[Found]:
    real_root = os.path.realpath(root)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _not_input(os.path.join(dirpath, d), skip))
        if _not_input(dirpath, skip):
            continue
        for name in sorted(filenames):
            if name.lower().endswith(suffixes):
                p = Path(dirpath) / name
                rel = shown_name(os.path.relpath(p, root)).replace(os.sep, "/")
                found.append(Found(p, shown_name(p), rel, _outside(p, real_root)))
    return found


def _not_input(folder: str, skip: set[str]) -> bool:
    """The output folder given, or any folder where an xunshi run wrote its outputs."""
    if os.path.realpath(folder) in skip:
        return True
    try:
        with open(os.path.join(folder, "run.json"), encoding="utf-8") as fh:
            run = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(run, dict) and {"rules_hash", "schema_version"} <= run.keys()


def _outside(p: Path, real_root: str) -> InputError | None:
    """A symbolic link whose target lies outside the input folder is not followed."""
    if not os.path.islink(p):
        return None
    target = os.path.realpath(p)
    if os.path.commonpath([target, real_root]) == real_root:
        return None
    return InputError(shown_name(p), "a symbolic link to a file outside the input folder: not "
                      "followed", "outside")
