"""Shared fixtures: where `../shared` is, and skipping cleanly when it is absent."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = ROOT / "corpora"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip when the checkout has no ../shared beside it."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (../shared is only beside CI and developer checkouts)")
    return p


@pytest.fixture(scope="session")
def reference_scorer():
    """The reference scorer module from ../shared/tools."""
    tools = shared_path("tools")
    sys.path.insert(0, str(tools))
    try:
        import score
    finally:
        sys.path.remove(str(tools))
    return score
