"""Build step of the package: the busiest modules compiled with Cython (`MODULES`).

The item stage is the largest share of a run, and its time is the interpreter's own work on
short Python functions, one call per clause and item (nine rounds of profiling left no single
costly step in it). Compiled unchanged, in Cython's pure-Python mode, its modules and the few
they call for every clause run about 15% faster; with the other modules whose own code runs
most (quantities, measures, the scan gates…) a whole run takes 7.8% fewer instructions (README,
throughput). The
sources stay the program: nothing in them is Cython-specific, and every module runs as Python
too.

The compiled modules go to `pipeline/_native/`, never beside their sources: there Python would
import them instead of the sources, and a source edited after the build would silently not run.
`pipeline.native` loads one only while its source is byte for byte the one it was compiled
from (a digest in `pipeline/_native/manifest.json`), else the source runs. The extensions are
optional: a build without Cython or a C compiler installs the pure-Python package.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys

from setuptools import Extension
from setuptools.command.build_ext import build_ext

# The modules compiled: the item stage and what it calls for every clause and item, then the
# other modules whose own code (not the regex engine's) runs most, by callgrind.
MODULES = (
    "pipeline.items.acts",
    "pipeline.items.build",
    "pipeline.items.clauses",
    "pipeline.items.lexicon",
    "pipeline.items.practices",
    "pipeline.items.responsibility",
    "pipeline.records",
    "pipeline.candidates",
    "pipeline.context.boundaries",
    "pipeline.context.spans",
    "pipeline.extractors.quantities",
    "pipeline.extractors.nouns",
    "pipeline.extractors.measures",
    "pipeline.extractors.base",
    "pipeline.rules",
    "pipeline.scan",
)
# Python semantics unchanged: annotations are not C types (a `list` parameter still takes a
# tuple), integers do not overflow, every function stays introspectable.
DIRECTIVES = {"language_level": 3, "annotation_typing": False, "binding": True}
FOLDER = ("pipeline", "_native")
MANIFEST = "manifest.json"


def source_of(module: str) -> str:
    return os.path.join(*module.split(".")) + ".py"


def digest(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def extensions() -> list[Extension]:
    """One optional extension a module (a failed compile leaves that module to its source)."""
    flags = [] if sys.platform == "win32" else ["-g0"]
    return [Extension(m, [source_of(m)], optional=True, extra_compile_args=flags) for m in MODULES]


class BuildNative(build_ext):
    """`build_ext` that turns the modules into C with Cython first, puts every compiled module
    in `pipeline/_native/` and writes the manifest of what was compiled from which source."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        try:
            from Cython.Build import cythonize
        except ImportError:
            self.warn("Cython is not installed: xunshi runs from its Python sources only")
            return
        c_files = {e.name: e.sources for e in cythonize(
            self.extensions, compiler_directives=DIRECTIVES, quiet=True,
            build_dir=os.path.join(self.build_temp, "cython"))}
        for ext in self.extensions:  # the C file in place of the source, all else as set up
            ext.sources = c_files[ext.name]
        # Built in the build folder; an editable install then gets a copy in the checkout here,
        # not by setuptools' own copy, which would put them beside the sources.
        inplace, self.inplace = self.inplace, False
        folder = os.path.join(self.build_lib, *FOLDER)
        shutil.rmtree(folder, ignore_errors=True)  # no earlier build outlives a failed compile
        super().run()
        self.write_manifest(folder)
        if inplace:
            here = os.path.join(self.get_finalized_command("build_py").get_package_dir("pipeline"),
                                FOLDER[-1])
            shutil.rmtree(here, ignore_errors=True)
            shutil.copytree(folder, here)

    def get_ext_fullpath(self, ext_name: str) -> str:
        """`<build folder>/pipeline/_native/items.acts<suffix>` for `pipeline.items.acts`."""
        name = ext_name.split(".", 1)[1]  # below the package
        last = name.rsplit(".", 1)[-1]
        suffix = self.get_ext_filename(last)[len(last):]
        return os.path.join(self.build_lib, *FOLDER, name + suffix)

    def write_manifest(self, folder: str) -> None:
        """What was compiled: each module's file and the digest of the source it came from."""
        built = {}
        for ext in self.extensions:
            path = self.get_ext_fullpath(ext.name)
            if os.path.exists(path):
                built[ext.name] = {"file": os.path.basename(path),
                                   "source": digest(source_of(ext.name))}
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, MANIFEST), "w", encoding="utf-8") as fh:
            json.dump(built, fh, indent=1, sort_keys=True)
