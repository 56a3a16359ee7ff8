"""jieba's POS HMM (`jieba.posseg.viterbi`) with its transitions looked up the other way round.

For each state of a character jieba's viterbi takes the best of every state of the character
before, most of which cannot move to it (a transition it scores -inf); 256 states, about 32
into each, so nine tenths of its work is those. Here each state reads only the states that
can move into it (`into`). The result is the same: each score is the same float sum in the
same order (`(previous + transition) + emission`), a state that cannot move never beats one
that can (scores are finite, -inf is not), and ties go to the greater state as in jieba's
`max` of (score, state). Where jieba's own viterbi would find no state to move from, it is
called instead, so that it fails as jieba does.
"""
from __future__ import annotations

from functools import lru_cache

MIN_FLOAT = -3.14e100  # jieba's score of a character a state does not emit


@lru_cache(maxsize=1)
def model():
    """jieba's tables and, per state, the states that move into it with their scores."""
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P

    into: dict = {y: [] for y in trans_P}
    for y0, nexts in trans_P.items():
        for y, p in nexts.items():
            into[y].append((y0, p))
    nexts = {y0: frozenset(t) for y0, t in trans_P.items() if t}
    return (char_state_tab_P, start_P, emit_P, {y: tuple(v) for y, v in into.items()}, nexts,
            trans_P.keys())


def viterbi(obs: str) -> tuple[float, list]:
    """(score, state of each character) of the best path, as `jieba.posseg.viterbi` gives."""
    states, start_p, emit_p, into, nexts, everything = model()
    c = obs[0]
    v = {y: start_p[y] + emit_p[y].get(c, MIN_FLOAT) for y in states.get(c, everything)}
    paths = [dict.fromkeys(v, "")]
    for c in obs[1:]:
        prev = {y0: s for y0, s in v.items() if y0 in nexts}
        expected = frozenset().union(*map(nexts.__getitem__, prev))
        if not expected:
            return _jieba(obs)
        now = expected.intersection(states.get(c, everything)) or expected
        v, back = {}, {}
        for y in now:
            emit = emit_p[y].get(c, MIN_FLOAT)
            v[y], back[y] = max((prev[y0] + p + emit, y0) for y0, p in into[y] if y0 in prev)
        paths.append(back)
    return _route(v, paths)


def _route(v: dict, paths: list[dict]) -> tuple[float, list]:
    """The best last state and the states back from it."""
    prob, state = max((s, y) for y, s in v.items())
    route = [None] * len(paths)
    for i in range(len(paths) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return prob, route


def _jieba(obs: str) -> tuple[float, list]:
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi as reference

    return reference(obs, char_state_tab_P, start_P, trans_P, emit_P)
