"""A document's home (issue 16): the places and organisation it speaks from, with evidence.

Every text here is composed for the test; place names are the gazetteer's.
"""
from __future__ import annotations

import pytest

from pipeline.context import regions
from pipeline.context.view import normalize
from tests.test_bodies import traditional

R = regions.stage()


def home(text: str, meta: dict | None = None):
    return R.home(normalize(text), meta)


# text, (province, city, county, township, place as written, organisation)
HOMES = [
    # a county in the title names its city and province; its derived form is how it is written
    ("峨山县委关于巡察整改情况的通报\n根据县委统一部署,县委第一巡察组对有关单位开展了巡察。",
     ("云南省", "玉溪市", "峨山彝族自治县", None, "峨山县", None)),
    # an ambiguous district alone names nothing; its city picks one
    ("鼓楼区委召开巡察工作会议\n会议强调,要压实整改责任。", (None, None, None, None, None, None)),
    ("开封市鼓楼区委召开巡察工作会议\n会议强调,要压实整改责任。",
     ("河南省", "开封市", "鼓楼区", None, "开封市鼓楼区", None)),
    # an enterprise issues the notice: the organisation, no place
    ("中共青峰矿业集团有限公司委员会关于落实巡察反馈意见的报告\n根据区委统一部署,区委第二巡察组对"
     "青峰矿业集团党委进行了巡察。", (None, None, None, None, None, "青峰矿业集团有限公司")),
    # a hospital named after its city: both
    ("中共长沙市第三医院委员会关于落实巡察反馈意见的报告\n根据市委统一部署,市委巡察组开展了巡察。",
     ("湖南省", "长沙市", None, None, "长沙市", "长沙市第三医院")),
    # a place heading a university's name is no evidence of its region
    ("吉林大学党委关于巡视整改进展情况的通报\n根据中央统一部署,中央巡视组开展了常规巡视。",
     (None, None, None, None, None, "吉林大学")),
    # the township the opening inspects, its county from its full form further on
    ("按照县委统一部署,县委第一巡察组对石门镇党委开展了巡察,并于9月反馈了意见。现将整改情况公布如下。\n"
     "此后印发了《中共峨山县石门镇党委关于巡察整改的报告》。",
     ("云南省", "玉溪市", "峨山彝族自治县", "石门镇", "峨山县石门镇", "峨山县石门镇")),
    # a bureau the opening inspects; its district is never named
    ("根据区委统一部署,区委第三巡察组对区水务局党组开展了巡察。现将整改情况予以公布。",
     (None, None, None, None, None, "区水务局")),
    # an organisation named by its level alone takes the home place of that level
    ("阿荣旗委第二巡察组5月向旗人大常委会机关党组反馈了意见\n旗委第二巡察组组长出席会议。",
     ("内蒙古自治区", "呼伦贝尔市", "阿荣旗", None, "阿荣旗", "阿荣旗人大常委会机关")),
    # a provincial paper's dateline, when no other province is named
    ("山西日报讯(记者 王五)近日,省委召开巡视工作会议,部署新一轮巡视。",
     ("山西省", None, None, None, None, None)),
    ("山西日报讯(记者 王五)近日,省委巡视组赴陕西省学习交流巡视工作经验。",
     (None, None, None, None, None, None)),
    # the opening's places nest: the deepest, written as the text writes it
    ("城乡基层治理见闻\n近日,广东省韶关市武江区召开村级巡察推进会,部署新一轮对村巡察工作,"
     "要求各镇街压实责任。", ("广东省", "韶关市", "武江区", None, "韶关市武江区", None)),
    # two counties of one city: the city
    ("巡察整改见成效\n近年来,临沧市凤庆县、永德县先后出台巡察整改监督办法,推动问题整改落地见效。",
     ("云南省", "临沧市", None, None, "临沧市", None)),
    # a province named in passing in the opening is no home
    ("乡村振兴观察\n据了解,浙江省城乡建设取得新进展,各地召开会议研究部署下一步工作。",
     (None, None, None, None, None, None)),
]


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("text, expected", HOMES, ids=[h[0][:12] for h in HOMES])
def test_home(text, expected, script):
    text = traditional(text) if script == "traditional" else text
    h = home(text)
    assert (h.province, h.city, h.county, h.township, h.place, h.organisation) == expected
    for e in h.evidence:
        assert e.text == text[e.start:e.end]


def test_the_manifest_comes_first():
    h = home("县委召开巡察工作会议,研究部署整改。", {"region": "云南省", "place": "峨山县"})
    assert (h.province, h.county) == ("云南省", "峨山彝族自治县")
    assert [e.rule_id for e in h.evidence] == ["home.manifest"]


def test_later_evidence_only_deepens_the_chain():
    """The title's city fixes the chain: a county of another city in the opening is no home."""
    text = "韶关市委关于巡察整改情况的通报\n近日,凤庆县召开巡察工作推进会,研究部署整改。"
    h = home(text)
    assert (h.city, h.county) == ("韶关市", None)


@pytest.mark.parametrize("name, keys", [
    ("青峰矿业集团有限公司", ["集团", "公司"]), ("区水务局", ["局"]), ("滨江大学", ["校", "学校"]),
    ("长沙市第三医院", ["院", "医院"]), ("石门镇", ["镇"]), ("省委", []),
])
def test_organisation_keys(name, keys):
    assert R.homes.keys_of(name) == keys


def test_regions_follow_the_home():
    text = "峨山县委关于巡察整改情况的通报\n根据县委统一部署,县委第一巡察组开展了巡察。"
    spans = R.regions(normalize(text))
    assert [(s.region, s.start, s.end, s.rule_id) for s in spans] == [
        ("云南省", 0, len(text), "home.issuer")]
