"""The compiled modules of the build (`build_native.py`), each used only while its source is the
one it was compiled from.

They live in `pipeline/_native/`, out of the import path, listed in its `manifest.json` with
the digest of their source. A finder placed before Python's own serves a listed module from its
compiled file when the source on disk still has that digest and the file was built for this
interpreter; otherwise it says nothing and the source is imported as usual. So an edited source
always runs (until the next install compiles it again), and a checkout, a wheel and a build with
no compiler all behave the same. `XUNSHI_PURE=1` runs every module from its source (to profile
inside them, or to compare).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader, ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
FOLDER = PACKAGE / "_native"
PURE = "XUNSHI_PURE"


class NativeFinder:
    """Finds the listed modules' compiled files, while their sources are unchanged."""

    def __init__(self, entries: dict[str, tuple[Path, str, Path]]):
        self.entries = entries  # module -> (compiled file, digest of its source, source)
        self.loaded: list[str] = []

    def find_spec(self, fullname: str, path=None, target=None) -> ModuleSpec | None:
        entry = self.entries.get(fullname)
        if entry is None:
            return None
        compiled, digest, source = entry
        try:
            if hashlib.sha256(source.read_bytes()).hexdigest() != digest:
                return None  # edited since the build: the source runs
        except OSError:
            return None
        self.loaded.append(fullname)
        return spec_from_file_location(fullname, compiled,
                                       loader=ExtensionFileLoader(fullname, str(compiled)))


def entries(folder: Path = FOLDER, package: Path = PACKAGE) -> dict[str, tuple[Path, str, Path]]:
    """The manifest's modules whose compiled file is there and was built for this interpreter."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for module, info in manifest.items():
        name = module.split(".", 1)[1]  # items.acts: its file is items.acts<this Python's suffix>
        compiled = folder / info["file"]
        if compiled.name in {name + suffix for suffix in EXTENSION_SUFFIXES} and compiled.exists():
            out[module] = (compiled, info["source"], package.joinpath(*name.split(".")).with_suffix(".py"))
    return out


FINDER = NativeFinder({})


def install() -> None:
    """Put the finder first on the import path, once, unless `XUNSHI_PURE` is set."""
    if os.environ.get(PURE, "") not in ("", "0") or FINDER in sys.meta_path:
        return
    FINDER.entries = entries()
    if FINDER.entries:
        sys.meta_path.insert(0, FINDER)


def active() -> bool:
    """Whether this process imports compiled modules (those whose sources are unchanged)."""
    return FINDER in sys.meta_path


def compiled() -> list[str]:
    """The modules this process imported from their compiled files."""
    return [m for m in FINDER.loaded if m in sys.modules]
