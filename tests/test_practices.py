"""Practice cues: one scan of a text for every category finds what each category's own regex
finds, match for match (`CueTable.matches` against `finditer`)."""
from __future__ import annotations

import random

import pytest

from pipeline.items.practices import CueTable, cue_table, practice_rules


def per_category(text: str) -> list[tuple[int, int, int]]:
    """What `finditer` of each category's cue regex finds, in text order."""
    return sorted((m.start(), m.end(), rank)
                  for rank, (_, cue_re, _) in enumerate(practice_rules())
                  for m in cue_re.finditer(text))


def pieces() -> list[str]:
    """The cues of the rule file, their heads and tails, and a few other characters: texts made
    of them hold cues inside cues, cues of several categories at one place, and overlaps."""
    cues = [c for p, _, _ in practice_rules() for c in p.cues]
    return (cues + [c[:k] for c in cues for k in range(1, len(c))]
            + [c[k:] for c in cues for k in range(1, len(c))] + list("的和,。"))


@pytest.mark.parametrize("seed", range(5))
def test_one_scan_finds_what_each_category_finds(seed):
    rng, parts = random.Random(seed), pieces()
    for _ in range(2000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert sorted(cue_table().matches(text)) == per_category(text), text


@pytest.mark.parametrize("text", ["", "巡察", "落实巡察整改措施", "推行提级巡察和交叉巡察。"])
def test_matches_come_in_text_order(text):
    found = list(cue_table().matches(text))
    assert [a for a, _, _ in found] == sorted(a for a, _, _ in found)
    assert sorted(found) == per_category(text)


def test_a_table_of_other_rules_is_built_for_them():
    rules = practice_rules()[:1]
    table = CueTable(rules)
    cue = rules[0][0].cues[0]
    assert list(table.matches("…" + cue)) == [(1, 1 + len(cue), 0)]
