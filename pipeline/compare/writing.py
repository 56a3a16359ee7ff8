"""Writing what `compare` and `report` make: every file of a command or none, a fault in one line.

Each file is written under a temporary name beside its target (`pipeline.atomic.temporary`);
only when all of them are complete are they renamed into place, which needs no space. A full
disk, a read-only folder or a file where a folder should be stops the command with one
`OutputError` naming the target and the reason, the temporaries removed and the previous
outputs intact.
"""
from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil

from pipeline.atomic import temporary
from pipeline.errors import OutputError

REASONS = {
    errno.ENOSPC: "disk full (no space left on the device)",
    errno.EDQUOT: "disk full (quota exceeded)",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied (a read-only folder?)",
    errno.EPERM: "permission denied (a read-only folder?)",
    errno.ENOTDIR: "not a folder (a file stands on the path)",
    errno.EISDIR: "is a folder, not a file",
}
MESSAGES = {"No space left on device": errno.ENOSPC, "Disk quota exceeded": errno.EDQUOT,
            "Read-only file system": errno.EROFS, "Permission denied": errno.EACCES}
"""Libraries that report a fault as text (DuckDB) are read by it."""
UNWRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)
JOURNALS = (".wal",)
"""Files a writer (DuckDB) may add beside a temporary: removed with it."""


def reason(exc: BaseException) -> str:
    """The cause of a write fault in a few words, from its errno or its message."""
    code = getattr(exc, "errno", None)
    if code is None:
        code = next((c for text, c in MESSAGES.items() if text in str(exc)), None)
    if code in REASONS:
        return REASONS[code]
    return getattr(exc, "strerror", None) or str(exc).splitlines()[0]


def unwritable(exc: BaseException) -> bool:
    """Whether a fault says the place cannot be written at all (not that the disk is full)."""
    code = getattr(exc, "errno", None)
    return code in UNWRITABLE or any(t in str(exc) for t in ("Read-only file system",
                                                              "Permission denied"))


@contextlib.contextmanager
def failures(target: Path) -> Iterator[None]:
    """An `OSError` while writing `target` becomes one `OutputError` line naming it."""
    try:
        yield
    except OSError as exc:
        raise OutputError(str(target), reason(exc)) from exc


def output_folder(path: Path) -> Path:
    """A folder to write in, created if missing; a file of that name or a place that cannot be
    written is an `OutputError`."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(str(path), "not a folder (a file of that name exists)")
    with failures(path):
        path.mkdir(parents=True, exist_ok=True)
    return path


def output_file(path: Path, example: str) -> Path:
    """A file to write, its folder created if missing; an existing folder is an `OutputError`."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(str(path), f"is a folder: give the file to write ({path / example})")
    output_folder(path.parent)
    return path


def discard(tmp: Path) -> None:
    """A temporary file or folder and the journals a writer left beside it, if any (a
    read-only file system refuses even to look: nothing is there then)."""
    if tmp.is_dir() and not tmp.is_symlink():
        shutil.rmtree(tmp, ignore_errors=True)
    for p in (tmp, *(tmp.with_name(tmp.name + s) for s in JOURNALS)):
        with contextlib.suppress(FileNotFoundError, OSError):
            p.unlink()


def remove_stale_folders(path: Path) -> None:
    """Temporary folders of `path` left by writers that were killed (their process is gone)."""
    for p in path.parent.glob(f".{glob.escape(path.name)}.*.tmpdir"):
        pid = p.name[len(path.name) + 2:-len(".tmpdir")]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            discard(p)


class Staged:
    """Files (or folders) written under temporary names, renamed into place together.

        with Staged() as staged:
            staged.write(path, lambda tmp: ...)
            staged.commit()          # all renamed; leaving the block without it discards all
    """

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc) -> None:
        for tmp, _ in self.pending:
            discard(tmp)
        self.pending = []

    def write(self, path: Path, write: Callable[[Path], None], folder: bool = False) -> Path:
        """`write(tmp)` fills the temporary of `path` (a folder it makes, if `folder`); a fault
        names `path` and leaves nothing."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmpdir") if folder else temporary(path)
        if folder:
            remove_stale_folders(path)
        discard(tmp)
        try:
            with failures(path):
                write(tmp)
        except BaseException:
            discard(tmp)
            raise
        self.pending.append((tmp, path))
        return path

    def commit(self) -> None:
        """Every staged file renamed to its target (a folder replaces the old folder)."""
        for tmp, path in self.pending:
            with failures(path):
                _replace(tmp, path)
        self.pending = []


def _replace(tmp: Path, path: Path) -> None:
    if not tmp.is_dir() or not path.is_dir():
        os.replace(tmp, path)
        return
    old = path.with_name(f".{path.name}.{os.getpid()}.old")
    discard(old)
    os.replace(path, old)
    os.replace(tmp, path)
    discard(old)
