"""A table kept across runs in the user cache folder: what a process worked out from the rules
(parsed regexes, `pipeline.regexes`; the first characters of a scan, `pipeline.scan`), read by
the next process instead of worked out again.

One marshal file per table and build, headed by its format and the SHA-256 of its body: a
missing, damaged or foreign file reads as an empty table, and a table is written whole under a
temporary name, then renamed, so a reader never sees half of it.
"""
from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path

TABLES: list[KeptTable] = []  # every table of the process, for `save_all`


class KeptTable:
    """The entries on disk (`known`, read on first use), those this process added and those it
    used; `save` adds the new ones to the file."""

    def __init__(self, prefix: str, fmt: bytes, build: Callable[[], str | None],
                 prune: bool = False):
        """`build` names what the entries depend on (the interpreter, limits), None where the
        table cannot be kept: the file is `{prefix}-{digest of build}.marshal`. A table that
        `prune`s drops entries no longer used once they outnumber the ones in use three to
        one, so edited rules do not grow its file for ever."""
        self.prefix, self.format, self.build, self.prune = prefix, fmt, build, prune
        self._known: dict | None = None
        self.added: dict = {}
        self.used: set = set()

    @property
    def known(self) -> dict:
        if self._known is None:
            self._known = self.read(self.path())
        return self._known

    def path(self) -> Path | None:
        from pipeline.paths import cache_dir

        folder, build = cache_dir(), self.build()
        if folder is None or build is None:
            return None
        return folder / f"{self.prefix}-{hashlib.sha256(build.encode()).hexdigest()[:12]}.marshal"

    def read(self, path: Path | None) -> dict:
        """The table on disk, or an empty one when it is missing, damaged or of another format."""
        try:
            head, digest, body = (path.read_bytes() if path else b"").split(b"\n", 2)
            if head != self.format or hashlib.sha256(body).hexdigest().encode() != digest:
                return {}
            table = marshal.loads(body)
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return table if isinstance(table, dict) else {}

    def save(self) -> None:
        """Add the entries of this process to the file."""
        path = self.path()
        if not self.added or path is None:
            return
        from pipeline.atomic import write_atomic

        on_disk = self.read(path)
        if self.prune and len(on_disk) >= 3 * (len(self.used) + len(self.added)):
            on_disk = {k: v for k, v in on_disk.items() if k in self.used}
        body = marshal.dumps({**on_disk, **self.added})
        data = self.format + b"\n" + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
        try:
            write_atomic(path, lambda tmp: tmp.write_bytes(data))
        except OSError:
            return
        self.known.update(self.added)
        self.added.clear()

    def forget(self) -> None:
        """Drop what this process knows (tests switch cache folders)."""
        self._known = None
        self.added.clear()
        self.used.clear()


def kept(prefix: str, fmt: bytes, build: Callable[[], str | None], prune: bool = False) -> KeptTable:
    """A new table, saved with the others by `save_all`."""
    TABLES.append(KeptTable(prefix, fmt, build, prune))
    return TABLES[-1]


def save_all() -> None:
    """Add what this process worked out to every table on disk: after the stages are built and
    after a run (rules first met by a document), for the next process."""
    for table in TABLES:
        table.save()
