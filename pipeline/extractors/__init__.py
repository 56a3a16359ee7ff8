"""The extractors of mentions, one module each, found by the run without a list to keep.

Every module here that defines an `Extractor` (see `base`) is a stage of the run, and so is one
that defines a `Refiner` (a stage after the overlap resolver: `measures`, `roles`); helper modules
(`numerals`, `nouns`, `naming`, `dating`) define neither. A new kind of mention is its rules file,
its module here and its record in `records.py`.
"""
from __future__ import annotations

import importlib
import pkgutil


def extractor_classes() -> list[type]:
    """Every extractor class of the package's modules, in the order of their kinds' records
    (`records.MENTION_TYPES`)."""
    from pipeline.extractors.base import Extractor

    return _stages(Extractor)


def refiner_classes() -> list[type]:
    """Every stage that refines resolved mentions (`base.Refiner`), in the order of their kinds."""
    from pipeline.extractors.base import Refiner

    return _stages(Refiner)


def _stages(base: type) -> list[type]:
    from pipeline.records import KINDS

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    found = [c for c in _subclasses(base) if getattr(c, "kind", None) in KINDS
             and c.__module__.startswith(f"{__name__}.")]
    return sorted(found, key=lambda c: (KINDS.index(c.kind), c.__module__))


def _subclasses(cls: type) -> list[type]:
    return [s for c in cls.__subclasses__() for s in (c, *_subclasses(c))]
