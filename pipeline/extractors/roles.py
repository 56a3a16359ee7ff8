"""Roles (spec §4): which body does or leads the act, which is acted on, which only takes part.

A stage after the overlap resolver (`base.Refiner`), like measures: it reads the resolved body
mentions of the whole document and decides each one's `role` from the clause around it, with
the cues of `rules/roles.yaml`. Bodies joined by a list joiner (`、`, `和`, `及` …) share one role:
the cue is read around the whole list. A body whose rule fixes its role (`被巡察单位` is
inspected by what it is, `bodies.yaml` `role:`) keeps it.

The bodies stage asks the same cues whether a place name acts as a body at all
(`licenses`): a city named in passing is a place, a city that acts or is inspected is a body.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator

from pipeline.candidates import Candidate, Explained, RuleRef
from pipeline.context.document import Context
from pipeline.extractors.base import Refiner
from pipeline.records import Body, evolve
from pipeline.rules import Example, RuleModel, compile_rule, load_model

RULES = "roles.yaml"
Role = Literal["responsible", "target", "participant"]
DEFAULT: Role = "participant"


def _squeeze(v: str) -> str:
    """Patterns may be folded over lines in YAML; no Chinese pattern needs a literal space."""
    return re.sub(r"\s+", "", v)


class RoleCue(RuleModel):
    """A role a list of bodies takes when the text around it matches: `left` searched in its
    clause before it, `right` matched at the start of its clause after it, `before` searched in
    the statement before that clause."""

    id: str
    role: Role
    left: str = ""
    right: str = ""
    before: str = ""
    licenses_place: bool | None = True  # a place name under this cue acts as a body (None: the
    # cue says nothing of places, the next cue that fires decides)
    examples: list[Example] = Field(min_length=1)

    _sq = field_validator("left", "right", "before")(_squeeze)


class RoleFile(RuleModel):
    """The schema of `rules/roles.yaml`."""

    fragments: dict[str, str]
    joiners: list[str]
    list_gap: str
    list_tail: str
    reach: int = Field(ge=1)
    cues: list[RoleCue]

    _sq = field_validator("fragments")(lambda v: {k: _squeeze(x) for k, x in v.items()})
    _sq2 = field_validator("list_gap", "list_tail")(_squeeze)


@dataclass(frozen=True)
class Window:
    """The text a cue reads around a list of bodies."""

    left: str
    right: str
    before: str


@dataclass(frozen=True)
class RoleRules:
    """`rules/roles.yaml` with every cue compiled."""

    spec: RoleFile
    cues: list[tuple[RoleCue, re.Pattern | None, re.Pattern | None, re.Pattern | None]]
    joiners: frozenset[str]
    list_gap: re.Pattern
    list_tail: re.Pattern

    def window(self, ctx: Context, start: int, end: int) -> Window:
        """The clause before `start` and after `end` (never further than `reach`), and the
        statement before that clause. The clause marks are looked for within `reach` of the
        list only (`Units.around`): nothing else reads them in most documents, and they are its
        commas."""
        view, reach = ctx.view, self.spec.reach
        s, e = ctx.units.around("clause", start, end, reach)
        statements = ctx.units.ends("statement")
        before = view[statements.start_before(s, max(0, s - reach)):s]
        right = view[end:e]
        tail = self.list_tail.match(right)
        return Window(view[s:start].lstrip(" \u3000\t"), right[tail.end():] if tail else right, before)

    def fired(self, ctx: Context, start: int, end: int):
        """The cues that fire around the list of bodies spanning [start, end), in order."""
        w = self.window(ctx, start, end)
        return (c for c, lrx, rrx, brx in self.cues
                if (lrx is None or lrx.search(w.left)) and (rrx is None or rrx.match(w.right))
                and (brx is None or brx.search(w.before)))

    def cue(self, ctx: Context, start: int, end: int) -> RoleCue | None:
        """The first cue that fires around the list of bodies spanning [start, end)."""
        return next(self.fired(ctx, start, end), None)

    def licenses(self, ctx: Context, start: int, end: int) -> bool:
        """Whether a place name in the list spanning [start, end) acts as a body there: the first
        cue that fires and says anything of places decides."""
        cue = next((c for c in self.fired(ctx, start, end) if c.licenses_place is not None), None)
        return cue is not None and cue.licenses_place

    def lists(self, view: str, spans: list) -> list[list]:
        """Lists of bodies (spans in text order) that share one role: joined by a joiner, by
        members the bodies stage did not find, or by a gloss's bracket."""
        out: list[list] = []
        for k in spans:
            gap = view[out[-1][-1].end:k.start] if out else None
            if gap is not None and (gap in self.joiners or self.list_gap.match(gap)):
                out[-1].append(k)
            else:
                out.append([k])
        return out


@lru_cache(maxsize=1)
def role_rules() -> RoleRules:
    """Load, validate and compile `rules/roles.yaml`."""
    spec = load_model(RULES, RoleFile)

    def rx(rid: str, pattern: str) -> re.Pattern | None:
        return compile_rule(RULES, rid, pattern, spec.fragments) if pattern else None

    return RoleRules(spec, [(c, rx(c.id, c.left), rx(c.id, c.right), rx(c.id, c.before))
                            for c in spec.cues], frozenset(spec.joiners),
                     rx("list_gap", spec.list_gap), rx("list_tail", spec.list_tail))


class Roles(Refiner):
    """The roles stage: after the overlap resolver, on the document's bodies."""

    kind = "body"
    rules_file = RULES
    needs_mentions = True  # its examples are read with the run's own mentions

    def __init__(self, rules: RoleRules | None = None):
        self.rules = rules or role_rules()

    def refine(self, ctx: Context, mentions: list) -> list:
        return [m for m, _cue in self.decide(ctx, mentions)]

    def decide(self, ctx: Context, mentions: list) -> list[tuple]:
        """Every mention, bodies with their role, and the cue that decided each body (None for a
        role its rule fixes or the default)."""
        bodies = [m for m in mentions if type(m) is Body]
        decided: dict[int, tuple] = {}
        for group in self.rules.lists(ctx.view, bodies):
            cue = self.rules.cue(ctx, group[0].start, group[-1].end)
            for m in group:
                decided[id(m)] = self._with_role(m, cue)
        return [decided.get(id(m), (m, None)) for m in mentions]

    @staticmethod
    def _with_role(m, cue: RoleCue | None) -> tuple:
        """A body with the cue's role (or the default), unless its rule fixed one."""
        if m.role != DEFAULT:
            return evolve(m, {"explanation": _explained("rule", m.explanation)}), None
        role, why = (cue.role, cue.id) if cue else (DEFAULT, "default")
        return evolve(m, {"role": role, "explanation": _explained(why, m.explanation)}), cue

    # -------------------------------------------------------------------- the rule file's examples

    def examples(self) -> Iterable[tuple[str, Example]]:
        for cue in self.rules.spec.cues:
            yield from ((cue.id, ex) for ex in cue.examples)

    def rule_ids(self) -> list[str]:
        return [c.id for c in self.rules.spec.cues]

    def explain(self, ctx: Context, mentions: list) -> list[Explained]:
        """Every body with its role, crediting the cue that decided it."""
        return [Explained(Candidate(m.start, m.end, RuleRef(m.rule_id),
                                    applied=[cue.id] if cue else []), m)
                for m, cue in self.decide(ctx, mentions) if type(m) is Body]


def _explained(why: str, rest: str | None) -> str:
    return f"role: {why}" + (f"; {rest}" if rest else "")
