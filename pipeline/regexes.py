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

import re
import sys

from pipeline.kept import kept

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


def _build() -> str | None:
    """What the compiled code depends on: the interpreter and its engine."""
    if _sre is None:
        return None
    return f"{sys.implementation.name} {sys.version} {_sre.MAGIC} {_sre.CODESIZE}"


# (pattern, flags) -> the arguments of _sre.compile after the pattern
TABLE = kept("regex", b"xunshi-regex-1", _build, prune=True)


def regex(pattern: str, flags: int = 0) -> re.Pattern:
    """`re.compile(pattern, flags)`, its parsing remembered across runs."""
    key = (pattern, int(flags))
    args = TABLE.known.get(key)
    if args is not None:
        try:
            compiled = _sre.compile(pattern, *args)
            TABLE.used.add(key)
            return compiled
        except (TypeError, ValueError, RuntimeError):
            pass
    args = _parse(pattern, int(flags))
    if args is None:
        return re.compile(pattern, flags)
    TABLE.added[key] = args
    return _sre.compile(pattern, *args)


BACK_REFERENCE = re.compile(r"\\[1-9]|\(\?P=")  # a pattern that refers to its own groups


def any_of(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One regex that matches wherever one of `patterns` does (their alternation: where one
    matches, it does, and only there), so that one search rules a text out for them all; None
    when they cannot be joined (a back reference, a group name used twice, other flags)."""
    if not patterns or len({p.flags for p in patterns}) > 1 \
            or any(BACK_REFERENCE.search(p.pattern) for p in patterns):
        return None
    try:
        return regex("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


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
