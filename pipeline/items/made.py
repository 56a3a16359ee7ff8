"""Records the item stage makes by the thousand from values that are already of their types.

Validating them again (pydantic copies every list and checks every field) costs more than the
rest of making an item; `made` gives the record validation would give: the same values in the
field order, the same fields set (tests/test_items.py holds it to that).
"""
from __future__ import annotations

from typing import TypeVar

from pipeline.records import Record

R = TypeVar("R", bound=Record)
_set = object.__setattr__


def made(cls: type[R], fields: dict, defaults: dict | None = None) -> R:
    """A record of `fields` (given in the order the record declares them, each of its type)
    followed by the `defaults` of the fields left out, which are not set."""
    record = object.__new__(cls)
    _set(record, "__dict__", {**fields, **defaults} if defaults else fields)
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_fields_set__", set(fields))
    _set(record, "__pydantic_private__", None)
    return record
