"""What pyproject.toml cannot declare: the build steps of `build_data.py` (the data folders in
the wheel) and `build_native.py` (the optional compiled modules)."""
import os
import sys

from setuptools import setup

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from build_data import BuildPyWithData  # noqa: E402
from build_native import BuildNative, extensions  # noqa: E402

setup(ext_modules=extensions(), cmdclass={"build_py": BuildPyWithData, "build_ext": BuildNative})
