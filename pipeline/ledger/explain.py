"""The rules of `rules/ledger.yaml` shown on a text, for their examples: which rule decided what.

`tests/test_rule_examples.py` runs every rule file's examples through the `explain` of the stage
that owns it; the ledger is that stage for `ledger.yaml`. A text is read as the run reads a
document (its mentions refined, its items built), then each ledger rule that decided something
gives a row: the notice's form, the bodies the clauses inspect, name or refer to themselves, each
body's link key, the field each figure goes to, the completion deadlines and inspection periods.
"""
from __future__ import annotations

from pipeline.candidates import Candidate, Explained, RuleRef
from pipeline.context.document import Context
from pipeline.ledger import bodies as B
from pipeline.ledger import dates, figures
from pipeline.ledger.build import notice_form
from pipeline.ledger.keys import key
from pipeline.ledger.rules import LEDGER_FILE, ledger_rules
from pipeline.ledger.text import Text
from pipeline.records import Span


class Reading(Span):
    """What a ledger rule read at a span: a body's name and key, a figure's field."""

    name: str | None = None
    key: str | None = None
    field: str | None = None


class LedgerRules:
    """The owner of `rules/ledger.yaml` for the rule files' examples."""

    rules_file = LEDGER_FILE
    needs_mentions = True  # its examples are read with the run's own mentions

    def __init__(self):
        self.rules = ledger_rules()

    def shown(self) -> list:
        spec = self.rules.spec
        b, f, t = spec.bodies, spec.figures, spec.times
        return [*spec.forms, b.subject, b.target, b.self_reference, spec.keys, f.problems,
                f.new_problems, f.tasks, t.completion, t.inspection]

    def examples(self):
        for rule in self.shown():
            yield from ((rule.id, ex) for ex in rule.examples)

    def rule_ids(self) -> list[str]:
        return [r.id for r in self.shown()]

    def explain(self, ctx: Context, mentions: list) -> list[Explained]:
        """Every decision of a ledger rule on the text, as the run would make it."""
        from pipeline.run.process import stages

        run = stages(use_model=False)
        for stage in run.refiners:
            mentions = stage.refine(ctx, mentions)
        _, mentions = run.items.extract(ctx, mentions)
        text = Text(ctx.view, tuple(h.start for h in ctx.headings if h.level >= 1))
        return [*self.form_rows(ctx, text), *self.body_rows(ctx, text, mentions),
                *self.figure_rows(ctx, text, mentions), *self.time_rows(ctx, text, mentions)]

    def form_rows(self, ctx: Context, text: Text) -> list[Explained]:
        form = notice_form(text)
        rule = next((r for r in self.rules.spec.forms if r.form == form), None)
        return [row(ctx, *text.form_span, rule.id)] if rule else []

    def body_rows(self, ctx: Context, text: Text, mentions: list) -> list[Explained]:
        spec = self.rules.spec
        found = B.find(text, [m for m in mentions if m.kind == "body"])
        rows = [row(ctx, b.start, b.end, spec.bodies.self_reference.id) for b in found.selves]
        for c in found.clusters:
            name = c.name(text.title)
            rows += [row(ctx, b.start, b.end, spec.bodies.subject.id) for b in c.subjects]
            rows += [row(ctx, b.start, b.end, spec.bodies.target.id, name=c.phrases.get(b.mention_id, b.name))
                     for b in c.targets]
            rows.append(row(ctx, c.anchor.start, c.anchor.end, spec.keys.id, name=name, key=key(name)))
        return rows

    def figure_rows(self, ctx: Context, text: Text, mentions: list) -> list[Explained]:
        f = self.rules.spec.figures
        by_field = {"problems": f.problems.id, "new_problems": f.new_problems.id,
                    "measures_done": f.tasks.id, "measures_ongoing": f.tasks.id}
        quantities = [m for m in mentions if m.kind == "quantity"]
        return [row(ctx, q.start, q.end, by_field[name], field=name)
                for name, q in figures.candidates(text, quantities, notice_form(text)) if name in by_field]

    def time_rows(self, ctx: Context, text: Text, mentions: list) -> list[Explained]:
        t = self.rules.spec.times
        times = [m for m in mentions if m.kind == "time"]
        return [*(row(ctx, d.start, d.end, t.completion.id) for d in dates.deadlines(text, times)),
                *(row(ctx, p.time.start, p.time.end, t.inspection.id) for p in dates.periods(text, times))]


def row(ctx: Context, start: int, end: int, rule_id: str, **read) -> Explained:
    """A decision of `rule_id` at a span, with what it read there."""
    return Explained(Candidate(start, end, RuleRef(rule_id)),
                     Reading(start=start, end=end, text=ctx.span(start, end), **read))
