"""Build step of the package: the repository's `rules/` and `models/` travel inside the wheel.

Both are data folders at the top of the repository (the design fixes `rules/` there), not Python
packages, so setuptools would leave them out of a wheel. After the usual `build_py`, this copies
them into the build tree as `pipeline/_data/rules` and `pipeline/_data/models`, where
`pipeline.paths` finds them once installed. An editable install copies nothing: it keeps reading
the repository's folders. `MANIFEST.in` puts both folders and this file into the sdist, so a
wheel built from the sdist ships them too.
"""
from __future__ import annotations

import os

from setuptools.command.build_py import build_py

DATA_FOLDERS = ("rules", "models")


class BuildPyWithData(build_py):
    """`build_py` that also copies the data folders into `pipeline/_data/`."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in DATA_FOLDERS:
            self.copy_tree(name, os.path.join(self.build_lib, "pipeline", "_data", name))
