"""Files written whole or not at all: a temporary name beside the target, renamed into place.

Every output of xunshi (JSON Lines, run.json, the cache, tables, the report) is written this way,
so an interrupted or failed run leaves the previous file intact. Temporary names carry the
writer's process id (`.NAME.PID.tmp.SUFFIX`: writers such as pandas' Excel writer choose the
format by the suffix), so a later run can remove those of dead processes.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

TEMPORARY = re.compile(r"^\..+\.(\d+)\.tmp(\.[^.]*)?$")


def temporary(path: Path) -> Path:
    """The temporary name of `path` for this process."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """`write(tmp)` fills a temporary file, which is renamed to `path` only when it succeeded."""
    tmp = temporary(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_text_atomic(path: Path, text: str) -> None:
    """`text` into `path` as UTF-8, complete or absent."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json_atomic(path: Path, data: dict) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_json_lines(path: Path, rows: list[dict]) -> None:
    """Rows as JSON Lines, under a temporary name renamed into place."""
    write_text_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def remove_stale_temporaries(*folders: Path) -> None:
    """Temporary files of runs that were killed (their process is gone) are deleted."""
    for folder in folders:
        for p in folder.glob(".*.tmp*"):
            m = TEMPORARY.match(p.name)
            if m and (int(m[1]) == os.getpid() or not _alive(int(m[1]))):
                p.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
