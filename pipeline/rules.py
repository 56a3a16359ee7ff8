"""Loads the domain knowledge kept as data under `rules/`, validated when loaded.

Engine code never hard-codes Chinese word lists: it asks this module for a YAML file
validated by a pydantic model (`extra="forbid"`), for word lists (TXT, one entry a line,
`#` comments) and for regexes built from named fragments (`{CN_NUM}`) declared once.
A bad rule fails at load with `rules/<file>: <rule id>: <reason>`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar, Union

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import RuleError
from pipeline.paths import data_dir
from pipeline.regexes import regex

RULES_DIR = Path(os.environ.get("XUNSHI_RULES") or data_dir("rules"))
# libyaml's loader reads the rule files eight times faster than the pure-Python one (0.05 s
# instead of 0.4 s for all of them: a tenth of a one-document run) and builds the same data.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRAGMENT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")

M = TypeVar("M", bound=BaseModel)


class RuleModel(BaseModel):
    """Base of every rule-file schema: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


ExampleValue = Union[bool, int, float, dt.date, str, None]


class Example(RuleModel):
    """One sentence a rule is shown on, written alike in every rule file and run by one test
    (`tests/test_rule_examples.py`) through the `explain` of the stage that owns the rule.

    `span` is the part of `text` the example is about, as written (empty: the whole text).
    `expect` says what the stage makes of it: `found`, a record of `span` by this rule holding
    the given `fields` (the record's own field names: `value`, `unit`, `start_date`, `name` …);
    `dropped`, a candidate `span` that this filter drops; `absent`, no record of `span` (or of
    anything, without a span) by this rule.
    """

    text: str
    span: str = ""
    expect: Literal["found", "dropped", "absent"] = "found"
    fields: dict[str, ExampleValue] = {}


def rule_path(name: str) -> Path:
    return RULES_DIR / name


def display(name: str) -> str:
    return f"rules/{name}"


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict:
    """The raw mapping of `rules/<name>`; a syntax error names the file."""
    try:
        data = yaml.load(rule_path(name).read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(display(name), "", str(exc).splitlines()[0]) from exc
    return data or {}


def load_model(name: str, model: type[M]) -> M:
    """`rules/<name>` validated by `model`; the first error names the rule id when it has one."""
    data = load_yaml(name)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _rule_id_at(data, err["loc"]) or ".".join(map(str, err["loc"]))
        raise RuleError(display(name), where, err["msg"]) from exc


def _rule_id_at(data, loc) -> str | None:
    """The `id` of the innermost rule on the path of a validation error."""
    found, node = None, data
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node:
            found = node["id"]
    return found


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """A word list: one entry a line, blank lines and `#` comments skipped."""
    try:
        text = rule_path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(display(name), "", str(exc)) from exc
    rows = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(r for r in rows if r)


def load_table(name: str) -> list[list[str]]:
    """A TSV gazetteer: tab-separated columns, header line starting with `#`."""
    return [line.split("\t") for line in load_lines(name)]


def expand(pattern: str, fragments: dict[str, str], _depth: int = 0) -> str:
    """Replace `{NAME}` with the named fragment (as a non-capturing group), recursively."""
    if _depth > 10:
        raise ValueError("fragments nest too deeply (a cycle?)")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            raise KeyError(name)
        return "(?:" + expand(fragments[name], fragments, _depth + 1) + ")"

    return FRAGMENT.sub(sub, pattern)


def compile_rule(file: str, rule_id: str, pattern: str, fragments: dict[str, str]) -> re.Pattern:
    """Expand and compile one rule's regex; any failure names the file and the rule."""
    try:
        return regex(expand(pattern, fragments))
    except KeyError as exc:
        raise RuleError(display(file), rule_id, f"unknown fragment {{{exc.args[0]}}}") from exc
    except (re.error, ValueError) as exc:
        raise RuleError(display(file), rule_id, f"bad pattern: {exc}") from exc


def alternation(words) -> str:
    """A regex alternation of literal words, longest first so the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def by_last_char(words) -> dict[str, tuple[str, ...]]:
    """Words by their last character, longest first: what may end a text at a given place is
    looked up by the character there (`ending`) instead of trying every word."""
    out: dict[str, tuple[str, ...]] = {}
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        out[w[-1]] = out.get(w[-1], ()) + (w,)
    return out


def ending(text: str, at: int, words: dict[str, tuple[str, ...]]) -> str | None:
    """The longest of `words` (`by_last_char`) that ends `text` at `at` (> 0); most places end
    none, which the character before `at` tells."""
    found = words.get(text[at - 1])
    return None if found is None else next((w for w in found if text.endswith(w, 0, at)), None)


def trie_alternation(words) -> str:
    """A word list as a regex shaped like a prefix tree (`国(?:务院|家…)`).

    Python's `re` tries every branch of a flat alternation at every position, but of a tree
    only those that share the first character; optional tails are greedy, so the longest
    word wins as with `alternation`.
    """
    tree: dict = {}
    for w in set(words):
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie(tree)


def _trie(node: dict) -> str:
    branches = [re.escape(ch) + _trie(sub) for ch, sub in sorted(node.items()) if ch]
    if not branches:
        return ""
    end = "" in node
    body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
    return body + ("?" if end else "")


@lru_cache(maxsize=1)
def rules_hash() -> str:
    """A hash of every rule file: outputs made with other rules are not reused."""
    h = hashlib.sha256()
    for p in sorted(RULES_DIR.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(RULES_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]
