"""Reading an output folder back: the columns come from `pipeline.records`, not a copy."""
from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import pyarrow as pa
import pytest
from pydantic import BaseModel

from pipeline import records
from pipeline.compare import outputs
from pipeline.compare.outputs import arrow_type, load, mention_kinds, record_fields, schemas

from .aggregate_fixtures import compilation


class _Inner(BaseModel):
    a: int
    b: str | None = None


@pytest.mark.parametrize("annotation, expected", [
    (str, pa.string()), (int | None, pa.int64()), (float, pa.float64()), (bool, pa.bool_()),
    (dt.date | None, pa.date32()), (Literal["a", "b"] | None, pa.string()),
    (list[str], pa.list_(pa.string())),
    (list[_Inner], pa.list_(pa.struct([("a", pa.int64()), ("b", pa.string())]))),
])
def test_arrow_type(annotation, expected):
    assert arrow_type(annotation) == expected


def test_every_field_of_every_record_is_a_column():
    cols = {name: set(s.names) for name, s in schemas().items()}
    assert set(records.Document.model_fields) - {"mentions", "items", "rectifications"} <= cols["documents"]
    for model in (records.Quantity, records.Time, records.Body):
        assert set(model.model_fields) <= cols["mentions"], model.__name__
    assert set(records.WorkItem.model_fields) <= cols["items"]
    assert set(records.ErrorRecord.model_fields) <= cols["errors"]


def test_mention_kinds_come_from_the_records():
    assert mention_kinds() == ("quantity", "time", "body")


def test_a_field_added_to_a_record_is_read(tmp_path, monkeypatch):
    """What the hand-written copy did wrong: a new record field was silently dropped."""
    class Quantity(records.Quantity):
        measure: str | None = None

    union = records.Annotated[records.Union[Quantity, records.Time, records.Body],
                              records.Field(discriminator="kind")]
    monkeypatch.setattr(records, "AnyMention", union)
    outputs.schemas.cache_clear()
    try:
        out = compilation(tmp_path)
        rows = [json.loads(x) for x in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
        rows[1]["measure"] = "巡视组数"
        (out / "mentions.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        assert load(out).mentions.measure.iloc[1] == "巡视组数"
    finally:
        outputs.schemas.cache_clear()


def test_ids_come_first():
    fields = record_fields()
    assert list(fields["mentions"])[:3] == ["doc_id", "mention_id", "kind"]
    assert list(fields["items"])[:2] == ["doc_id", "item_id"]


def test_errors_are_read(tmp_path):
    out = compilation(tmp_path)
    (out / "errors.jsonl").write_text(json.dumps(
        {"path": "a.doc", "code": "unsupported", "message": "a .doc file"}) + "\n", encoding="utf-8")
    assert load(out).errors.to_dict("records") == [
        {"path": "a.doc", "code": "unsupported", "message": "a .doc file"}]


def test_short_strings_are_shared_between_rows(tmp_path):
    """Read from JSON, every row would hold its own copy of `doc_id`, `region`, `rule_id` …"""
    rows = load(compilation(tmp_path)).rows["mentions"]
    assert rows[0]["doc_id"] == rows[1]["doc_id"] and rows[0]["doc_id"] is rows[1]["doc_id"]
    assert rows[1]["rule_id"] == rows[2]["rule_id"] and rows[1]["rule_id"] is rows[2]["rule_id"]
