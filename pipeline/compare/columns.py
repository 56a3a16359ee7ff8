"""The schema of the comparison tables: every column, its type, its unit and what it means.

`xunshi schema` prints it (as JSON Schema, beside the records'), the README's field reference is
generated from it, the workbook puts units in its headers from it, and a test checks that every
column `compare` writes is described here and nothing else is. A wide table has one column per
metric, practice or body besides `region`: `each` describes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

REGION = ("string", "", "full name of the province-level region (河北省)")
REFS = "ids of the {} behind the cell, `doc_id#id`, in text order"


@dataclass(frozen=True)
class TableSchema:
    """One comparison table: its SQL name in `xunshi.duckdb`, what a row is, its columns
    (name → JSON type, unit, description) and, for a wide table, its repeated column."""

    sql: str
    row: str
    columns: dict[str, tuple[str, str, str]]
    each: tuple[str, str, str] | None = None
    note: str = field(default="")

LEDGER_GROUP = {
    "records": ("integer", "records", "ledger records in the group, those without a body included"),
    "bodies": ("integer", "bodies", "inspected bodies (chains of records), each counted once by its "
               "latest record"),
    "problems": ("number", "problems", "Σ problems over the bodies that state them"),
    "problems_n": ("integer", "bodies", "bodies behind `problems`"),
    "done": ("number", "problems", "Σ problems done over the bodies that state them (measures "
             "done are not problems done)"),
    "done_n": ("integer", "bodies", "bodies behind `done`"),
    "rate": ("number", "%", "100·Σdone/Σproblems over the bodies that state both, one decimal; "
             "stated rates are never averaged"),
    "rate_n": ("integer", "bodies", "bodies behind `rate`"),
    "overdue": ("integer", "bodies", "bodies with problems open after their chain's latest deadline"),
    "overdue_evaluable": ("integer", "bodies", "bodies with a deadline and a known open count"),
    "overdue_share": ("number", "", "overdue / overdue_evaluable, null when none is evaluable"),
    "conflicts": ("integer", "bodies", "bodies whose latest record states a figure twice, "
                  "differently (left out of that sum)"),
    "unattributed": ("integer", "records", "records without a body: counted here, never added"),
    "record_refs": ("array", "", "ids of the ledger records behind the row, `doc_id#n`"),
}
FIGURE = "the {}: its agreed value (null when its statements conflict; see rectification_evidence)"


TABLES: dict[str, TableSchema] = {
    "metrics": TableSchema(
        "metrics_wide", "one region",
        {"region": REGION},
        ("string", "",
         "one column per measure and status of rules/metrics.yaml (`发现问题 (个)`, "
         "`地区生产总值增长目标 (%)`), and per status a region has figures of: the region's "
         "total as the text states it (`4.5–5`, `≥50`, `约68`), its statements combined as "
         "metrics_long says; parts and figures in another unit are in metrics_long only")),
    "metrics_long": TableSchema(
        "metrics", "one region, measure, status and unit found, and one per part",
        {"region": REGION,
         "measure": ("string", "", "the measure's id (spec §5a: problems.found …; "
                     "economy.gdp.growth …)"),
         "metric": ("string", "", "its label for the row's status (发现问题, 地区生产总值增长目标)"),
         "metric_en": ("string", "", "its English label"),
         "status": ("string", "", "done (achieved or under way) or planned (a target, plan or "
                    "requirement): separate rows, never combined"),
         "scope": ("string", "", "total, or part: a subset of a figure given beside it (其中 …), "
                   "one row per part statement, never added to the total"),
         "figure": ("string", "", "the value as the text states it: 4.5–5, ≥50, ≤50, 约68; a "
                    "rate of change that falls (下降0.1%) as the change, −0.1"),
         "value": ("number", "", "the value in `unit` (the lower bound of a range), negative "
                   "for a fall of a rate of change"),
         "value_max": ("number", "", "the upper bound of a range, else null"),
         "approx": ("string", "", "more (余 多 以上), less (近 不到), about (约 左右), or null"),
         "unit": ("string", "", "the unit of the value (个 % 万元 …): the metric's, or the "
                  "mentions' own when the metric does not combine it"),
         "combine": ("string", "", "sum (each statement once), latest (the last statement of "
                     "the most recent document: rates), headline (the first statement of the "
                     "most recent document: work-report indicators), part"),
         "statements": ("integer", "statements", "statements combined (a figure repeated in a "
                        "document, or a sentence repeated in another, is one)"),
         "mentions": ("integer", "mentions", "quantity mentions behind the row, repeats included"),
         "mention_refs": ("array", "", REFS.format("mentions")),
         "documents": ("integer", "documents", "documents of those mentions"),
         "date": ("date", "", "reference date of the document the value comes from (of the "
                  "most recent one, for a sum)"),
         "counted": ("string", "", "the noun counted by the row's first statement"),
         "doc_id": ("string", "", "the document of the row's first (or chosen) statement"),
         "evidence": ("string", "", "the sentence of that statement, as written")}),
    "practices": TableSchema(
        "practices_wide", "one region",
        {"region": REGION},
        ("integer", "items",
         "one column per practice category (rules/practices.yaml), most frequent first: the "
         "number of the region's work items in it (0: none found; see coverage)")),
    "practices_long": TableSchema(
        "practices", "one region and practice category found",
        {"region": REGION,
         "category": ("string", "", "the practice category (rules/practices.yaml name)"),
         "items": ("integer", "items", "number of the region's work items in it"),
         "item_refs": ("array", "", REFS.format("items")),
         "doc_id": ("string", "", "the document of the first item"),
         "item_id": ("string", "", "the first item's id"),
         "cue": ("string", "", "the cue term that put the first item in the category"),
         "evidence": ("string", "", "the sentence of the first item, as written")}),
    "bodies": TableSchema(
        "bodies_wide", "one region",
        {"region": REGION},
        ("integer", "items",
         "one column per body, named without its region (省纪委监委), the 30 leading most items "
         "overall: the number of the region's work items that name it responsible (items that "
         "only inherit it from their sentence's subject are counted in bodies_long)")),
    "bodies_long": TableSchema(
        "bodies", "one region and body name",
        {"region": REGION,
         "body": ("string", "", "the body's full name (河北省纪委监委)"),
         "generic": ("string", "", "the name with its region written 省, to compare regions"),
         "level": ("string", "", "its most frequent level (provincial, municipal …)"),
         "items_led": ("integer", "items", "work items that name it responsible (stated in "
                       "their own clauses)"),
         "items_inherited": ("integer", "items", "work items it is responsible for only as the "
                             "subject carried over from an earlier item of their sentence"),
         "mentions": ("integer", "mentions", "times it is named in the region's passages"),
         "responsible": ("integer", "mentions", "mentions with role responsible"),
         "target": ("integer", "mentions", "mentions with role target"),
         "participant": ("integer", "mentions", "mentions with role participant"),
         "item_refs": ("array", "", REFS.format("items that name it responsible")),
         "inherited_refs": ("array", "", REFS.format("items that inherit it")),
         "mention_refs": ("array", "", REFS.format("mentions"))}),
    "deadlines": TableSchema(
        "deadlines", "one deadline mention, dated ones first by date",
        {"region": ("string", "", "the region of the deadline, null outside any region"),
         "start_date": ("date", "", "first day of the deadline's span, when fixed"),
         "end_date": ("date", "", "the bound: last day allowed, when fixed"),
         "offset": ("string", "", "ISO 8601 duration of a relative deadline (P2M)"),
         "anchor": ("string", "", "the event it counts from (反馈)"),
         "text": ("string", "", "the deadline as written"),
         "action": ("string", "", "the act of its work item"),
         "task": ("string", "", "what the act is about"),
         "item_text": ("string", "", "the work item's text"),
         "doc_id": ("string", "", "the document"),
         "mention_id": ("string", "", "the time mention's id"),
         "item_id": ("string", "", "its work item's id"),
         "rule_id": ("string", "", "the rule that found it"),
         "score": ("number", "", "confidence, 1 for a rule")}),
    "coverage": TableSchema(
        "coverage", "one region: what was read and found",
        {"region": REGION,
         "documents": ("integer", "documents", "documents with a passage or record of the region"),
         "chars": ("integer", "characters", "length of the region's passages"),
         "items": ("integer", "items", "work items in the region"),
         "quantity_mentions": ("integer", "mentions", "quantities in the region"),
         "time_mentions": ("integer", "mentions", "times in the region"),
         "body_mentions": ("integer", "mentions", "bodies in the region"),
         "metrics": ("integer", "cells", "measure and status cells with a total for the region"),
         "practices": ("integer", "categories", "practice categories with an item")}),
    "rectifications": TableSchema(
        "rectifications_by_region", "one region of the rectification ledger (null: no region)",
        {"region": ("string", "", "full name of the province-level region, null for records "
                    "without one"), **LEDGER_GROUP}),
    "rectifications_by_level": TableSchema(
        "rectifications_by_level", "one level of the inspected bodies (null: unknown)",
        {"level": ("string", "", "the bodies' level (county, municipal …), null when unknown"),
         **LEDGER_GROUP}),
    "rectification_records": TableSchema(
        "rectifications", "one ledger record: one inspected body in one document",
        {"record_id": ("string", "", "`doc_id#n`, n the body's order in its document"),
         "doc_id": ("string", "", "the document"),
         "region": ("string", "", "the body's province-level region"),
         "body": ("string", "", "the body's fullest name; null: the notice names none"),
         "body_key": ("string", "", "its link key (name without 中共 and its party organ)"),
         "level": ("string", "", "its level"),
         "notice": ("string", "", "feedback, progress, report, recheck or other"),
         "document_date": ("date", "", "the document's reference date"),
         "reason": ("string", "", "why body is null: self_reference_only, generic_only, no_candidate"),
         "inspector": ("string", "", "the inspection group"),
         "inspection_start": ("date", "", "first day of the inspection"),
         "inspection_end": ("date", "", "last day of the inspection"),
         "feedback_date": ("date", "", "the day the group fed back"),
         "feedback_source": ("string", "", "text, or manifest"),
         "deadline": ("date", "", "the first completion deadline's last day"),
         "deadline_text": ("string", "", "the deadline as written"),
         "deadline_reason": ("string", "", "why the deadline has no date"),
         "as_of": ("date", "", "the 截至 date the figures are stated as of"),
         "problems": ("number", "problems", FIGURE.format("problems fed back")),
         "measures": ("number", "measures", FIGURE.format("rectification measures set")),
         "done": ("number", "problems", FIGURE.format("problems rectified")),
         "ongoing": ("number", "problems", FIGURE.format("problems still being rectified")),
         "rate": ("number", "%", FIGURE.format("stated completion rate")),
         "rules": ("number", "rules", FIGURE.format("rules made or revised")),
         "disciplined": ("number", "people", FIGURE.format("people disciplined")),
         "leads": ("number", "leads", FIGURE.format("problem leads transferred")),
         "new_problems": ("number", "problems", FIGURE.format("problems a 回头看 found anew")),
         "measures_done": ("number", "measures", FIGURE.format("measures or tasks completed")),
         "measures_ongoing": ("number", "measures", FIGURE.format("measures or tasks under way")),
         "rate_computed": ("number", "%", "100·done/problems, one decimal, half up"),
         "conflicts": ("array", "", "figures whose statements conflict"),
         "checks": ("array", "", "checks reported: sum_mismatch, rate_mismatch, overdue, conflict, "
                    "ambiguous, date_order (see rectification_checks)"),
         "chain": ("string", "", "`region|key`: the body's timeline across documents"),
         "position": ("integer", "", "the record's place in its chain, from 1"),
         "count": ("integer", "records", "records in the chain"),
         "previous": ("string", "", "record_id of the previous record of the chain"),
         "next": ("string", "", "record_id of the next record of the chain"),
         "mention_refs": ("array", "", REFS.format("mentions"))}),
}
STORE_ONLY: dict[str, TableSchema] = {
    "regions": TableSchema(
        "regions", "one region passage of a document",
        {"doc_id": ("string", "", "the document"),
         "region": REGION,
         "start": ("integer", "", "offset where the passage starts"),
         "end": ("integer", "", "offset one past its end"),
         "rule_id": ("string", "", "how it was found"),
         "chars": ("integer", "characters", "its length")}),
    "rectification_evidence": TableSchema(
        "rectification_evidence", "one mention behind a ledger figure",
        {"record_id": ("string", "", "the ledger record"),
         "doc_id": ("string", "", "the document"),
         "field": ("string", "", "the figure (problems, done …)"),
         "role": ("string", "", "stated, repeat, summand, alt_unit, part, superseded"),
         "value": ("number", "", "the mention's value"),
         "unit": ("string", "", "its unit"),
         "text": ("string", "", "the mention as written"),
         "start": ("integer", "", "offset of its first character"),
         "end": ("integer", "", "offset one past its last character"),
         "mention_id": ("string", "", "the quantity mention"),
         "rule_id": ("string", "", "the rule that found the mention")}),
    "rectification_checks": TableSchema(
        "rectification_checks", "one check reported on a ledger record",
        {"record_id": ("string", "", "the ledger record"),
         "doc_id": ("string", "", "the document"),
         "check": ("string", "", "sum_mismatch, rate_mismatch, overdue, conflict, ambiguous, date_order"),
         "message": ("string", "", "the check in one line"),
         "details": ("string", "", "the figures compared, as a JSON object"),
         "mention_refs": ("array", "", REFS.format("mentions the check reads"))}),
}
"""Tables of `xunshi.duckdb` that `compare` does not write as files."""

JSON_TYPES = {"string": {"type": ["string", "null"]}, "number": {"type": ["number", "null"]},
              "integer": {"type": ["integer", "null"]},
              "date": {"type": ["string", "null"], "format": "date"},
              "array": {"type": "array", "items": {"type": "string"}}}


def json_schema(name: str) -> dict:
    """The JSON Schema of one row of a comparison table (as `query --format json` gives it)."""
    t = {**TABLES, **STORE_ONLY}[name]
    props = {col: {**JSON_TYPES[typ], "description": _described(desc, unit)}
             for col, (typ, unit, desc) in t.columns.items()}
    schema = {"title": name, "description": f"{t.row}; SQL table `{t.sql}` in xunshi.duckdb",
              "type": "object", "properties": props, "required": list(props)}
    if t.each:
        typ, unit, desc = t.each
        schema["additionalProperties"] = {**JSON_TYPES[typ], "description": _described(desc, unit)}
    else:
        schema["additionalProperties"] = False
    return schema


def _described(desc: str, unit: str) -> str:
    return f"{desc} [{unit}]" if unit else desc


def unit_of(table: str, column: str) -> str:
    """The unit a table's column is counted in, for headers (`chars (characters)`), or ''."""
    t = TABLES.get(table)
    if t is None:
        return ""
    if column in t.columns:
        return t.columns[column][1]
    return t.each[1] if t.each else ""
