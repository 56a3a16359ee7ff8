"""One document, wherever it runs (this process, a pool worker, a Dask worker): its job, its
result, and `work`, which turns every failure into a result instead of a raise."""
from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from pydantic_core import SchemaSerializer

from pipeline.errors import InputError, InstallError, RuleError
from pipeline.reading.files import to_source
from pipeline.records import Document, DocumentText, ErrorRecord
from pipeline.rules import rule_path
from pipeline.run.budget import DocTimeout, OverMemory, memory_budget, time_budget
from pipeline.run.cache import Entry, entry_path, write_entry

ONE_AT_A_TIME = threading.Lock()
WARM_UP = "warm_up.txt"  # a short composed report (rules/) that loads every table before the first real one
MAX_MEMORY_MB = 1200  # a worker past this is stopped; with the loaded models about 400 MB
WARMED: set[bool] = set()  # the `use_model` values this process has loaded everything for


@dataclass(frozen=True)
class Options:
    """Everything besides the bytes that changes a document's records (part of the cache key),
    and the budgets one document may spend (not part of it)."""

    reference_date: dt.date | None = None
    region: str | None = None
    use_model: bool = True
    doc_timeout: float | None = 60.0
    max_memory: float | None = MAX_MEMORY_MB


@dataclass(frozen=True)
class Task:
    """One line of the plan, in output order: a file to read, or a problem found while planning
    (`error`: a link out of the input folder, a manifest row)."""

    index: int
    path: str
    shown: str
    meta: dict = field(default_factory=dict)
    doc_id: str | None = None  # None: the content hash (a file given directly)
    error: ErrorRecord | None = None


@dataclass(frozen=True)
class Job:
    """What a worker needs: the bytes travel with it, so remote workers need no shared disk."""

    task: Task
    data: bytes
    options: Options
    cache: tuple[str, str] | None = None  # the run's cache folder and key, for a worker on its machine


@dataclass(frozen=True)
class Done:
    """A document's output lines, a block of bytes per file (`documents`, `mentions`, `items`,
    `texts`, `rectifications`), and its counts for the run's summary: the records are counted
    where they are serialised, not by counting their blocks' lines again."""

    index: int
    lines: dict
    chars: int
    sha256: str
    mentions: int
    items: int
    entry: Entry | None = None  # where the worker cached the blocks itself (`lines` then empty)


@dataclass(frozen=True)
class Failed:
    index: int
    error: ErrorRecord


@dataclass(frozen=True)
class Fatal:
    """Not the document's fault (a rule file that does not validate, a broken installation):
    the run must stop. Plain data, so that it travels back from any worker."""

    index: int
    kind: str  # rules | install
    path: str
    message: str
    rule_id: str = ""

    @classmethod
    def of(cls, index: int, exc: RuleError | InstallError) -> Fatal:
        kind = "rules" if isinstance(exc, RuleError) else "install"
        return cls(index, kind, exc.path, exc.message, getattr(exc, "rule_id", ""))

    def stop(self):
        """The error again, in the process that runs the batch."""
        if self.kind == "install":
            raise InstallError(self.path, self.message)
        err = RuleError(self.path, "", self.message)
        err.rule_id = self.rule_id
        raise err


def work(job: Job) -> Done | Failed | Fatal:
    """Decode, extract and serialise one document; every failure becomes a result, never a raise.

    Runs within the time and memory budgets. Documents in threads of one process take turns
    (`ONE_AT_A_TIME`): the segmenter and the spaCy vocabulary are shared per process and not
    made for concurrent writers, so parallelism comes from processes. The lock is taken before
    the budgets start, so a budget spent can never leave it held.
    """
    t, opts = job.task, job.options
    try:
        with ONE_AT_A_TIME, time_budget(opts.doc_timeout), memory_budget(opts.max_memory), \
                collector_paused():
            done = _extract(job)
    except InputError as exc:
        return failed(t, exc.code, exc.message)
    except DocTimeout:
        return failed(t, "timeout", f"took more than {opts.doc_timeout:g} s (--doc-timeout): skipped")
    except (OverMemory, MemoryError):
        gc.collect()
        return failed(t, "memory", f"needed more than {opts.max_memory:g} MB (--max-memory): skipped")
    except (RuleError, InstallError) as exc:
        return Fatal.of(t.index, exc)
    except ImportError as exc:  # the segmenter, the model: the installation's fault
        return Fatal.of(t.index, InstallError(exc.name or "a dependency", f"cannot be imported "
                        f"({exc}): the installation is incomplete; reinstall xunshi"))
    except (Exception, RecursionError) as exc:  # one document's bug must not stop the run
        return failed(t, "failed", f"extraction failed: {type(exc).__name__}: {exc}")
    return cached(done, job)


def cached(done: Done, job: Job) -> Done:
    """The result with its blocks written to their cache entry where they were made, when the
    run's cache is on this machine (`job.cache`): the run then receives the entry, not the
    blocks, which no longer cross a pipe to be written by the run's process (17 MB for
    gov-reports-2026, a third of that process's work with two workers). Outside the budgets: a
    document that was extracted in time is kept. Where the entry cannot be written, the blocks
    go to the run, which writes them or stops on the error."""
    if job.cache is None:
        return done
    folder, key = job.cache
    t = job.task
    path = entry_path(Path(folder), done.sha256, key, [t.shown, t.doc_id, t.meta])
    try:
        entry = write_entry(path, done.lines, done.chars, done.mentions, done.items)
    except OSError:
        return done
    return dataclasses.replace(done, lines={}, entry=entry)


@contextmanager
def collector_paused():
    """No cyclic garbage collection while one document is extracted.

    A document's records, tokens and spans live until it is serialised and are freed by their
    reference counts; the collector's passes over them found nothing to free and cost 2% of a
    run (40 passes over gov-reports-2026). The few cycles a document makes (an exception's
    traceback) wait for the first pass after it, and the memory budget still holds.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _extract(job: Job) -> Done:
    from pipeline.run.process import process

    t, opts = job.task, job.options
    src = to_source(job.data, t.shown, t.meta, Path(t.path).suffix)
    doc = process(src, reference_date=opts.reference_date, region=opts.region,
                  doc_id=t.doc_id or src.sha256[:16], use_model=opts.use_model)
    return Done(t.index, document_lines(doc), doc.chars, src.sha256, len(doc.mentions),
                len(doc.items))


def failed(task: Task, code: str, message: str) -> Failed:
    return Failed(task.index, ErrorRecord(path=task.shown, code=code, message=message))


def document_lines(doc: Document) -> dict[str, bytes]:
    """The JSONL lines of one document, a block of bytes per output file, serialised where it
    was extracted by pydantic's own serialiser (what `model_dump_json` calls, without its
    decoding: the cache and the outputs are UTF-8). Its ledger records are not linked yet: the
    run links them across documents when it writes them."""
    head = Document.__pydantic_serializer__.to_json(
        doc, exclude={"mentions", "items", "rectifications", "text"})
    text = DocumentText.__pydantic_serializer__.to_json(
        DocumentText(doc_id=doc.doc_id, text=doc.text))
    return {"documents": head + b"\n", "mentions": json_lines(doc.mentions),
            "items": json_lines(doc.items), "texts": text + b"\n",
            "rectifications": json_lines(doc.rectifications)}


def json_lines(records: list) -> bytes:
    """Records as JSON Lines, byte for byte what `model_dump_json` gives for each. Every record
    goes through its type's serialiser by `map`, with no Python step a record (5% of this stage
    for the items): all through one where they are all of one type (the items, the ledger's),
    else each through its own (a document's mentions, of three types). The last line's newline
    is joined on as an empty last line: adding it to the joined block copied the whole block
    again (11 MB of items for gov-reports-2026)."""
    if not records:
        return b""
    kinds = set(map(type, records))
    if len(kinds) == 1:
        return b"\n".join([*map(kinds.pop().__pydantic_serializer__.to_json, records), b""])
    return b"\n".join([*map(TO_JSON, map(SERIALISER, map(type, records)), records), b""])


SERIALISER = attrgetter("__pydantic_serializer__")  # of a record type
TO_JSON = SchemaSerializer.to_json  # called with (serialiser, record): `map` over both columns


def warm_up(options: Options, full: bool = True) -> Fatal | None:
    """Load rules and dictionaries once, before the first real document; with `full`, also
    what only some documents need (the body model, jieba's POS tagger), by extracting a short
    composed report, and the whole dictionary table into memory.

    A pool, or a process with many documents, loads everything first (a pool before it forks,
    so that its workers share it); one process extracting a single document loads only the
    rules and the segmenter, and the rest when the document needs it (a one-sentence text with
    no window for the model never loads spaCy). Returns the error that would fail every
    document (a rule file, a missing library), for the caller to stop the run.
    """
    from pipeline import kept
    from pipeline.context import segment

    if full and options.use_model in WARMED:  # this process (or the one it forked from) did it
        return None
    try:
        if full:
            fatal = _warm_up_document(options)
            if fatal:
                return fatal
            WARMED.add(options.use_model)
        else:
            from pipeline.run.process import stages

            stages(options.use_model)
            segment.words("")
    except (RuleError, InstallError) as exc:
        return Fatal.of(-1, exc)
    except ImportError as exc:
        return Fatal.of(-1, InstallError(exc.name or "a dependency", f"cannot be imported ({exc})"))
    kept.save_all()
    settle_memory()
    return None


def _warm_up_document(options: Options) -> Fatal | None:
    from pipeline.context import viterbi
    from pipeline.context.lexicon import lexicon

    lexicon().load_all()
    text = rule_path(WARM_UP).read_bytes()
    # no budgets: interrupting a library while it loads could leave it half-initialised
    unbounded = dataclasses.replace(options, doc_timeout=None, max_memory=None)
    res = work(Job(Task(-1, "warm-up.txt", "warm-up.txt"), text, unbounded))
    if isinstance(res, Fatal):
        return res
    viterbi.model()  # the POS tagger's HMM (for words its dictionary lacks), not loaded by a document
    return None


def settle_memory() -> None:
    """Set the loaded dictionaries, rules and models aside from the garbage collector.

    They live as long as the process, yet every full collection walked them, and in forked
    workers each walk copied their pages (copy-on-write). Frozen, they are never walked; with a
    larger first generation, the many short-lived records of a document are collected in
    fewer passes. Together they cut the collector's share of a run from about 7% to under 3%
    (measured over ../shared/corpora).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 50)


def stop_on(fatal: Fatal | None) -> None:
    if fatal is not None:
        fatal.stop()
