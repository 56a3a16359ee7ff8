"""The spec's scoring (§7), in the project's own code, so `xunshi eval` needs nothing outside.

Gold mentions carry no offsets: the k-th mention with a given text is the next occurrence after
the previous mention of the same list, unless it gives `at`. Matching is greedy and one-to-one
over overlapping spans whose attributes agree; optional gold mentions are removed from both
sides first. The figures agree with `../shared/tools/score.py` to the third decimal.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.errors import InputError
from pipeline.reading.files import decode
from pipeline.records import MENTION_TYPES, kind_of
from pipeline.rules import RuleModel, load_model

SCORING = "scoring.yaml"
KINDS = tuple((kind_of(t), t.gold_key) for t in MENTION_TYPES)  # (kind, its list in a gold file)
FIGURES = (*(key for _, key in KINDS), "bodies_strict", "measures")


class ScoringRules(RuleModel):
    """The schema of `rules/scoring.yaml`: how units are compared."""

    traditional_units: dict[str, str]
    unit_aliases: dict[str, str]
    money: dict[str, float]


@lru_cache(maxsize=1)
def scoring() -> tuple[dict, dict[str, str], dict[str, float]]:
    """The unit table of the rule file: (traditional → simplified, aliases, money scales)."""
    r = load_model(SCORING, ScoringRules)
    return str.maketrans(r.traditional_units), r.unit_aliases, r.money


def simp(s: str | None) -> str:
    """Units and names compared in simplified script, with unit aliases folded."""
    trad, aliases, _ = scoring()
    s = (s or "").translate(trad).strip()
    return aliases.get(s, s)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    acc: dict = field(default_factory=dict)

    def add(self, gold: int, pred: int, matched: int) -> None:
        self.tp += matched
        self.fp += pred - matched
        self.fn += gold - matched

    def hit(self, key: str, ok: bool) -> None:
        a = self.acc.setdefault(key, [0, 0])
        a[0] += bool(ok)
        a[1] += 1

    def summary(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
               "tp": self.tp, "fp": self.fp, "fn": self.fn}
        out.update({f"{k}_acc": round(ok / n, 3) if n else None for k, (ok, n) in self.acc.items()})
        return out


def locate(text: str, mentions: list[dict], doc: str) -> None:
    """Give each gold mention `_s`/`_e`: the next occurrence after the previous one's start."""
    pos = 0
    for m in mentions:
        if "at" in m:
            if text[m["at"]:m["at"] + len(m["text"])] != m["text"]:
                raise InputError(doc, f"gold text {m['text']!r} is not at {m['at']}", "gold")
            i = m["at"]
        else:
            i = text.find(m["text"], pos)
            i = text.find(m["text"]) if i < 0 else i
            if i < 0:
                raise InputError(doc, f"gold text not found: {m['text']!r}", "gold")
        m["_s"], m["_e"] = i, i + len(m["text"])
        pos = i + 1


def span(m: dict) -> tuple[int, int]:
    return (m["_s"], m["_e"]) if "_s" in m else (m["start"], m["end"])


def overlap(a: dict, b: dict) -> bool:
    (a0, a1), (b0, b1) = span(a), span(b)
    return a0 < b1 and b0 < a1


def close(x, y) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return abs(float(x) - float(y)) <= 1e-6 * max(1.0, abs(float(x)))


def same_amount(g: dict, p: dict) -> bool:
    """Value, range and unit agree; money agrees across 元/万元/亿元."""
    ug, up = simp(g.get("unit")), simp(p.get("unit"))
    money = scoring()[2]
    if ug in money and up in money:
        return all(close(_scaled(g.get(k), money[ug]), _scaled(p.get(k), money[up]))
                   for k in ("value", "value_max"))
    return ug == up and close(g.get("value"), p.get("value")) and close(g.get("value_max"), p.get("value_max"))


def _scaled(v, factor):
    return None if v is None else float(v) * factor


def same_time_kind(g: dict, p: dict) -> bool:
    return g["kind"] == p.get("time_kind")


def match(gold: list[dict], pred: list[dict], agree) -> list[tuple[dict, dict]]:
    """Greedy one-to-one pairs of overlapping mentions whose attributes agree."""
    used, pairs = set(), []
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and overlap(g, p) and agree(g, p):
                used.add(j)
                pairs.append((g, p))
                break
    return pairs


def drop_optional(gold: list[dict], pred: list[dict]):
    """Optional gold mentions, and predictions touching only them, count for nothing."""
    opt = [g for g in gold if g.get("optional")]
    gold = [g for g in gold if not g.get("optional")]
    pred = [p for p in pred if not any(overlap(o, p) for o in opt) or any(overlap(g, p) for g in gold)]
    return gold, pred


def _said(kind: str, m: dict, gold: bool = False) -> str:
    """What a mention says that decides a match: the kind of a time, the amount of a count."""
    if kind == "time":
        return m.get("kind" if gold else "time_kind")
    if kind == "quantity":
        return f"{m.get('value')}–{m.get('value_max')} {m.get('unit')}"
    if kind == "measure":
        return m.get("measure")
    return ""


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class Scorer:
    """Accumulates the spec's figures over the gold documents."""

    def __init__(self, pred_dir: Path):
        docs = read_jsonl(pred_dir / "documents.jsonl")
        self.by_name = {Path(d["path"]).name: d["doc_id"] for d in docs}
        self.mentions = read_jsonl(pred_dir / "mentions.jsonl")
        self.items = {(i["doc_id"], i["item_id"]): i for i in read_jsonl(pred_dir / "items.jsonl")}
        self.t = {k: Tally() for k in FIGURES}
        self.region, self.item, self.missing = [0, 0], [0, 0], []
        self.errors: list[dict] = []  # every miss, for `xunshi eval --errors`
        self.doc = self.text = ""

    def error(self, kind: str, what: str, gold: dict | None, pred: dict | None, **detail) -> None:
        """One disagreement: a missed or spurious mention, or an attribute that differs."""
        said = self.text[pred["start"]:pred["end"]] if pred else None
        self.errors.append({"doc": self.doc, "kind": kind, "error": what,
                            "gold": (gold or {}).get("text"), "pred": said,
                            "start": pred["start"] if pred else gold.get("_s"), **detail})

    def add_document(self, gold: dict, text: str) -> None:
        doc_id = self.by_name.get(gold["doc"])
        self.doc, self.text = gold["doc"], text
        if doc_id is None:
            self.missing.append(gold["doc"])
        mine = [m for m in self.mentions if m.get("doc_id") == doc_id]
        for kind, key in KINDS:
            g = gold.get(key, [])
            locate(text, g, gold["doc"])
            p = [m for m in mine if m.get("kind") == kind]
            if kind == "quantity":
                g = [x for x in g if not x.get("ordinal")]
                p = [x for x in p if not x.get("ordinal")]
            g, p = drop_optional(g, p)
            self._score_kind(kind, key, g, p, doc_id)
            if kind == "quantity" and any("measure" in x for x in gold.get("quantities", [])):
                self._measures(g, p)

    def _measures(self, g: list[dict], p: list[dict]) -> None:
        """Spec §5a: a predicted measure matches an overlapping gold quantity of the same measure;
        scope and status are compared over the pairs. Only gold files that label measures count."""
        gm = [x for x in g if x.get("measure")]
        pm = [x for x in p if x.get("measure")]
        pairs = match(gm, pm, lambda a, b: a["measure"] == b.get("measure"))
        t = self.t["measures"]
        t.add(len(gm), len(pm), len(pairs))
        self._unmatched("measure", gm, pm, pairs)
        for a, b in pairs:
            for key in ("scope", "status"):
                self._check(t, "measure", key, a.get(key) == b.get(key), a, b, a.get(key), b.get(key))

    def _score_kind(self, kind, key, g, p, doc_id) -> None:
        agree = {"quantity": same_amount, "time": same_time_kind}.get(kind, lambda a, b: True)
        pairs = match(g, p, agree)
        self.t[key].add(len(g), len(p), len(pairs))
        self._unmatched(kind, g, p, pairs)
        for a, b in pairs:
            self._attributes(kind, key, a, b)
        if kind == "body":
            self.t["bodies_strict"].add(len(g), len(p), len(match(g, p, lambda a, b: span(a) == span(b))))
        loose = match(g, p, lambda a, b: True)
        for a, b in loose:
            if "region" in a:
                self.region[0] += a["region"] == b.get("region")
                self.region[1] += 1
                if a["region"] != b.get("region"):
                    self.error(kind, "region", a, b, expected=a["region"], got=b.get("region"))
        if kind in ("quantity", "time"):
            self._items(kind, g, loose, doc_id)

    def _unmatched(self, kind, g, p, pairs) -> None:
        """Gold mentions no prediction matched, predictions that matched none (with what the
        overlapping other side says, when there is one)."""
        got, hit = {id(a) for a, _ in pairs}, {id(b) for _, b in pairs}
        for a in g:
            if id(a) not in got:
                near = next((b for b in p if overlap(a, b)), None)
                self.error(kind, "missed", a, near, **({"expected": _said(kind, a, gold=True),
                                                       "got": _said(kind, near)} if near else {}))
        for b in p:
            if id(b) not in hit and not any(overlap(a, b) for a in g):
                self.error(kind, "spurious", None, b)

    def _attributes(self, kind, key, a, b) -> None:
        t = self.t[key]
        if kind == "quantity":
            ga, pa = simp(a.get("counted")), simp(b.get("counted"))
            self._check(t, kind, "counted", bool(ga) and pa != "" and (ga in pa or pa in ga), a, b, ga, pa)
            self._check(t, kind, "approx", (a.get("approx") or None) == (b.get("approx") or None),
                        a, b, a.get("approx"), b.get("approx"))
        elif kind == "time":
            dates = (a.get("start"), a.get("end")), (b.get("start_date"), b.get("end_date"))
            self._check(t, kind, "dates", dates[0] == dates[1], a, b, *dates)
        else:
            self._check(t, kind, "name", simp(a.get("name")) == simp(b.get("name")), a, b,
                        a.get("name"), b.get("name"))
            self._check(t, kind, "role", a.get("role") == b.get("role"), a, b, a.get("role"), b.get("role"))

    def _check(self, t: Tally, kind: str, key: str, ok: bool, a, b, expected, got) -> None:
        t.hit(key, ok)
        if not ok:
            self.error(kind, key, a, b, expected=expected, got=got)

    def _items(self, kind, gold, loose, doc_id) -> None:
        found = {id(a): b for a, b in loose}
        for a in gold:
            if not a.get("action"):
                continue
            b = found.get(id(a))
            it = self.items.get((doc_id, b.get("item_id"))) if b else None
            ok = bool(it) and simp(it.get("action")) == simp(a["action"])
            self.item[0] += ok
            self.item[1] += 1
            if not ok:
                self.error(kind, "action", a, b,
                           expected=a["action"], got=it.get("action") if it else None,
                           item=it.get("text") if it else None)

    def summary(self) -> dict:
        out = {k: t.summary() for k, t in self.t.items()}
        out["region_acc"] = round(self.region[0] / self.region[1], 3) if self.region[1] else None
        out["item_action_acc"] = round(self.item[0] / self.item[1], 3) if self.item[1] else None
        out["docs_missing_from_output"] = self.missing
        return out


def score(gold_dir: Path, docs_dir: Path, pred_dir: Path, errors: list | None = None) -> dict:
    """Score the outputs in `pred_dir` against every gold file in `gold_dir`; every
    disagreement is appended to `errors` when a list is given."""
    scorer = Scorer(Path(pred_dir))
    for gf in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        path = Path(docs_dir) / gold["doc"]
        text, _ = decode(path.read_bytes(), str(path))
        scorer.add_document(gold, text)
    if errors is not None:
        errors.extend(scorer.errors)
    return scorer.summary()


def format_summary(out: dict) -> str:
    """The same lines as the reference scorer prints."""
    lines = []
    for k in FIGURES:
        v = out[k]
        if k == "measures" and not (v["tp"] or v["fp"] or v["fn"]):
            continue  # no gold file labels measures
        extra = "  ".join(f"{x}={v[x]}" for x in v if x.endswith("_acc"))
        lines.append(f"{k:14s} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f}  "
                     f"(tp={v['tp']} fp={v['fp']} fn={v['fn']})  {extra}")
    lines.append(f"region_acc={out['region_acc']}  item_action_acc={out['item_action_acc']}")
    if out["docs_missing_from_output"]:
        lines.append("documents with no output: " + ", ".join(out["docs_missing_from_output"]))
    return "\n".join(lines)
