"""Progress of a run on stderr: a bar on a terminal, a plain line every so often in a log.

The time left is estimated from the size of the files still to extract, not from their
number: the largest go first, so counting documents overstated it several times over.
"""
from __future__ import annotations

import sys
import time

EVERY = 10.0  # seconds between two progress lines when stderr is not a terminal


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """Documents, characters, rate and time left, for `total` documents of `size` bytes."""

    def __init__(self, total: int, size: int, quiet: bool, every: float = EVERY):
        self.total, self.size, self.quiet, self.every = total, size, quiet, every
        self.bar = self.task = None
        self.docs = self.chars = self.done_bytes = 0
        self.t0 = self.last = time.monotonic()

    def __enter__(self):
        if self.quiet or not self.total or not sys.stderr.isatty():
            return self
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self.bar = Bar(TextColumn("extracting"), BarColumn(),
                       TextColumn("{task.fields[docs]}/{task.fields[of]} docs · {task.fields[chars]} chars"
                                  " · {task.fields[rate]} chars/s"),
                       TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("extract", total=max(self.size, 1), docs=0, of=self.total,
                                      chars="0", rate="–")
        return self

    def advance(self, chars: int, nbytes: int = 0) -> None:
        """One document settled: `chars` extracted from `nbytes` of file (0 if it was cached)."""
        self.docs += 1
        self.chars += chars
        self.done_bytes += nbytes
        now = time.monotonic()
        if self.bar is not None:
            self.bar.update(self.task, advance=nbytes, docs=self.docs, chars=f"{self.chars:,}",
                            rate=f"{self.rate():,.0f}")
        elif not self.quiet and self.total and now - self.last >= self.every:
            self.last = now
            print(f"xunshi: {self.line()}", file=sys.stderr, flush=True)

    def rate(self) -> float:
        return self.chars / max(time.monotonic() - self.t0, 1e-6)

    def left(self) -> float | None:
        """Seconds left, from the bytes extracted so far and those still to extract."""
        if not self.done_bytes:
            return None
        spent = time.monotonic() - self.t0
        return spent * (self.size - self.done_bytes) / self.done_bytes

    def line(self) -> str:
        left = self.left()
        eta = f", about {_duration(left)} left" if left is not None else ""
        return (f"{self.docs} of {self.total} documents, {self.chars:,} chars, "
                f"{self.rate():,.0f} chars/s{eta}")

    def print(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
