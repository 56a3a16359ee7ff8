"""Real documents stay in ../shared: no sentence of them may be copied into the project.

Rules, code, tests and training text must be written by the project (its own composed reports
in `corpora/` are its own). A run of 12 characters shared with the shared corpora is a copied
phrase, unless it is part of a name the gazetteers list (`中国人民政治协商会议全国委员会`) or
stands in the project's own composed reports as well (common official wording), or is
quoted in the project's issues (`tests/issue_examples.txt`) or in the extraction spec. The composed
reports themselves (`corpora/`, `benchmarks/blind/`, `benchmarks/dev2/`, `examples/`) may share stock formulas
(titles such as 省委巡视工作领导小组组长), but no run of 24 characters.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest

from pipeline.context.view import to_simplified
from tests.conftest import ROOT, shared_path

CODE_RUN, CORPUS_RUN = 12, 24
SET_COVER, COMMON_DOCS = 2 / 3, 3
HAN_RUN = re.compile(r"[\u3400-\u9fff0-9.%、,，。]{" + str(CODE_RUN) + ",}")
GAZETTEERS = ("divisions.tsv", "bodies_central.txt", "bodies_places.tsv", "bodies_provinces.tsv")
CHECKED = ("rules", "pipeline", "tests", "training", "benchmarks", "scripts", "examples")
COMPOSED = sorted([*(ROOT / "corpora").glob("*.txt"), *(ROOT / "benchmarks" / "blind").glob("*.txt"),
                   *(ROOT / "benchmarks" / "dev2").glob("*.txt"),
                   *(ROOT / "examples").rglob("*.txt")])


@lru_cache(maxsize=1)
def shared_docs() -> tuple[str, ...]:
    return tuple(to_simplified(p.read_text(encoding="utf-8", errors="ignore"))
                 for p in sorted(shared_path("corpora").rglob("*.txt")))


@lru_cache(maxsize=1)
def shared_text() -> str:
    return "\n".join(shared_docs())


@lru_cache(maxsize=1)
def set_phrases() -> tuple[str, ...]:
    lines = (ROOT / "tests" / "set_phrases.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_set_phrase(run: str) -> bool:
    """Stock units cover two thirds of the run, or three shared documents use it."""
    covered = set()
    for phrase in set_phrases():
        at = run.find(phrase)
        while at >= 0:
            covered.update(range(at, at + len(phrase)))
            at = run.find(phrase, at + 1)
    if len(covered) >= SET_COVER * len(run):
        return True
    return sum(run in doc for doc in shared_docs()) >= COMMON_DOCS


@lru_cache(maxsize=1)
def allowed_text() -> str:
    own = [p.read_text(encoding="utf-8") for p in (ROOT / "corpora").glob("*.txt")]
    names = [(ROOT / "rules" / g).read_text(encoding="utf-8")
             for g in GAZETTEERS if (ROOT / "rules" / g).exists()]
    quoted = [(ROOT / "tests" / "issue_examples.txt").read_text(encoding="utf-8"),
              shared_path("spec", "extraction-spec.md").read_text(encoding="utf-8")]
    return to_simplified("\n".join(own + names + quoted))


def copied_runs(text: str, n: int, allowed: str = "") -> set[str]:
    """Runs of `n` characters of `text` that also stand in the shared corpora."""
    shared, found = shared_text(), set()
    for block in HAN_RUN.findall(to_simplified(text)):
        for i in range(len(block) - n + 1):
            run = block[i:i + n]
            if run in shared and run not in allowed and not is_set_phrase(run):
                found.add(run)
    return found


def _project_files():
    for folder in CHECKED:
        for p in sorted((ROOT / folder).rglob("*")):
            if p.is_file() and p.suffix in {".py", ".yaml", ".yml", ".txt", ".tsv", ".jsonl", ".json",
                                            ".md"} and p.name not in GAZETTEERS \
                    and p.name not in ("test_provenance.py", "issue_examples.txt", "set_phrases.txt") \
                    and p not in COMPOSED:
                yield p


@pytest.mark.parametrize("path", list(_project_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_copied_phrases_in_project_files(path):
    runs = copied_runs(path.read_text(encoding="utf-8", errors="ignore"), CODE_RUN, allowed_text())
    assert not runs, f"{path.relative_to(ROOT)} copies text from ../shared/corpora: {sorted(runs)[:5]}"


@pytest.mark.parametrize("path", COMPOSED, ids=lambda p: p.name)
def test_composed_reports_are_our_own(path):
    runs = copied_runs(path.read_text(encoding="utf-8"), CORPUS_RUN)
    assert not runs, f"{path.name} copies text from ../shared/corpora: {sorted(runs)[:5]}"


def test_set_phrases_are_units_not_sentences():
    assert set_phrases() and all(len(p) < CODE_RUN for p in set_phrases())


@pytest.mark.parametrize("run, stock", [
    ("向被巡察党组织主要负责人", True),      # two stock units and a preposition
    ("委巡察工作领导小组听取了", True),      # a body's name covers two thirds
    ("以习近平新时代中国特色社会主义思想为指导", True),  # used by many reports
    ("巡察组发现该局财务报销不规范", False),  # one unit, the rest is the report's own
])
def test_set_phrase(run, stock):
    shared_path("corpora")
    assert is_set_phrase(run) is stock


def _longest_sentence(text: str) -> str:
    return max(re.split(r"[。！？；\n]", to_simplified(text)), key=len)


@pytest.mark.parametrize("name", [f"r2_{k:02d}" for k in range(1, 31)])
def test_copied_real_sentences_are_still_found(name):
    """Set phrases do not let a real sentence through: the longest one of every real2 excerpt,
    read at test time, is still flagged as a copy."""
    path = next(shared_path("corpora", "real2").glob(f"{name}_*.txt"))
    sentence = _longest_sentence(path.read_text(encoding="utf-8"))
    assert copied_runs(sentence, CODE_RUN, allowed_text())
