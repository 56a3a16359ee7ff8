"""`pipeline.load(out)`: every record file and every comparison table as pandas DataFrames."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import pipeline
from pipeline.compare.outputs import schemas
from pipeline.errors import InputError

from .aggregate_fixtures import REGION_A, compilation

TABLES = ("metrics", "metrics_long", "practices", "practices_long", "bodies", "bodies_long",
          "deadlines", "coverage", "rectifications", "rectifications_by_level", "rectification_records")


@pytest.fixture
def frames(tmp_path):
    return pipeline.load(compilation(tmp_path))


def test_every_record_file_and_table(frames):
    assert set(frames) == {"documents", "mentions", "items", "errors", *TABLES}
    assert all(isinstance(df, pd.DataFrame) for df in frames.values())


@pytest.mark.parametrize("name, rows", [("documents", 1), ("mentions", 17), ("items", 9),
                                        ("errors", 0)])
def test_records_have_the_schema_columns(frames, name, rows):
    assert list(frames[name].columns) == schemas()[name].names
    assert len(frames[name]) == rows


def test_values_are_typed(frames):
    m = frames["mentions"].set_index("mention_id")
    assert m.at["m0002", "value"] == 12 and m.at["m0017", "end_date"] == dt.date(2024, 12, 31)
    assert frames["items"].set_index("item_id").at["i0004", "category"] == ["整改落实", "制度建设"]
    assert frames["metrics"].set_index("region").at[REGION_A, "巡视巡察组 (个)"] == "12"
    long = frames["metrics_long"].set_index(["region", "measure"])
    assert long.at[(REGION_A, "inspection.groups"), "value"] == 12


def test_a_folder_that_is_not_an_output_folder(tmp_path):
    with pytest.raises(InputError, match="no documents.jsonl"):
        pipeline.load(tmp_path)
