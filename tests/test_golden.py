"""The bundled corpus gives exactly the golden outputs (regenerate: `python -m tests.golden_files --update`)."""
from __future__ import annotations

import pytest

from tests.golden_files import GOLDEN, current, diff


@pytest.fixture(scope="module")
def outputs():
    return current()


def test_every_document_has_a_golden_file(outputs):
    assert sorted(outputs) == sorted(p.name for p in GOLDEN.glob("*.tsv"))


def test_outputs_match_golden_files(outputs):
    changed = {name: diff(name, text) for name, text in outputs.items()}
    changed = {k: v for k, v in changed.items() if v}
    assert not changed, ("outputs differ from tests/golden (review with `python -m tests.golden_files`, "
                         "accept with --update):\n" + "\n".join(l for d in changed.values() for l in d[:20]))
