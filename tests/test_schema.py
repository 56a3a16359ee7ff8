"""`xunshi schema`: every record field and every comparison table column is described, the
descriptions match what is written, and the README's field reference is generated from them."""
from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.compare.columns import STORE_ONLY, TABLES
from pipeline.compare.schema import markdown, schema, type_names
from pipeline.compare.store import query
from pipeline.compare.tables import tables
from pipeline.compare.outputs import load
from pipeline.records import RECORD_TYPES
from tests.conftest import ROOT

from .aggregate_fixtures import compilation

BEGIN, END = "<!-- schema:begin (xunshi schema --format markdown) -->", "<!-- schema:end -->"


def _models(model, seen=None):
    """A record model and every record model nested in its fields."""
    seen = seen if seen is not None else {}
    seen[model.__name__] = model
    for f in model.model_fields.values():
        for sub in getattr(f.annotation, "__args__", ()) + (f.annotation,):
            for inner in getattr(sub, "__args__", ()) + (sub,):
                if isinstance(inner, type) and hasattr(inner, "model_fields") and \
                        inner.__name__ not in seen:
                    _models(inner, seen)
    return seen


@pytest.mark.parametrize("model", sorted({n: m for r in RECORD_TYPES.values()
                                          for n, m in _models(r).items()}.items()),
                         ids=lambda x: x[0] if isinstance(x, tuple) else str(x))
def test_every_record_field_is_described(model):
    name, cls = model
    assert not [f for f, info in cls.model_fields.items() if not info.description], name


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    return compilation(tmp_path_factory.mktemp("schema"))


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_column_is_described_and_nothing_else(comp, name):
    df = tables(load(comp))[name]
    spec = TABLES[name]
    if spec.each:
        assert list(df.columns[:len(spec.columns)]) == list(spec.columns)
        assert len(df.columns) > len(spec.columns)
    else:
        assert list(df.columns) == list(spec.columns)


def test_every_store_table_is_described(comp):
    described = {t.sql: t for t in [*TABLES.values(), *STORE_ONLY.values()]}
    names = {r[0] for r in query(comp, "SELECT table_name FROM information_schema.tables").rows}
    assert names - {"documents", "mentions", "items", "errors", "xunshi_meta"} == set(described)
    for sql, t in described.items():
        cols = [r[0] for r in query(comp, f"SELECT column_name FROM information_schema.columns "
                                          f"WHERE table_name = '{sql}' ORDER BY ordinal_position").rows]
        assert cols[:len(t.columns)] == list(t.columns), sql


@pytest.mark.parametrize("name", list(TABLES))
def test_table_rows_follow_their_json_schema(comp, name):
    sch = schema(name)["tables"][name]
    jsonschema.Draft202012Validator.check_schema(sch)
    res = CliRunner().invoke(main, ["query", str(comp), f"SELECT * FROM {TABLES[name].sql}",
                                    "--format", "json"])
    rows = json.loads(res.stdout)
    assert rows
    for row in rows:
        jsonschema.validate(row, sch)


def test_schema_command_gives_records_and_tables():
    res = CliRunner().invoke(main, ["schema"])
    out = json.loads(res.stdout)
    assert set(out["records"]) == set(RECORD_TYPES) and set(out["tables"]) == {*TABLES, *STORE_ONLY}
    assert set(type_names()) == {*RECORD_TYPES, *TABLES, *STORE_ONLY}


def test_readme_field_reference_is_generated():
    """After changing a description: `xunshi schema --format markdown` between the markers."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert BEGIN in readme and END in readme, "README has no generated field reference"
    section = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    assert section.strip() == markdown().strip()
