"""Text out of the formats government sites publish: .docx, .html/.htm and .pdf with a text layer.

Each reader takes the file's bytes and returns the text every offset will refer to, plus a title
when the file states one. The text is what `xunshi text FILE` prints, so a reader must be
deterministic: same bytes, same text. Formats that cannot give text (legacy Word `.doc`, scanned
PDFs) fail with a clear `InputError` that says what to do instead.
"""
from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from pipeline.errors import InputError, InstallError
from pipeline.reading.layout import normalise, unify

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.wps containers
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
MIN_PDF_CHARS_PER_PAGE = 10  # below this a PDF is a scan with at most a page number as text
# A zip container (.docx) is refused before it is unpacked when its parts would unpack to more
# than these: XML parts cost their parser about 36 times their size (`<w:p/>` repeated), other
# parts (images) their size. A legitimate report of MAX_CHARS characters stays well below.
MAX_UNZIPPED_XML = 16 * 2**20
MAX_UNZIPPED = 256 * 2**20
MAX_PARTS = 5_000
UNSUPPORTED = {
    ".doc": "legacy Word .doc is not supported: save it as .docx (or .txt) and run again",
    ".wps": "WPS .wps is not supported: save it as .docx (or .txt) and run again",
}


@dataclass(frozen=True)
class Extracted:
    """The text of a file and what its format says about it."""

    text: str
    encoding: str
    title: str | None = None


def extract(data: bytes, suffix: str, path: str) -> Extracted:
    """Dispatch on the file suffix; every failure is an `InputError` naming the file."""
    if suffix in UNSUPPORTED:
        raise InputError(path, UNSUPPORTED[suffix], "unsupported")
    reader = READERS[suffix]
    try:
        return reader(data, path)
    except (InputError, MemoryError):
        raise
    except ImportError as exc:  # the installation's fault, not the file's: the run must stop
        raise missing(exc, suffix) from exc
    except Exception as exc:  # a damaged file of any kind must not stop the run
        raise InputError(path, f"cannot read as {suffix}: {type(exc).__name__}: {exc}", "corrupt") from exc


def missing(exc: ImportError, suffix: str) -> InstallError:
    """The one-line error of a reader library that cannot be imported."""
    return InstallError(exc.name or "a dependency", f"cannot be imported to read {suffix} files "
                        f"({type(exc).__name__}: {exc}): the installation is incomplete; "
                        "reinstall xunshi in its environment (pip install -e . or pip install xunshi)")


def check_installed(suffixes) -> None:
    """Import the reader libraries of the formats about to be read, before any work starts, so
    that a broken installation stops the run at once with one line."""
    modules = {".docx": ("docx",), ".pdf": ("pypdf",), ".html": ("trafilatura", "lxml.html.clean"),
               ".htm": ("trafilatura", "lxml.html.clean")}
    import importlib

    for suffix in sorted(set(suffixes) & set(modules)):
        for name in modules[suffix]:
            try:
                importlib.import_module(name)
            except ImportError as exc:
                raise missing(exc, suffix) from exc


def check_zip(data: bytes, path: str) -> None:
    """Refuse a zip container that would unpack to more than a report can hold (a zip bomb).

    The sizes checked are those the container declares; Python's zip reader stops at the
    declared size and fails the CRC of a part that lies about it."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(path, f"damaged zip container: {exc}", "corrupt") from exc
    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    total = sum(p.file_size for p in parts)
    if len(parts) > MAX_PARTS or xml > MAX_UNZIPPED_XML or total > MAX_UNZIPPED:
        raise InputError(path, f"unpacks to {total / 2**20:.0f} MB ({xml / 2**20:.0f} MB of XML) in "
                         f"{len(parts)} parts, more than a report can hold (limits: "
                         f"{MAX_UNZIPPED_XML // 2**20} MB of XML, {MAX_UNZIPPED // 2**20} MB, "
                         f"{MAX_PARTS} parts): not read", "too_large")


def read_docx(data: bytes, path: str) -> Extracted:
    """Paragraphs and table rows in document order, one per line (cells joined by a tab); line
    breaks inside a paragraph's sentences joined, compatibility characters unified (`layout`)."""
    if data.startswith(OLE2_MAGIC):
        raise InputError(path, UNSUPPORTED[".doc"] + " (the file is a .doc renamed .docx)", "unsupported")
    if not data.startswith(ZIP_MAGIC):
        raise InputError(path, "not a .docx (no zip signature): damaged or another format", "corrupt")
    check_zip(data, path)
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        lines.extend(_table_lines(block) if isinstance(block, Table) else [normalise(block.text)])
    title = (document.core_properties.title or "").strip() or None
    return Extracted(unify("\n".join(lines)), "docx", title)


def _table_lines(table) -> list[str]:
    """One line per row; a merged cell that python-docx repeats is written once."""
    lines = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is not last:
                cells.append(cell.text.replace("\n", " "))
            last = cell._tc
        lines.append("\t".join(cells))
    return lines


# xunshi's own HTML report, recognised by its head: it is never read back as a report.
OWN_REPORT = re.compile(rb"<meta\s+name=[\"']generator[\"']\s+content=[\"']xunshi|<title>xunshi report</title>", re.I)


def read_html(data: bytes, path: str) -> Extracted:
    """The main text of a page (trafilatura), without navigation, headers and footers."""
    if OWN_REPORT.search(data[:4096]):
        raise InputError(path, "an HTML report written by xunshi, not a report to read: skipped", "own_output")
    import trafilatura

    with _quiet("trafilatura", "htmldate", "courlan"):
        text = trafilatura.extract(data, include_comments=False, include_tables=True, favor_recall=True,
                                   deduplicate=False, with_metadata=False)
        meta = trafilatura.extract_metadata(data) if text else None
    if not text or not text.strip():
        raise InputError(path, "no main text found in the HTML page", "no_text")
    return Extracted(text, "html", (meta.title or None) if meta else None)


def read_pdf(data: bytes, path: str) -> Extracted:
    """The text layer of every page, pages separated by a newline, lines broken by the page
    width joined and compatibility characters unified (`layout`); a scan is refused."""
    if not data.startswith(PDF_MAGIC):
        raise InputError(path, "not a PDF (no %PDF- signature): damaged or another format", "corrupt")
    from pypdf import PdfReader

    with _quiet("pypdf"):
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "encrypted PDF: remove the password first", "unsupported")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    text = normalise("\n".join(pages))
    if len("".join(text.split())) < MIN_PDF_CHARS_PER_PAGE * max(1, len(pages)):
        raise InputError(path, "PDF without a text layer (a scan?): run OCR first, e.g. ocrmypdf",
                         "no_text")
    return Extracted(text, "pdf", str(title).strip() or None if title else None)


@contextmanager
def _quiet(*loggers: str):
    """Libraries' warnings about odd but readable files, silenced for this call only."""
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger, _ in saved:
            logger.setLevel(logging.CRITICAL)
        try:
            yield
        finally:
            for logger, level in saved:
                logger.setLevel(level)


READERS = {".docx": read_docx, ".html": read_html, ".htm": read_html, ".pdf": read_pdf}
SUFFIXES = (*READERS, *UNSUPPORTED)
