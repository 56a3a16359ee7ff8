"""The statistical body component: a small spaCy span categoriser the project trains itself.

`predict` proposes body spans at run time; `train` (with its training text, `data`, and its
network, `net`) rebuilds `models/bodies/` deterministically. The run imports `predict` only.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
