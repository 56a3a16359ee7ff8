"""The extractors of mentions, one module each, found by the run without a list to keep.

Every module here that defines an `Extractor` (see `base`) is a stage of the run; helper modules
(`numerals`, `nouns`, `naming`, `dating`) define none. A new kind of mention is its rules file,
its module here and its record in `records.py`.
"""
from __future__ import annotations

import importlib
import pkgutil


def extractor_classes() -> list[type]:
    """Every extractor class of the package's modules, in the order of their kinds' records
    (`records.MENTION_TYPES`)."""
    from pipeline.extractors.base import Extractor
    from pipeline.records import MENTION_TYPES

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    kinds = [t.model_fields["kind"].default for t in MENTION_TYPES]
    found = [c for c in _subclasses(Extractor) if getattr(c, "kind", None) in kinds
             and c.__module__.startswith(f"{__name__}.")]
    return sorted(found, key=lambda c: kinds.index(c.kind))


def _subclasses(cls: type) -> list[type]:
    return [s for c in cls.__subclasses__() for s in (c, *_subclasses(c))]
