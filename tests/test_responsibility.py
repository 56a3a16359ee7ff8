"""Responsibility stays in its sentence: an item's bodies are its own clauses', or the subject of
an earlier item of the same sentence, carried over and marked `inherited` with its mention."""
from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest

from pipeline.items.responsibility import Responsibility
from pipeline.reading.files import Source
from pipeline.run.process import process


def _items(text: str) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    src = Source("t", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    doc = process(src, doc_id="t", use_model=False)
    return [(it.action, it.responsible, [(i.name, i.mention_id) for i in it.inherited])
            for it in doc.items]


@pytest.mark.parametrize("text, expected", [
    pytest.param("县委高度重视巡察整改，先后召开4次常委会会议，及时传达上级精神，制定整改方案。",
                 [("召开", ["县委"], []), ("传达", ["县委"], [("县委", "m0001")]),
                  ("制定", ["县委"], [("县委", "m0001")])],
                 id="the subject goes on through its sentence"),
    pytest.param("县委高度重视巡察整改，先后召开4次常委会会议。制定整改措施18条，新建制度6项。",
                 [("召开", ["县委"], []), ("制定", [], []), ("新建", [], [])],
                 id="it stops at the sentence end"),
    pytest.param("县纪委监委牵头成立督查组，开展专项检查\n完善制度12项。",
                 [("成立", ["县纪委监委"], []), ("开展", ["县纪委监委"], [("县纪委监委", "m0001")]),
                  ("完善", [], [])],
                 id="and at a line break"),
    pytest.param("县委巡察办制定工作规则，县委组织部组织开展培训，印发学习资料200册。",
                 [("制定", ["县委巡察办"], []), ("开展", ["县委组织部"], []),
                  ("印发", ["县委组织部"], [("县委组织部", "m0002")])],
                 id="a new subject replaces it"),
])
def test_responsible_bodies_of_items(text, expected):
    assert _items(text) == expected


def _body(name: str, mention_id: str):
    return SimpleNamespace(kind="body", name=name, mention_id=mention_id)


def test_a_carried_subject_points_to_its_statement_not_to_the_item_before():
    view = "甲委开会，部署，落实。"
    r = Responsibility(view)
    assert r.of(0, 0, 4, ["甲委"], [_body("甲委", "m0003")]) == (["甲委"], [])
    names, first = r.of(0, 5, 7, [], [])
    _, second = r.of(0, 8, 10, [], [])
    assert names == ["甲委"] and first == second and first[0].mention_id == "m0003"


def test_no_subject_before_the_first_statement():
    assert Responsibility("部署，落实。").of(0, 0, 2, [], []) == ([], [])
