"""An extraction output folder, read back: the JSON Lines contract as Arrow tables and frames.

The comparison tables, the DuckDB store, the report and `pipeline.load` read `documents.jsonl`,
`mentions.jsonl`, `items.jsonl` and `errors.jsonl` through this module only. Their columns and
types are derived from the record models of `pipeline.records`, the one definition of the
contract: a field added there is a column here, never a hand-kept copy that drops it. The
ledger's `rectifications.jsonl` is read as validated records (`Rectification`): its nested,
self-similar dates make no Arrow schema, and `compare.ledger` flattens it into tables.
The documents' texts (`texts.jsonl`, for evidence sentences and the report's text view) are read
one document at a time, when asked for: nothing here ever opens a source file, so the same
output folder gives the same tables wherever the reports are now.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pydantic import BaseModel

from pipeline import records
from pipeline.errors import InputError

RECORD_FILES = ("documents", "mentions", "items", "errors")
"""The record files loaded as tables (`texts.jsonl` is read per document, on demand)."""
TEXTS = "texts.jsonl"
SCALARS: dict[type, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(),
                                    bool: pa.bool_(), dt.date: pa.date32()}


def arrow_type(annotation) -> pa.DataType:
    """The Arrow type of a record field's annotation: optional is nullable, a literal is its
    values' type, a list a list, a nested record a struct."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        if len(kept) != 1:
            raise TypeError(f"no single column type for {annotation}")
        return arrow_type(kept[0])
    if origin is typing.Annotated:
        return arrow_type(args[0])
    if origin is typing.Literal:
        return arrow_type(type(args[0]))
    if origin in (list, tuple):
        return pa.list_(arrow_type(args[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([(n, arrow_type(f.annotation)) for n, f in annotation.model_fields.items()])
    if annotation in SCALARS:
        return SCALARS[annotation]
    raise TypeError(f"no column type for {annotation}")


def mention_models() -> tuple[type[BaseModel], ...]:
    """The record model of each kind of mention, from `records.AnyMention`."""
    union = typing.get_args(records.AnyMention)[0]
    return typing.get_args(union)


def mention_kinds() -> tuple[str, ...]:
    """`quantity`, `time`, `body`, …: the `kind` of each mention model."""
    return tuple(typing.get_args(m.model_fields["kind"].annotation)[0] for m in mention_models())


def _fields(*models: type[BaseModel], first: tuple[str, ...] = (),
            without: tuple[str, ...] = ()) -> dict:
    """The fields of one or more models (the first model to name a field gives it), the ids
    that say what a record is put `first`."""
    found: dict = {}
    for model in models:
        for name, f in model.model_fields.items():
            if name not in without:
                found.setdefault(name, f)
    return {n: found[n] for n in [*first, *(n for n in found if n not in first)]}


def record_fields() -> dict[str, dict]:
    """Each record file's fields (pydantic `FieldInfo`s), as the batch writes them: documents
    without their mentions and items, every kind of mention in one file."""
    return {"documents": _fields(records.Document, first=("doc_id",),
                                 without=("mentions", "items", "rectifications")),
            "mentions": _fields(*mention_models(), first=("doc_id", "mention_id", "kind")),
            "items": _fields(records.WorkItem, first=("doc_id", "item_id")),
            "texts": _fields(records.DocumentText),
            "errors": _fields(records.ErrorRecord)}


@lru_cache(maxsize=1)
def schemas() -> dict[str, pa.Schema]:
    """Columns and types of the record files loaded as tables; a missing field is null, an
    unknown one is dropped."""
    return {name: pa.schema([(n, arrow_type(f.annotation)) for n, f in fields.items()])
            for name, fields in record_fields().items() if name in RECORD_FILES}


def _typed_fields(schema: pa.Schema) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The field names, date fields and list fields of a schema."""
    return (tuple(schema.names), tuple(f.name for f in schema if pa.types.is_date(f.type)),
            tuple(f.name for f in schema if pa.types.is_list(f.type)))


def _fix_row(row: dict, fields) -> dict:
    """The contract's fields only (missing ones null), dates from ISO strings, empty lists for
    missing lists: what `pa.Table.from_pylist` needs and what loops over rows expect."""
    names, dates, lists = fields
    out = {n: _shared(row.get(n)) for n in names}
    for name in dates:
        if isinstance(out[name], str):
            out[name] = _iso(out[name])
    for name in lists:
        if out[name] is None:
            out[name] = []
    return out


SHARED_LENGTH = 32


def _shared(value):
    """A short string as one object for all rows: ids, kinds, regions, units, names and rule
    ids repeat across hundreds of thousands of records, and sharing them cuts what a large
    output folder takes in memory by about a quarter."""
    if type(value) is str and len(value) <= SHARED_LENGTH:
        return sys.intern(value)
    return value


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def read_jsonl(path: Path, schema: pa.Schema) -> tuple[pa.Table, list[dict]]:
    """One output file as an Arrow table with the contract's columns and as plain rows; a bad
    line names itself."""
    rows, fields = [], _typed_fields(schema)
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rows.append(_fix_row(json.loads(line), fields))
                except (json.JSONDecodeError, AttributeError) as exc:
                    raise InputError(f"{path}:{n}", f"not a JSON object: {exc}", "output") from exc
    try:
        return pa.Table.from_pylist(rows, schema=schema), rows
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InputError(str(path), f"does not follow the output contract: {exc}", "output") from exc


@dataclass
class Outputs:
    """An extraction output folder, loaded: Arrow tables, pandas frames, plain rows (for loops,
    much faster than `DataFrame.to_dict`), and the documents' texts on demand."""

    out_dir: Path
    arrow: dict[str, pa.Table]
    documents: pd.DataFrame
    mentions: pd.DataFrame
    items: pd.DataFrame
    errors: pd.DataFrame
    rows: dict[str, list[dict]] = field(default_factory=dict, repr=False)
    _texts: dict = field(default_factory=dict, repr=False)
    texts: Texts | None = field(default=None, repr=False)

    def source(self, doc_id: str) -> tuple[str | None, str]:
        """The document's original text (from `texts.jsonl`) and, when it is not there, why."""
        if doc_id not in self._texts:
            if self.texts is None:
                self.texts = Texts(self.out_dir / TEXTS)
            self._texts[doc_id] = self.texts.text(doc_id)
        return self._texts[doc_id]

    def forget(self, doc_id: str) -> None:
        """Drop a document's cached texts (the report reads thousands, one at a time)."""
        self._texts.pop(doc_id, None)


class Texts:
    """`texts.jsonl`, read one document at a time: where each document's line starts is found
    once, then a text is read only when asked for, so memory does not grow with the corpus."""

    def __init__(self, path: Path):
        self.path = path
        self.where: dict[str, tuple[int, int]] | None = None

    def _index(self) -> dict[str, tuple[int, int]]:
        where, pos = {}, 0
        with open(self.path, "rb") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    where.setdefault(self._doc_id(line, n), (pos, len(line)))
                pos += len(line)
        return where

    def _doc_id(self, line: bytes, n: int) -> str:
        try:
            return json.loads(line)["doc_id"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{self.path}:{n}", f"not a text record: {exc}", "output") from exc

    def text(self, doc_id: str) -> tuple[str | None, str]:
        """The text of a document, or None and why it is missing."""
        if not self.path.is_file():
            return None, (f"the output folder has no {TEXTS} (extracted by an older xunshi): "
                          "extract again to see the text")
        if self.where is None:
            self.where = self._index()
        if doc_id not in self.where:
            return None, f"the document's text is not in {TEXTS}"
        pos, size = self.where[doc_id]
        with open(self.path, "rb") as fh:
            fh.seek(pos)
            return json.loads(fh.read(size))["text"], ""


def load(out_dir: Path) -> Outputs:
    """Read an output folder; without `documents.jsonl` it is not one."""
    out_dir = Path(out_dir)
    if not (out_dir / "documents.jsonl").is_file():
        raise InputError(str(out_dir), "not an extraction output folder (no documents.jsonl): "
                         "run `xunshi extract REPORTS -o FOLDER` first", "no_outputs")
    read = {name: read_jsonl(out_dir / f"{name}.jsonl", schema)
            for name, schema in schemas().items()}
    arrow = {name: table for name, (table, _) in read.items()}
    rows = {name: r for name, (_, r) in read.items()}
    frames = {name: _frame(t, rows[name]) for name, t in arrow.items()}
    rows["rectifications"] = read_rectifications(out_dir / "rectifications.jsonl")
    return Outputs(out_dir, arrow, frames["documents"], frames["mentions"], frames["items"],
                   frames["errors"], rows)


def read_rectifications(path: Path) -> list[dict]:
    """The ledger's records as JSON rows, each checked against `Rectification`; none when the
    file is not there (outputs of an older xunshi); a bad line names itself."""
    rows = []
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rows.append(records.Rectification.model_validate_json(line).model_dump(mode="json"))
                except ValueError as exc:
                    raise InputError(f"{path}:{n}", f"not a rectification record: "
                                     f"{str(exc).splitlines()[0]}", "output") from exc
    return rows


def require_documents(out: Outputs) -> Outputs:
    """The outputs, if they hold at least one document: tables of nothing help no one."""
    if not len(out.documents):
        raise InputError(str(out.out_dir), "holds no documents (documents.jsonl is empty): "
                         "nothing to compare; see errors.jsonl for what could not be read",
                         "no_documents")
    return out


def _frame(table: pa.Table, rows: list[dict]) -> pd.DataFrame:
    """A pandas frame whose list cells are Python lists (Arrow would give numpy arrays)."""
    df = table.to_pandas()
    for f in table.schema:
        if pa.types.is_list(f.type):
            df[f.name] = [r[f.name] for r in rows]
    return df


def as_list(value) -> list:
    """A list cell from pandas (list, numpy array or missing) as a plain list."""
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return list(value)


def ref(doc_id: str, record_id: str) -> str:
    """A record's key across documents: mention and item ids repeat from one document to the next."""
    return f"{doc_id}#{record_id}"
