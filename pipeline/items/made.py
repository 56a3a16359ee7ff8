"""Records the item stage makes by the thousand from values that are already of their types.

Validating them again (pydantic copies every list and checks every field) costs more than the
rest of making an item; `made` gives the record validation would give: the same values in the
field order, the same fields set (tests/test_items.py holds it to that).
"""
from __future__ import annotations

from typing import TypeVar

from pipeline.records import SET_DICT, SET_EXTRA, SET_FIELDS_SET, SET_PRIVATE, Record

R = TypeVar("R", bound=Record)
_new = object.__new__


def made(cls: type[R], values: dict, fields_set: frozenset[str] | None = None) -> R:
    """A record of `values` (given in the order the record declares its fields, each of its
    type); `fields_set` names those of them set by the caller rather than left at their
    defaults (all of them when None). The caller's dict becomes the record's: it must be new."""
    record = _new(cls)
    SET_DICT(record, values)
    SET_EXTRA(record, None)
    SET_FIELDS_SET(record, set(values if fields_set is None else fields_set))
    SET_PRIVATE(record, None)
    return record
