"""Folders of reports → output files: fast, resumable, going on through bad files.

A run has three steps, and each guarantees something:

1. Plan (parent, I/O only): list the files (never the output folder or another run's), read
   each folder's manifest, hash each file's bytes and look for its result in the cache
   `OUT/.cache/` (`cache`), keyed by the bytes, the rules, the code and the options. Unchanged
   documents are not processed again; `--force` ignores the cache.
2. Extract (`engines`): every document not cached goes to this process, a pool of worker
   processes or a Dask cluster; each result is written to the cache atomically the moment it
   is made (by the process that made it on this machine; by this process when it arrives from
   Dask). A run killed here (even `kill -9`) loses at most the documents in flight.
3. Assemble (parent): the JSONL outputs are written from the cache in the order of the plan
   (arguments in order, folders sorted), under temporary names renamed into place at the end;
   the documents' ledger records are linked across documents on the way (`rectifications`).
   Whatever the engine, the number of workers or the interruptions, the outputs are identical,
   and an interrupted run never leaves a half-written file in place of a good one.

One run at a time writes to an output folder (a lock). Every fault of the input, the output
or the installation stops the run with one `XunshiError` (see `pipeline.errors`).
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pipeline.version import __version__
from pipeline.atomic import remove_stale_temporaries, temporary, write_json_atomic
from pipeline.errors import InputError, OutputError
from pipeline.reading.files import SUFFIXES, Found, read_bytes, read_file, shown_name, walk
from pipeline.reading.manifest import Manifest, load_manifest
from pipeline.records import SCHEMA_VERSION, ErrorRecord
from pipeline.run import job as J
from pipeline.run.budget import DocTimeout, time_budget  # noqa: F401  (the batch's public names)
from pipeline.run.cache import (Entry, block_spans, entry_blocks, entry_lines, entry_path, read_entry,
                                run_key, write_entry)
from pipeline.run.engines import can_fork, make_engine  # noqa: F401
from pipeline.run.job import Done, Failed, Job, Options, Task, failed, warm_up, work  # noqa: F401
from pipeline.run.progress import Progress

OUTPUTS = ("documents", "mentions", "items", "texts", "rectifications", "errors")
CACHE_DIR = ".cache"
LOCK = ".xunshi.lock"
STDOUT = "-"
# What `os.copy_file_range` fails with where the kernel cannot copy between the two files
# (another file system, a kernel or file system without it): the block is read and written.
NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}


class Interrupted(Exception):
    """Ctrl-C or SIGTERM during a run: what is done is cached, a rerun resumes."""

    def __init__(self, done: int, total: int, out: Path | None):
        self.done, self.total, self.out = done, total, out
        resume = "run the same command again to resume" if out else "nothing was kept (-o -)"
        super().__init__(f"interrupted after {done} of {total} documents; {resume}")


# -- in-process iteration (the library API) -------------------------------------------------

def iter_sources(paths: list[Path]) -> Iterator:
    """Each report under `paths` as (`Task`, `Source`), or the `InputError` that stopped it."""
    for task in plan(paths):
        if task.error is not None:
            yield InputError(task.error.path, task.error.message, task.error.code)
            continue
        try:
            yield task, read_file(Path(task.path), task.shown, task.meta)
        except InputError as exc:
            yield exc


def iter_documents(paths: list[Path], reference_date: dt.date | None = None,
                   region: str | None = None, use_model: bool = True) -> Iterator:
    """Each report as a `Document` (with the ids of a batch run), or the error that stopped it
    (the run goes on)."""
    from pipeline.run.process import process

    for got in iter_sources(paths):
        if isinstance(got, Exception):
            yield got
            continue
        task, src = got
        try:
            yield process(src, reference_date=reference_date, region=region, use_model=use_model,
                          doc_id=task.doc_id or src.sha256[:16])
        except (RecursionError, ValueError) as exc:  # a pathological text must not stop the run
            yield InputError(src.path, f"extraction failed: {type(exc).__name__}: {exc}", "failed")


# -- the plan -----------------------------------------------------------------------------

def plan(paths: list[Path], exclude=()) -> list[Task]:
    """Every report under `paths` with its manifest row and its id, in the order outputs are
    written; links out of the input folder and manifest problems are tasks with their error."""
    roots = [Path(p) for p in paths]
    found = walk(roots, exclude=exclude)
    by_folder: dict[Path, list[Found]] = {}
    for f in found:
        by_folder.setdefault(f.path.parent, []).append(f)
    manifests, tasks = {}, []
    prefix = _prefixes(roots)
    for f in found:
        folder = f.path.parent
        if folder not in manifests:
            manifests[folder] = _manifest(folder, by_folder[folder])
            for p in manifests[folder].problems:
                tasks.append(Task(len(tasks), str(folder), p.path, error=_row(p)))
        name = f.shown.rsplit("/", 1)[-1]
        error = ErrorRecord(path=f.shown, code=f.problem.code, message=f.problem.message) if f.problem else None
        doc_id = f.doc_id and prefix.get(_root_of(f, roots), "") + f.doc_id
        tasks.append(Task(len(tasks), str(f.path), f.shown, manifests[folder].rows.get(name, {}),
                          doc_id, error))
    return tasks


def _manifest(folder: Path, files: list[Found]) -> Manifest:
    """The folder's manifest; its rows are checked against the folder's reports when the
    folder was read as a whole (not for files given one by one)."""
    if not folder.is_dir():
        return Manifest()
    shown = files[0].shown.rsplit("/", 1)[0] if "/" in files[0].shown else "."
    walked = all(f.doc_id is not None for f in files)
    names = {f.shown.rsplit("/", 1)[-1] for f in files} if walked else None
    return load_manifest(folder, shown, names)


def _row(problem) -> ErrorRecord:
    return ErrorRecord(path=problem.path, code=problem.code, message=problem.message)


def _prefixes(roots: list[Path]) -> dict[Path, str]:
    """With several input folders, each id starts with its folder's name (made unique), so that
    ids stay unique and do not depend on the working directory."""
    if len(roots) < 2:
        return {}
    out, seen = {}, set()
    for root in roots:
        name = shown_name(Path(os.path.abspath(root)).name) or "input"
        base, n = name, 1
        while name in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name)
        out[root] = name + "/"
    return out


def _root_of(f: Found, roots: list[Path]) -> Path | None:
    for root in roots:
        try:
            f.path.relative_to(root)
            return root
        except ValueError:
            continue
    return None


def check_inputs(paths: list[Path], tasks: list[Task]) -> None:
    """A path that is not there, or nothing to read at all, stops the run before any output."""
    for p in paths:
        if not os.path.lexists(p):
            raise InputError(shown_name(p), "no such file or folder", "missing")
    if not any(t.error is None or t.error.code != "manifest" for t in tasks):
        where = ", ".join(shown_name(p) for p in paths)
        raise InputError(where, "no reports found (looked for "
                         + ", ".join(f"*{s}" for s in SUFFIXES) + ", recursively)", "no_input")


# -- the output folder ------------------------------------------------------------------------

@contextmanager
def writing(path: Path):
    """An OSError while writing outputs is an `OutputError`: one line, exit code OUTPUT."""
    try:
        yield
    except OSError as exc:
        reason = {errno.ENOSPC: "no space left on the device", errno.EROFS: "read-only file system",
                  errno.EACCES: "permission denied", errno.ENOTDIR: "not a folder",
                  errno.EEXIST: "exists and is not a folder"}.get(exc.errno, exc.strerror or str(exc))
        raise OutputError(shown_name(path), f"cannot write: {reason}") from None


@contextmanager
def locked(out: Path):
    """Only one run writes into `out` at a time; the lock goes with the process (even kill -9)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    path = out / LOCK
    with writing(path):
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the run)
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            pid = fh.read().strip() or "?"
            raise OutputError(shown_name(out), f"another xunshi run (process {pid}) is writing "
                              "here; wait for it or choose another output folder") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()


class AtomicJsonl:
    """JSON Lines files written under temporary names and renamed only when complete; UTF-8,
    written as bytes so that a cached block goes out as it is."""

    def __init__(self, out: Path, names=OUTPUTS):
        self.out = out
        self.paths = {n: out / f"{n}.jsonl" for n in names}
        self.tmp = {n: temporary(p) for n, p in self.paths.items()}
        self._stack = ExitStack()
        self.fh = {}
        self.kernel_copy = hasattr(os, "copy_file_range")

    def __enter__(self):
        try:
            self.fh = {n: self._stack.enter_context(open(p, "wb"))
                       for n, p in self.tmp.items()}
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def write(self, name: str, record: dict) -> None:
        self.write_line(name, json.dumps(record, ensure_ascii=False) + "\n")

    def write_line(self, name: str, line: str) -> None:
        self.fh[name].write(line.encode("utf-8"))

    def write_block(self, name: str, block: bytes) -> None:
        self.fh[name].write(block)

    def copy_block(self, name: str, src, offset: int, size: int) -> None:
        """`size` bytes of the open file `src` from `offset` onto the end of output `name`,
        copied by the kernel from file to file (`os.copy_file_range`; a reflink where the file
        system shares blocks) instead of read into this process and written out of it again;
        read and written where the system cannot (another file system, no such call)."""
        out = self.fh[name]
        out.flush()  # what was written through the buffer goes first
        while size and self.kernel_copy:
            try:
                n = os.copy_file_range(src.fileno(), out.fileno(), size, offset)
            except OSError as exc:
                if exc.errno not in NO_KERNEL_COPY:
                    raise
                self.kernel_copy = False
                break
            if n == 0:  # the entry is shorter than its header says: read what there is
                break
            offset, size = offset + n, size - n
        if size:
            src.seek(offset)
            out.write(src.read(size))

    def __exit__(self, exc_type, exc, tb):
        try:
            self._stack.close()
        except OSError:  # the last flush failed (disk full): nothing is renamed
            exc_type = exc_type or OSError
            if exc is None:
                self._discard()
                raise
        if exc_type is None:
            for name, tmp in self.tmp.items():
                os.replace(tmp, self.paths[name])
        else:
            self._discard()
        return False

    def _discard(self) -> None:
        for tmp in self.tmp.values():
            tmp.unlink(missing_ok=True)


class Ledger:
    """The run's ledger records, gathered document by document and linked at the end (a body's
    notices in several documents form one chain); they are few, so they are kept in memory."""

    READS = ("documents", "rectifications")  # the outputs whose lines it reads

    def __init__(self):
        self.lines: list[str] = []
        self.sha256: dict[str, str] = {}

    def add(self, name: str, line: str) -> bool:
        """Keep a line that is the ledger's (or a document's id and hash); True if it was a record."""
        if name == "documents":
            doc = json.loads(line)
            self.sha256[doc["doc_id"]] = doc["sha256"]
        if name != "rectifications":
            return False
        self.lines.append(line)
        return True

    def add_block(self, name: str, block: bytes) -> bool:
        """`add` for each line of a cached block; True if the block was the ledger's."""
        if name not in self.READS:
            return False
        for line in block.decode("utf-8").split("\n")[:-1]:
            self.add(name, line)
        return name == "rectifications"

    def linked(self) -> list:
        from pipeline.ledger import link
        from pipeline.records import Rectification

        return link([Rectification.model_validate_json(line) for line in self.lines], self.sha256)


def write_cached(w: AtomicJsonl, entry: Entry, ledger: Ledger) -> None:
    """A cache entry copied block by block into the outputs (memory stays flat: a block is
    copied file to file, not read); its ledger records, and the document's id and hash the
    ledger links them with, are read and kept for linking."""
    with open(entry.path, "rb") as fh:
        for name, offset, size in block_spans(fh, entry):
            if name not in Ledger.READS:
                w.copy_block(name, fh, offset, size)
                continue
            fh.seek(offset)
            block = fh.read(size)
            if not ledger.add_block(name, block):
                w.write_block(name, block)


def write_stdout(tasks: list[Task], results: dict) -> None:
    """`-o -`: one JSON document a line (the document with its mentions, items, text and linked
    ledger records) on stdout. Two passes over the cache: the records first, to link them."""
    entries = [results[t.index] for t in tasks if isinstance(results[t.index], Entry)]
    ledger = Ledger()
    for res in entries:
        for name, block in entry_blocks(res):
            ledger.add_block(name, block)
    records: dict[str, list] = {}
    for r in ledger.linked():
        records.setdefault(r.doc_id, []).append(r.model_dump(mode="json"))
    for res in entries:
        doc: dict = {"mentions": [], "items": []}
        for name, line in entry_lines(res):
            if name == "documents":
                doc = {**json.loads(line), **doc}
            elif name == "texts":
                doc["text"] = json.loads(line)["text"]
            elif name != "rectifications":
                doc[name].append(json.loads(line))
        doc["rectifications"] = records.get(doc["doc_id"], [])
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    sys.stdout.flush()


# -- the run ------------------------------------------------------------------------------

class Run:
    """The state of one run: where each task's result is, and the counts for the summary."""

    def __init__(self, out: Path, options: Options, force: bool, quiet: bool):
        self.out, self.options, self.force, self.quiet = out, options, force, quiet
        self.cache = out / CACHE_DIR
        self.key = run_key(options)
        self.results: dict[int, Entry | ErrorRecord] = {}
        self.sizes: dict[int, int] = {}
        self.cached = 0
        self.progress = None
        self.shared = None  # (cache folder, key) when the engine's workers write the cache themselves

    def entry(self, task: Task, sha: str) -> Path:
        return entry_path(self.cache, sha, self.key, [task.shown, task.doc_id, task.meta])

    def prepare(self, task: Task, data: bytes | None = None) -> Job | None:
        """Read and hash one file; a job if it needs extracting, None if it is settled."""
        if task.error is not None:
            self.record(J.Failed(task.index, task.error), task)
            return None
        try:
            data = read_bytes(Path(task.path), task.shown) if data is None else data
        except InputError as exc:
            self.record(failed(task, exc.code, exc.message), task)
            return None
        found = None if self.force else read_entry(self.entry(task, hashlib.sha256(data).hexdigest()))
        if found is None:
            return Job(task, data, self.options, self.shared)
        self.results[task.index] = found
        self.cached += 1
        return None

    def jobs(self, todo: list[Task]) -> Iterator[Job]:
        """The jobs of the plan's unsettled tasks, read again one at a time (memory stays flat)."""
        for task in todo:
            job = self.prepare(task)
            if job is not None:
                yield job
            elif self.progress and task.index in self.results:
                res = self.results[task.index]
                self.progress.advance(res.chars if isinstance(res, Entry) else 0, self.sizes.get(task.index, 0))

    def record(self, res, task: Task | None = None) -> None:
        """A result as it arrives: cached at once if good, reported at once if not."""
        if isinstance(res, J.Fatal):
            res.stop()
        if isinstance(res, Done) and res.entry is not None:
            self.results[res.index] = res.entry
        elif isinstance(res, Done):
            path = self.entry(task, res.sha256)
            with writing(path):
                self.results[res.index] = write_entry(path, res.lines, res.chars, res.mentions,
                                                      res.items)
        else:
            self.results[res.index] = res.error
            self.say(f"xunshi: {res.error.path}: {res.error.message} [{res.error.code}]")
        if self.progress and task is not None:
            res_chars = res.chars if isinstance(res, Done) else 0
            self.progress.advance(res_chars, self.sizes.get(res.index, 0))

    def say(self, line: str) -> None:
        if self.progress:
            self.progress.print(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def assemble(self, tasks: list[Task]) -> None:
        """The outputs, written from the cache in plan order."""
        ledger = Ledger()
        with writing(self.out), AtomicJsonl(self.out) as w:
            for task in tasks:
                res = self.results[task.index]
                if isinstance(res, ErrorRecord):
                    w.write("errors", res.model_dump())
                else:
                    write_cached(w, res, ledger)
            for rec in ledger.linked():
                w.write_line("rectifications", rec.model_dump_json() + "\n")

    def counts(self, tasks: list[Task]) -> dict:
        entries = [r for r in self.results.values() if isinstance(r, Entry)]
        errors = [r for r in self.results.values() if isinstance(r, ErrorRecord)]
        dated = sum(1 for t in tasks if t.meta.get("publish_date")) if self.options.reference_date else 0
        return {"documents": len(entries), "failed": sum(e.code != "manifest" for e in errors),
                "manifest_problems": sum(e.code == "manifest" for e in errors), "cached": self.cached,
                "mentions": sum(e.mentions for e in entries), "items": sum(e.items for e in entries),
                "chars": sum(e.chars for e in entries), "reference_date_overrode": dated}


def run(paths: list[Path], out: Path | str, reference_date: dt.date | None = None,
        region: str | None = None, quiet: bool = False, workers: int | None = None,
        doc_timeout: float | None = 60.0, engine: str = "local", scheduler: str | None = None,
        force: bool = False, use_model: bool = True, max_memory: float | None = J.MAX_MEMORY_MB) -> dict:
    """Extract every report under `paths` into `out` (`-`: JSON documents on stdout); returns
    the run summary (`run.json`).

    Args:
        workers: processes (or Dask workers) to use; the number of cores by default.
        doc_timeout: seconds one document may take before it is reported and skipped.
        max_memory: megabytes a worker may hold before its document is reported and skipped.
        engine: `local` (this machine) or `dask` (a `LocalCluster`, or the cluster at `scheduler`).
        force: extract again even documents whose cached result is still valid.
        use_model: False runs the rules alone.

    Raises:
        InputError: a path that is not there, or nothing to read.
        OutputError: the output folder cannot be written or is in use.
        InstallError, RuleError: what would fail every document.
        Interrupted: Ctrl-C or SIGTERM.
    """
    t0 = time.perf_counter()
    paths = [Path(p) for p in paths]
    to_stdout = str(out) == STDOUT
    out = Path(tempfile.mkdtemp(prefix="xunshi-")) if to_stdout else Path(out)
    try:
        with _terminated_as_interrupt():
            tasks = plan(paths, exclude=[] if to_stdout else [out])
            check_inputs(paths, tasks)
            _check_formats(tasks)
            with writing(out):
                out.mkdir(parents=True, exist_ok=True)
            with locked(out):
                return _run(paths, out, tasks, Options(reference_date, region, use_model, doc_timeout,
                                                        max_memory),
                            force, quiet, workers, engine, scheduler, to_stdout, t0)
    finally:
        if to_stdout:
            shutil.rmtree(out, ignore_errors=True)


def _run(paths, out, tasks, options, force, quiet, workers, engine, scheduler, to_stdout, t0) -> dict:
    state = Run(out, options, force, quiet)
    with writing(state.cache):
        state.cache.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out, state.cache)
    todo = largest_first(tasks, state)
    by_index = {t.index: t for t in tasks}
    eng = make_engine(engine, workers or os.cpu_count() or 1, len(todo), options, scheduler)
    if eng.on_this_machine:
        state.shared = (str(state.cache), state.key)
    progress = Progress(len(todo), sum(state.sizes.values()), quiet)
    try:
        with eng, progress:
            state.progress = progress
            for res in eng.map(state.jobs(todo)):
                state.record(res, by_index[res.index])
    except KeyboardInterrupt:
        raise Interrupted(len(state.results), len(tasks), None if to_stdout else out) from None
    state.progress = None
    try:  # pool workers end meanwhile (`finish`)
        if to_stdout:
            write_stdout(tasks, state.results)
        else:
            state.assemble(tasks)
    finally:
        eng.finish()
    summary = {"version": __version__, "schema_version": SCHEMA_VERSION, "rules_hash": _rules_hash(),
               "inputs": [shown_name(p) for p in paths], **state.counts(tasks),
               "engine": eng.name, "workers": eng.workers,
               "seconds": round(time.perf_counter() - t0, 3)}
    if not to_stdout:
        with writing(out / "run.json"):
            write_json_atomic(out / "run.json", summary)
    return summary


def _check_formats(tasks: list[Task]) -> None:
    from pipeline.reading.formats import check_installed

    check_installed({Path(t.path).suffix.lower() for t in tasks if t.error is None})


@contextmanager
def _terminated_as_interrupt():
    """SIGTERM ends a run as Ctrl-C does: workers stopped, the cache kept, a line said."""
    def term(signum, frame):
        raise KeyboardInterrupt

    if threading_main():
        old = signal.signal(signal.SIGTERM, term)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, old)
    else:
        yield


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def largest_first(tasks: list[Task], state: Run) -> list[Task]:
    """The tasks still to extract (each file read once here, for its hash), big files first:
    with several workers, the run then ends on small documents instead of one worker finishing
    a long report while the others wait (outputs keep the plan's order)."""
    for t in tasks:
        data = _peek(t)
        if state.prepare(t, data) is not None:
            state.sizes[t.index] = len(data)
    return sorted((t for t in tasks if t.index in state.sizes), key=lambda t: (-state.sizes[t.index], t.index))


def _peek(task: Task) -> bytes | None:
    """The bytes for the planning hash, or None to let `prepare` report the read error."""
    if task.error is not None:
        return None
    try:
        return read_bytes(Path(task.path), task.shown)
    except InputError:
        return None


def _rules_hash() -> str:
    from pipeline.rules import rules_hash

    return rules_hash()
