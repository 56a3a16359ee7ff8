"""Real read-only and full folders for the tests of output faults.

As root (CI runs as root), permission bits do not stop a write, so a read-only folder is a
read-only bind mount and a full disk a tiny tmpfs; both are unmounted afterwards. Where mounts are
not allowed, a non-root user gets a folder without write permission and the full-disk tests skip.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` made read-only while the block runs (its content stays readable)."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(mode)
        return
    if not (_mount("--bind", str(folder), str(folder))
            and _mount("-o", "remount,bind,ro", str(folder))):
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)
        pytest.skip("cannot mount a read-only folder here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=True)


@contextlib.contextmanager
def full_disk(folder: Path, kib: int = 64) -> Iterator[Path]:
    """`folder` on a file system of `kib` KiB, so that writing more fails with ENOSPC."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(folder)):
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=True)
