"""Where xunshi finds its data folders, `rules/` and `models/`, in a checkout and when installed.

The design keeps them at the top of the repository, beside `pipeline/`, where people edit them;
a checkout and an editable install read them there. A wheel has no repository: the build copies
both into the package as `pipeline/_data/` (see `build_data.py`), and an installed package reads
that copy, from whatever folder the command runs in.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SHIPPED = PACKAGE / "_data"
DATA_FOLDERS = ("rules", "models")


def data_dir(name: str) -> Path:
    """The folder `name` (`rules` or `models`): the installed copy if there is one, else the
    repository's."""
    shipped = SHIPPED / name
    return shipped if shipped.is_dir() else PACKAGE.parent / name


def data_path(path: str | Path) -> Path:
    """A path written relative to the repository (`models/bodies` in `rules/bodies.yaml`), where
    it is in this installation; an absolute path is returned as is."""
    p = Path(path)
    if p.is_absolute():
        return p
    if p.parts and p.parts[0] in DATA_FOLDERS:
        return data_dir(p.parts[0]).joinpath(*p.parts[1:])
    return PACKAGE.parent / p


def cache_dir() -> Path | None:
    """The folder for what xunshi derives once and reuses across runs (compiled rules, jieba's
    dictionary as a table): `$XUNSHI_CACHE`, else `$XDG_CACHE_HOME/xunshi`, else
    `~/.cache/xunshi`. None when it cannot be written (or `XUNSHI_CACHE=off`): everything is
    then derived again in each process, slower but the same."""
    import os

    chosen = os.environ.get("XUNSHI_CACHE", "").strip()
    if chosen.lower() == "off":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(chosen) if chosen else Path(base) / "xunshi"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None
