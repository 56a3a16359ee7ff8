"""What one document may cost: time (`--doc-timeout`) and memory (`--max-memory`).

Both are enforced inside the process that extracts (an exception delivered to the working
thread, so the worker survives and goes on), and, for pool workers, also by the parent, which
kills a worker that stalls in C code or grows past its budget before the exception can land.
The exceptions derive from `BaseException`, so a library's `except Exception` (trafilatura,
pypdf) cannot swallow them and a budget spent inside a format reader is reported as such, not
as a damaged file.
"""
from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from contextlib import contextmanager
from functools import lru_cache


class DocTimeout(BaseException):
    """A document ran past its time budget (`--doc-timeout`)."""


class OverMemory(BaseException):
    """A document's process grew past its memory budget (`--max-memory`)."""


POLL = 0.05  # seconds between two looks at the process's memory


STATM = "/proc/{}/statm"  # Linux: a process's memory in pages, resident the second number
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss(pid: int | None = None) -> int:
    """The resident memory in bytes of process `pid` (this one by default), 0 once it is gone.

    Read from /proc where there is one, as psutil itself reads it there: importing psutil cost
    every process that extracts documents under a memory budget 7-8 ms of CPU once its rules
    were loaded, more than all its looks at its memory. Elsewhere psutil answers."""
    try:
        with open(STATM.format(pid or "self"), "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except FileNotFoundError:
        if os.path.exists(STATM.format("self")):  # /proc is there: the process is gone
            return 0
    except OSError:  # /proc is not for us to read here: psutil may know another way
        pass
    import psutil

    try:
        return _process(pid or os.getpid()).memory_info().rss
    except psutil.Error:
        return 0


@lru_cache(maxsize=8)
def _process(pid: int):
    """The `psutil.Process` of `pid`, made once: making one reads its creation time, three
    quarters of the cost of a look at its memory."""
    import psutil

    return psutil.Process(pid)


@contextmanager
def time_budget(seconds: float | None):
    """Raise `DocTimeout` in this thread once `seconds` have passed inside the block.

    The main thread uses SIGALRM; other threads (Dask runs tasks in threads) get the exception
    set asynchronously. Both stop pure-Python work such as `jieba.posseg` on a pathological
    text; a stall inside C code is ended by the pool, which kills the worker process.
    """
    if not seconds or seconds <= 0:
        yield
    elif _timers_here():
        with _alarm(seconds):
            yield
    else:
        deadline = time.monotonic() + seconds
        with _raise_when(lambda: time.monotonic() >= deadline, DocTimeout, min(seconds, POLL)):
            yield


@contextmanager
def memory_budget(megabytes: float | None):
    """Raise `OverMemory` in this thread when the process's memory passes `megabytes`."""
    if not megabytes or megabytes <= 0:
        yield
        return
    limit = megabytes * 2**20
    keeper = _on_cpu_time if _timers_here() else _raise_when
    with keeper(lambda: rss() > limit, OverMemory, POLL):
        yield


@contextmanager
def _on_cpu_time(fired, exc_type: type[BaseException], every: float):
    """Raise `exc_type` in the main thread once `fired()` is true, asked every `every` seconds
    of the process's CPU time (SIGPROF), which is when its memory can grow.

    A watcher thread woke every `every` seconds of wall time, and each wake-up took the GIL
    from the working thread and gave it back: that cost a run 5-14% of its CPU (measured over
    gov-reports-2026), where a signal costs nothing measurable. System calls a signal
    interrupts are restarted (`siginterrupt`), so a C library reading a file sees no EINTR.
    """
    def check(signum, frame):
        if fired():
            signal.setitimer(signal.ITIMER_PROF, 0)
            raise exc_type

    old = signal.signal(signal.SIGPROF, check)
    signal.siginterrupt(signal.SIGPROF, False)
    signal.setitimer(signal.ITIMER_PROF, every, every)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


def _timers_here() -> bool:
    """Whether a budget can be kept by a timer signal: in the main thread (Python runs signal
    handlers there only) of a system with `setitimer`; elsewhere a watcher thread keeps it."""
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


@contextmanager
def _alarm(seconds: float):
    def ring(signum, frame):
        raise DocTimeout(seconds)

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def _raise_when(fired, exc_type: type[BaseException], every: float):
    """A watcher thread raises `exc_type` in this thread once `fired()` is true."""
    tid, lock, state = threading.get_ident(), threading.Lock(), {"armed": True, "fired": False}
    set_exc, stop = ctypes.pythonapi.PyThreadState_SetAsyncExc, threading.Event()

    def watch():
        while not stop.wait(every):
            with lock:
                if not state["armed"]:
                    return
                if fired():
                    state["fired"] = True
                    set_exc(ctypes.c_ulong(tid), ctypes.py_object(exc_type))
                    return

    watcher = threading.Thread(target=watch, daemon=True, name=f"xunshi-{exc_type.__name__}")
    watcher.start()
    raised = False
    try:
        yield
    except exc_type:
        raised = True
        raise
    finally:
        with lock:
            state["armed"] = False
            pending = state["fired"] and not raised
        if pending:  # set as the block ended: it must not surface in the caller's code
            _absorb(exc_type)
        stop.set()
        watcher.join()  # gone before the caller goes on: a process with threads must not fork


def _absorb(exc_type: type[BaseException]) -> None:
    """Let an exception that was set but not yet raised arrive here, and drop it.

    Withdrawing it with `PyThreadState_SetAsyncExc(id, NULL)` instead leaves CPython's eval
    breaker signalled for good (nothing consumes the signal), which slows every later bytecode
    of the process and made a profiled run hang.
    """
    try:
        for _ in range(1000):  # the exception is delivered at the first backward jump
            pass
    except exc_type:
        pass


def die_with_parent(parent: int) -> None:
    """A worker ends when its parent does, even when the parent is killed with SIGKILL while
    the worker is busy: the kernel's parent-death signal on Linux, and everywhere a watcher
    thread that checks the parent once a second."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)

    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="xunshi-parent").start()
