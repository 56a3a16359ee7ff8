"""jieba's POS HMM (`jieba.posseg.viterbi`) with its transitions looked up the other way round.

For each state of a character jieba's viterbi takes the best of every state of the character
before, most of which cannot move to it (a transition it scores -inf); 256 states, about 32
into each, so nine tenths of its work is those. Here each state reads only the states that
can move into it (`into`), or, where fewer, the states of the character before that move to
it (`froms`); at the last character, where only the best state counts, states whose bound is
under the best score found are not read at all (`_best`). The result is the same: each score
is the same float sum in the same order (`(previous + transition) + emission`), a state that
cannot move never beats one that can (scores are finite, -inf is not), and ties go to the
greater state as in jieba's `max` of (score, state). Where jieba's own viterbi would find no
state to move from, it is called instead, so that it fails as jieba does.

States are numbered in their sorted order, so that comparing numbers compares the states as
jieba does, and a number hashes without reading a (position, flag) tuple: the items stage
tags a word now and then, with these tables cold in the processor's caches.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

MIN_FLOAT = -3.14e100  # jieba's score of a character a state does not emit
_CHARS: dict = {}  # character -> its (state, emission) pairs (`_char`)
CHARS_KEPT = 1 << 13  # characters whose pairs `_char` keeps (most texts meet a few hundred)


class Model(NamedTuple):
    """jieba's tables over numbered states."""

    names: list  # the states, sorted
    number: dict  # state -> its number
    start: list  # start score of each state
    into: list  # per state, the (state, transition score) pairs into it
    froms: list  # the same as a mapping, per state
    nexts: dict  # per state that moves, the states it moves to
    most: list  # per state, its best transition in (-inf for none)


@lru_cache(maxsize=1)
def tables() -> dict:
    """jieba.posseg's HMM tables by name (`char_state_tab`, `prob_start`, `prob_trans`,
    `prob_emit`), read from its files without importing jieba.posseg: its import also loads
    jieba and a POS table of its whole dictionary (0.4 s, 60 MB), which `lexicon.pos` does not
    read."""
    folder = Path(importlib.util.find_spec("jieba").origin).parent / "posseg"
    out = {}
    for name in ("char_state_tab", "prob_start", "prob_trans", "prob_emit"):
        spec = importlib.util.spec_from_file_location(f"{__name__}.{name}", folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out[name] = module.P
    return out


@lru_cache(maxsize=1)
def model() -> Model:
    start_P, trans_P = tables()["prob_start"], tables()["prob_trans"]
    names = sorted(trans_P)
    number = {y: i for i, y in enumerate(names)}
    into: list = [[] for _ in names]
    for y0, nexts in trans_P.items():
        for y, p in nexts.items():
            into[number[y]].append((number[y0], p))
    nexts = {number[y0]: frozenset(map(number.__getitem__, t)) for y0, t in trans_P.items() if t}
    return Model(names, number, [start_P[y] for y in names], [tuple(v) for v in into],
                 [dict(v) for v in into], nexts,
                 [max((p for _, p in v), default=float("-inf")) for v in into])


def _char(c: str) -> list:
    """(state, emission score of `c`) for each state jieba lets `c` take (all for a character
    its table lacks), read once per character a process meets."""
    pairs = _CHARS.get(c)
    if pairs is None:
        if len(_CHARS) >= CHARS_KEPT:
            _CHARS.clear()
        pairs = _CHARS[c] = _emitting(c, tables()["char_state_tab"].get(c, model().names))
    return pairs


def _emitting(c: str, states) -> list:
    """(state number, jieba's emission score of `c` in that state) for `states` (named)."""
    number, emit = model().number, tables()["prob_emit"]
    return [(number[y], emit[y].get(c, MIN_FLOAT)) for y in states]


def viterbi(obs: str) -> tuple[float, list]:
    """(score, state of each character) of the best path, as `jieba.posseg.viterbi` gives."""
    start = model().start
    v = {y: start[y] + emit for y, emit in _char(obs[0])}
    paths = [dict.fromkeys(v, -1)]
    for i in range(1, len(obs)):
        now, back = (_best if i == len(obs) - 1 else _step)(v, _char(obs[i]))
        if not now:
            states = _reachable(v, obs[i])
            if states is None:
                return _jieba(obs)
            now, back = _step(v, states)
        v = now
        paths.append(back)
    return _route(v, paths)


def _reachable(v: dict, c: str) -> list | None:
    """The (state, emission of `c`) pairs of every state the states `v` move to, which jieba
    takes when none of the states of `c` is among them; None when they move nowhere."""
    m = model()
    expected = frozenset().union(*(m.nexts[y0] for y0 in v if y0 in m.nexts))
    return _emitting(c, [m.names[y] for y in sorted(expected)]) if expected else None


def _into(v: dict, y: int, emit: float, m: Model) -> tuple[float, int] | None:
    """The best (score, state before) of state `y` emitting `emit` after the scores `v`, None
    where no state of `v` moves to `y`: the pairs into `y` that `v` holds, or the states of
    `v` that move to `y`, whichever are fewer to read."""
    into = m.into[y]
    if len(into) <= len(v):
        return max(((v[y0] + p + emit, y0) for y0, p in into if y0 in v), default=None)
    froms = m.froms[y]
    return max(((s + froms[y0] + emit, y0) for y0, s in v.items() if y0 in froms), default=None)


def _step(v: dict, states: list) -> tuple[dict, dict]:
    """The best score of each of `states` reachable from the scores `v` of the character
    before, and the state it came from."""
    m, now, back = model(), {}, {}
    for y, emit in states:
        best = _into(v, y, emit, m)
        if best is not None:
            now[y], back[y] = best
    return now, back


def _best(v: dict, states: list) -> tuple[dict, dict]:
    """`_step` for the last character, where only the best state counts: the states are tried
    from the highest bound down (the best score before, plus the best transition into the
    state, plus its emission: rounding keeps every sum of a state at or under its bound), and
    the search stops at a bound under the best score found (equal to it, a greater state could
    tie and win). Most runs are of two characters, where this reads a few of some forty
    states."""
    m = model()
    top, most, best = max(v.values()), m.most, None
    for bound, y, emit in sorted(((top + most[y] + emit, y, emit) for y, emit in states),
                                 reverse=True):
        if best is not None and bound < best[0]:
            break
        found = _into(v, y, emit, m)
        if found is not None and (best is None or (found[0], y) > best[:2]):
            best = (found[0], y, found[1])
    return ({}, {}) if best is None else ({best[1]: best[0]}, {best[1]: best[2]})


def _route(v: dict, paths: list[dict]) -> tuple[float, list]:
    """The best last state and the states back from it, named."""
    names = model().names
    prob, state = max((s, y) for y, s in v.items())
    route = [None] * len(paths)
    for i in range(len(paths) - 1, -1, -1):
        route[i] = names[state]
        state = paths[i][state]
    return prob, route


def _jieba(obs: str) -> tuple[float, list]:
    from jieba.posseg.viterbi import viterbi as reference

    t = tables()
    return reference(obs, t["char_state_tab"], t["prob_start"], t["prob_trans"], t["prob_emit"])
