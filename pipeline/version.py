"""The package's version, in a module of its own so that any module can read it without
importing the package's API (`pipeline/__init__` imports the run engine, which reads this)."""

__version__ = "0.1.0"
