"""The statistical body component: a small spaCy span categoriser the project trains itself."""
from __future__ import annotations


def predict(view: str, doc, config) -> list[tuple[int, int, float]]:
    """(start, end, probability) of body spans; empty until a model is trained."""
    return []
