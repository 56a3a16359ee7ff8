"""Every body name of every corpus is a name (issue 16, spec §4 "Names"): it never begins with
a verb or a preposition (a span that swallowed its neighbour: `就某某集团党委`), and every word
of it stands in its own span or elsewhere in the document (no invented name).

The documents are read as a run reads them (home, regions, rules and model). The verbs are the
act lexicon's of `rules/items.yaml` but for its nominal class (`督导组`, `整改工作领导小组`) and a
department's field (`统计机关`), the prepositions its frame openers and the words that introduce
a body. A word may also come from the gazetteer where the text implies it: the region a segment
speaks for (`省委` → `河北省委`), the home's chain (a county's city) and the full name of a place
the span writes short (`广西`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from pipeline.context.places import gazetteer
from pipeline.context.segment import tokens
from pipeline.extractors.bodies import leading_words
from pipeline.reading.files import read_file
from tests.conftest import ROOT, shared_path

# words that put a body after them, beside the lexicon's frames (`对…`, `向…`, `由…`)
INTRODUCERS = {"对", "向", "由", "把", "将", "为", "就", "经", "从", "与", "和", "及", "会同",
               "配合", "协助", "联合", "通过", "关于", "以及", "并"}
CENTRE = "党中央"


@lru_cache(maxsize=1)
def not_first() -> frozenset[str]:
    """Verbs and prepositions no name may begin with: those the bodies stage refuses at the head
    of a model span (the act lexicon's verbs and the frames' openers, an organ's field such as
    统计 aside), and the introducers above."""
    return leading_words() | INTRODUCERS


@lru_cache(maxsize=None)
def problems(folder: Path) -> tuple[str, ...]:
    """What is wrong with the body names of every document under `folder` (empty: nothing),
    each read as a run reads it: manifest, home, regions, rules and model."""
    from pipeline.reading.manifest import load_manifest
    from pipeline.run.process import context, stages

    run = stages(use_model=True)
    bodies = next(e for e in run.extractors if e.kind == "body")
    bad, first = [], not_first()
    for path in sorted(p for p in folder.rglob("*.txt") if "gold" not in p.parts):
        meta = load_manifest(path.parent).rows.get(path.name)
        ctx = context(read_file(path, meta=meta), None, None, path.name, run)
        regions = {s.region for s in ctx.regions}
        for b in bodies.extract(ctx):
            span = ctx.view[b.start:b.end]
            known = places_known(ctx.home.places, span)
            bad += problems_of(b, span, ctx.view, regions, first, path.name, known)
    return tuple(bad)


def places_known(home: tuple[str, ...], span: str) -> set[str]:
    """Names a body's name may take from the gazetteer, not the text: the home's chain (a
    county's city) and the full names of the places its span names short (`广西`)."""
    g, out = gazetteer(), set(home)
    for p in g.divisions:
        if any(n in span for n in (*p.shorts, *p.aliases)):
            out.add(p.name)
    return out


def in_text(word: str, span: str, view: str, known: set[str]) -> bool:
    """The word stands in the text, or is a known place's name (or its head: `某市` of a home
    city), or is such a name or a word of the text followed by one of the span or the text."""
    if word in span or word in view or any(k.startswith(word) for k in known):
        return True
    return any((word[:i] in view or word[:i] in known) and (word[i:] in span or word[i:] in view)
               for i in range(1, len(word)))


def problems_of(b, span: str, view: str, regions: set[str], first: frozenset[str],
                doc: str, known: set[str]) -> list[str]:
    """A name's words, after the region its segment speaks for (`省委` → `河北省委` in a Hebei
    segment: the region was read from the text or the manifest), checked against the text."""
    from pipeline.context.view import normalize

    name = normalize(b.name).view
    if name == CENTRE and "中央" in span:  # the party's centre by the spec's own name
        return []
    region = next((r for r in regions if name.startswith(r) and not span.startswith(r)), "")
    words = [w for w in tokens(name[len(region):]).texts if w.strip()]
    where = f"{doc}@{b.start} {b.text} → {b.name}"
    out = [f"{where}: begins with {words[0]}"] if words and words[0] in first else []
    return out + [f"{where}: {w} is not in the text" for w in words if not in_text(w, span, view, known)]


@pytest.mark.parametrize("folder", ["corpora", "benchmarks/dev2"])
def test_names_of_the_project_corpora(folder):
    found = problems(ROOT / folder)
    assert not found, "\n".join(found)


def test_names_of_the_shared_corpora():
    found = problems(shared_path("corpora"))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name, first", [("就集团公司党委", "就"), ("督促镇党委", "督促"),
                                         ("根据市委", "根据")])
def test_the_check_knows_a_swallowed_neighbour(name, first):
    words = tokens(name).texts
    assert words[0] == first and first in not_first()


def test_the_check_knows_a_word_from_nowhere():
    assert not in_text("南昌", "市委", "按照市委部署,县委召开会议", set())
    assert in_text("南昌", "市委", "按照市委部署,县委召开会议", {"南昌市"})


def test_the_check_knows_organ_nouns():
    assert not {tokens(n).texts[0] for n in ("督导组", "整改工作领导小组", "巡视组")} & not_first()

