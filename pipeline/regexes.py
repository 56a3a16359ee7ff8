"""Compiled rule regexes kept across runs, so that a process does not parse them again.

Compiling the rules' 600-odd regexes (gazetteer alternations, the times' patterns) is about
0.4 s of every process, as long as everything else a one-document run does. Python's `re`
cannot pickle a compiled pattern (a pickle recompiles it), but compiling is two steps: parsing
the pattern into the engine's code (the slow, pure-Python part) and handing that code to the C
engine (`_sre.compile`, microseconds). `regex` keeps the first step's result in the user cache
folder (`pipeline.paths.cache_dir`), one file per Python build, and does the second step only.
The code is exactly what `re.compile` builds, so patterns behave identically; whenever the
interpreter's internals are not as expected, or there is no cache folder, `regex` is
`re.compile`.
"""
from __future__ import annotations

import hashlib
import marshal
import re
import sys
from pathlib import Path

try:  # the parser and code generator behind re.compile (sre_parse/sre_compile before 3.11)
    import _sre
    from re import _compiler as _sre_compiler, _parser as _sre_parser
except ImportError:  # pragma: no cover - Python 3.10
    try:
        import _sre
        import sre_compile as _sre_compiler
        import sre_parse as _sre_parser
    except ImportError:
        _sre = None

FORMAT = b"xunshi-regex-1"
_table: dict | None = None  # (pattern, flags) -> the arguments of _sre.compile after the pattern
_added: dict = {}
_used: set = set()


def regex(pattern: str, flags: int = 0) -> re.Pattern:
    """`re.compile(pattern, flags)`, its parsing remembered across runs."""
    key = (pattern, int(flags))
    args = _known().get(key)
    if args is not None:
        try:
            compiled = _sre.compile(pattern, *args)
            _used.add(key)
            return compiled
        except (TypeError, ValueError, RuntimeError):
            pass
    args = _parse(pattern, int(flags))
    if args is None:
        return re.compile(pattern, flags)
    _added[key] = args
    return _sre.compile(pattern, *args)


def _parse(pattern: str, flags: int) -> tuple | None:
    """What re.compile hands to the C engine, as plain data; None where it cannot be had (then
    re.compile raises the pattern's error, or compiles it the ordinary way)."""
    if _sre is None or not isinstance(pattern, str):
        return None
    try:
        p = _sre_parser.parse(pattern, flags)
        code = [int(c) for c in _sre_compiler._code(p, flags)]
        state = p.state
        index = [None] * state.groups
        for name, i in state.groupdict.items():
            index[i] = name
        args = (int(flags | state.flags), code, state.groups - 1, dict(state.groupdict), tuple(index))
        _sre.compile(pattern, *args)
    except Exception:  # a bad pattern, or internals other than expected: re.compile decides
        return None
    return args


def _file() -> Path | None:
    from pipeline.paths import cache_dir

    folder = cache_dir()
    if folder is None or _sre is None:
        return None
    build = f"{sys.implementation.name} {sys.version} {_sre.MAGIC} {_sre.CODESIZE}".encode()
    return folder / f"regex-{hashlib.sha256(build).hexdigest()[:12]}.marshal"


def _known() -> dict:
    global _table
    if _table is None:
        _table = _read(_file())
    return _table


def _read(path: Path | None) -> dict:
    """The table on disk, or an empty one when it is missing, damaged or of another format."""
    try:
        data = path.read_bytes() if path else b""
        head, digest, body = data.split(b"\n", 2)
        if head != FORMAT or hashlib.sha256(body).hexdigest().encode() != digest:
            return {}
        table = marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def save() -> None:
    """Add the patterns parsed in this process to the table on disk (written whole, under a
    temporary name renamed into place). Entries no longer asked for are dropped once they
    outnumber the ones in use three to one, so edited rules do not grow it for ever."""
    path = _file()
    if not _added or path is None:
        return
    from pipeline.atomic import write_atomic

    known = _read(path)
    if len(known) >= 3 * (len(_used) + len(_added)):
        known = {k: v for k, v in known.items() if k in _used}
    table = {**known, **_added}
    body = marshal.dumps(table)
    data = FORMAT + b"\n" + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    try:
        write_atomic(path, lambda tmp: tmp.write_bytes(data))
    except OSError:
        return
    _known().update(_added)
    _added.clear()


def forget() -> None:
    """Drop what this process knows (tests switch cache folders)."""
    global _table
    _table = None
    _added.clear()
    _used.clear()
