"""`xunshi schema`: the records' JSON Schema and the comparison tables', and the README's field
reference written from them, so that every field is described in one place (the pydantic
`Field` descriptions of `pipeline.records` and `columns.TABLES`)."""
from __future__ import annotations

import datetime as dt
import types
import typing

from pydantic import BaseModel

from pipeline.compare.columns import STORE_ONLY, TABLES, json_schema
from pipeline.compare.outputs import mention_kinds, mention_models, record_fields
from pipeline.records import RECORD_TYPES, SCHEMA_VERSION, Rectification

FILES = {"documents": "one line per document read", "mentions": "one line per quantity, time "
         "or body", "items": "one line per work item", "texts": "one line per document: its text, "
         "which tables, evidence and the report read (never the source files)",
         "errors": "one line per file not read",
         "rectifications": "one line per inspected body per document (the ledger)"}


def type_names() -> list[str]:
    """Every name `xunshi schema --type` accepts: record types, then comparison tables."""
    return [*RECORD_TYPES, *TABLES, *STORE_ONLY]


def schema(kind: str | None = None) -> dict:
    """The JSON Schema of every record type and every comparison table row, or of one."""
    records = {k: m.model_json_schema(mode="serialization") for k, m in RECORD_TYPES.items()
               if kind in (None, k)}
    tables = {k: json_schema(k) for k in [*TABLES, *STORE_ONLY] if kind in (None, k)}
    return {"schema_version": SCHEMA_VERSION, "records": records, "tables": tables}


def type_name(annotation) -> str:
    """A field's type for people: `string`, `number or null`, `list of object` …"""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        name = " or ".join(type_name(a) for a in kept)
        return f"{name} or null" if len(kept) < len(args) else name
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "object"
    return {str: "string", int: "integer", float: "number", bool: "boolean",
            dt.date: "date (ISO)"}.get(annotation, str(annotation))


def _nested(annotation) -> type[BaseModel] | None:
    """The record model inside a list field (`regions` → RegionSpan), if any."""
    for a in (annotation, *typing.get_args(annotation)):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


def _row(name: str, annotation, description: str | None, where: str = "",
         outer: tuple = (), shown: dict | None = None) -> list[str]:
    """A field's line, then one per field of the record inside it (`regions[].start`); a record
    inside itself (a date's `earlier` dates) is not expanded again, nor, with `shown`, one
    already expanded for another field (the ledger's eleven figures: `as problems`)."""
    desc = (description or "").replace("|", "\\|")
    inner = _nested(annotation)
    if inner is not None and shown is not None and inner in shown:
        return [f"| `{name}` | {type_name(annotation)} | {where}{desc} (fields as `{shown[inner]}`) |"]
    if inner is not None and shown is not None:
        shown[inner] = name
    rows = [f"| `{name}` | {type_name(annotation)} | {where}{desc} |"]
    for sub, sf in (inner.model_fields.items() if inner and inner not in outer else ()):
        rows += _row(f"{name}[].{sub}", sf.annotation, sf.description, outer=(*outer, inner), shown=shown)
    return rows


def _kinds_of(name: str) -> str:
    """`quantity: ` for a mention field that only quantities have, '' for a shared one."""
    kinds = [m.model_fields["kind"].default for m in mention_models() if name in m.model_fields]
    return "" if len(kinds) == len(mention_models()) else f"*{', '.join(kinds)}:* "


def records_markdown() -> list[str]:
    lines = []
    files = {**record_fields(), "rectifications": Rectification.model_fields}
    for file, fields in files.items():
        lines += [f"#### `{file}.jsonl`: {FILES[file]}", "", "| field | type | description |",
                  "|---|---|---|"]
        shown: dict | None = {} if file == "rectifications" else None
        for name, f in fields.items():
            ann = typing.Literal[mention_kinds()] if (file, name) == ("mentions", "kind") \
                else f.annotation
            lines += _row(name, ann, f.description, _kinds_of(name) if file == "mentions" else "",
                          shown=shown)
        lines.append("")
    return lines


def tables_markdown() -> list[str]:
    lines = []
    for name, t in {**TABLES, **STORE_ONLY}.items():
        where = f"`tables/{name}.*`, SQL `{t.sql}`" if name in TABLES else f"SQL `{t.sql}` only"
        lines += [f"#### `{name}` ({where}): {t.row}", "", "| column | type | unit | description |",
                  "|---|---|---|---|"]
        cols = [*t.columns.items(), *([("…", t.each)] if t.each else [])]
        for col, (typ, unit, desc) in cols:
            lines.append(f"| `{col}` | {typ} | {unit} | {desc.replace('|', chr(92) + '|')} |")
        lines.append("")
    return lines


def markdown() -> str:
    """The field reference: every record field and every table column, as Markdown tables."""
    return "\n".join([*records_markdown(), *tables_markdown()]).rstrip() + "\n"
