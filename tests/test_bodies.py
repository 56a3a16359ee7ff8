"""Bodies (spec §4): organ patterns, filters and names, in both scripts (roles: test_roles).

Every sentence here is composed for the test; none is taken from the development gold.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest

from pipeline.context.document import Context
from pipeline.context.spans import windows
from pipeline.extractors import bodies
from pipeline.extractors.bodies import Bodies
from pipeline.records import RegionSpan

RULES_ONLY = Bodies(use_model=False)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t").convert


def traditional(text: str) -> str:
    """The same sentence in traditional script, one character for one (offsets unchanged)."""
    out = _s2t()(text)
    return out if len(out) == len(text) else "".join(
        t if len(t) == 1 else c for c, t in zip(text, (_s2t()(c) for c in text)))


def run(text: str, region: str | None = None, script: str = "simplified"):
    """Rule mentions of a sentence; a region, when given, covers the whole text."""
    if script == "traditional":
        text = traditional(text)
    regs = (RegionSpan(region=region, start=0, end=len(text)),) if region else ()
    ctx = Context.of(text, regions=regs)
    return ctx.text, RULES_ONLY.extract(ctx)


def view_texts(nt, found) -> list[str]:
    return [nt.view[b.start:b.end] for b in found]


def test_learnt_places_are_explained_where_first_learnt():
    text = "中共柏溪县委关于整改进展的通报"
    rows = RULES_ONLY.explain(Context.of(text))
    learnt = [(text[r.candidate.start:r.candidate.end], r.status) for r in rows
              if r.candidate.rule_id.startswith("body.place.learnt")]
    assert learnt == [("柏溪县", "found")]


SCRIPTS = ["simplified", "traditional"]

# sentence, region, [(text in the simplified view, name, level)]
ORGANS = [
    ("省委巡视工作领导小组召开会议。", "湖南省",
     [("省委巡视工作领导小组", "湖南省委巡视工作领导小组", "provincial")]),
    ("自治区党委常委会审议了方案。", "宁夏回族自治区",
     [("自治区党委常委会", "宁夏回族自治区党委常委会", "provincial")]),
    ("省纪委监委牵头开展专项检查。", "山西省", [("省纪委监委", "山西省纪委监委", "provincial")]),
    ("省委第五巡视组进驻后发现问题。", "福建省", [("省委第五巡视组", "福建省委第五巡视组", "provincial")]),
    ("省委组织部和省委宣传部分别作出安排。", "甘肃省",
     [("省委组织部", "甘肃省委组织部", "provincial"), ("省委宣传部", "甘肃省委宣传部", "provincial")]),
    ("安徽省委召开巡视工作会议。", None, [("安徽省委", "安徽省委", "provincial")]),
    ("中共浙江省委印发通知。", None, [("中共浙江省委", "浙江省委", "provincial")]),
    ("会后,市县党委均成立了巡察机构。", None,
     [("市县党委", "市县党委", None), ("巡察机构", "巡察机构", None)]),
    ("会议要求省市县乡四级党委落实责任。", None, [("省市县乡四级党委", "省市县乡四级党委", None)]),
    ("纪委监委、组织部门要加强协作。", "江西省",
     [("纪委监委", "纪委监委", None), ("组织部门", "组织部门", None)]),
    ("中央巡视工作领导小组听取汇报。", "江西省",
     [("中央巡视工作领导小组", "中央巡视工作领导小组", "central")]),
    ("中央巡视办负责统筹。", None, [("中央巡视办", "中央巡视办", "central")]),
    ("省国资委对监管企业开展巡察。", "贵州省", [("省国资委", "贵州省国资委", "provincial")]),
    ("巡视组对省卫生健康委、财政厅开展巡视。", "云南省",
     [("巡视组", "云南省委巡视组", "provincial"), ("省卫生健康委", "云南省卫生健康委", "provincial"),
      ("财政厅", "云南省财政厅", "provincial")]),
    ("黄冈市委召开专题会议,研究整改。", None, [("黄冈市委", "黄冈市委", "municipal")]),
    ("仙桃市委成立整改领导小组。", None, [("仙桃市委", "仙桃市委", "county")]),
    ("校党委巡视组向化学学院反馈意见。", None, [("校党委巡视组", "校党委巡视组", "unit")]),
    ("国家统计局和审计署联合发文。", None,
     [("国家统计局", "国家统计局", "central"), ("审计署", "审计署", "central")]),
    ("把城市社区党组织纳入巡察范围。", None, []),
    ("推动社区党组织全面进步。", None, [("社区党组织", "社区党组织", "village")]),
    ("协调信访、审计、财政等有关部门配合巡视。", None,
     [("信访、审计、财政等有关部门", "信访、审计、财政等有关部门", None)]),
    # named units and townships: the name runs back to the verb or preposition before it
    ("巡察组对滨江大学党委开展巡察。", None, [("滨江大学党委", "滨江大学党委", "unit")]),
    ("督促青峰矿业集团有限公司纪委整改。", None,
     [("青峰矿业集团有限公司纪委", "青峰矿业集团有限公司纪委", "unit")]),
    ("中共江陵师范学院委员会印发通知。", None, [("中共江陵师范学院委员会", "江陵师范学院委员会", "unit")]),
    ("中共襄阳市委员会召开会议。", None, [("中共襄阳市委员会", "襄阳市委", "municipal")]),
    ("县委巡察组对石桥镇党委开展巡察。", None, [("石桥镇党委", "石桥镇党委", "township")]),
    ("乡纪委对村务公开开展检查。", None, [("乡纪委", "乡纪委", "township")]),
    # `和县` is a county, but here a joiner and a level prefix
    ("县法院和县检察院联合发文。", None, [("县法院", "县法院", "county"), ("县检察院", "县检察院", "county")]),
    ("二十届中央已开展两轮巡视。", None, [("二十届中央", "中央", "central")]),
    ("推动各区县党委开展自查。", None, [("各区县党委", "各区县党委", None)]),
    ("配合上级巡视机构开展工作。", None, [("上级巡视机构", "上级巡视机构", None)]),
    ("完成对中央和国家机关的巡视。", None, [("中央和国家机关", "中央和国家机关", "central")]),
    ("市人大及其常委会审议了报告。", None, [("市人大及其常委会", "市人大及其常委会", "municipal")]),
    ("巡视组对永川区、大足区开展巡视。", "重庆市", [("永川区", "永川区", "county"), ("大足区", "大足区", "county")]),
]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text, region, expected", ORGANS, ids=[o[0][:10] for o in ORGANS])
def test_organ_patterns(text, region, expected, script):
    nt, found = run(text, region, script)
    got = [(nt.view[b.start:b.end], b.name, b.level) for b in found]
    for e in expected:
        assert e in got
    assert all(nt.original[b.start:b.end] == b.text for b in found)


NOT_BODIES = [
    "省委书记主持召开会议。",
    "巡视组组长带队进驻。",
    "增加3个巡视组的编制。",
    "坚决贯彻中央精神。",
    "对标对表中央做法。",
    "服务国家发展大局,做好国家战略部署。",
    "北京市地区生产总值增长5%。",
    "河北、山西两省的经验值得推广。",
    "印发《关于加强省委巡视机构建设的意见》。",
    "统计一下全县有多少个乡。",
    "推进新型城镇化和城乡融合。",
    "对城乡融合、滨江新区规划作出部署。",
]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text", NOT_BODIES)
def test_not_bodies(text, script):
    nt, found = run(text, None, script)
    assert view_texts(nt, found) == []


# sentence, region, view text, name: names complete generic prefixes and bare organs
NAMES = [
    ("省委第一时间作出部署。", "河北省", "省委", "河北省委"),
    ("自治区纪委监委跟进督办。", "广西壮族自治区", "自治区纪委监委", "广西壮族自治区纪委监委"),
    ("市委常委会研究巡视工作。", "北京市", "市委常委会", "北京市委常委会"),
    ("各市委要抓好落实。", "河北省", "市委", "市委"),
    ("随后,巡视组进驻开展工作。", "辽宁省", "巡视组", "辽宁省委巡视组"),
    ("巡视办加强统筹。", "新疆维吾尔自治区", "巡视办", "新疆维吾尔自治区党委巡视办"),
    ("协调纪委、组织部开展督查。", "吉林省", "纪委", "吉林省纪委"),
    ("协调纪委、组织部开展督查。", "吉林省", "组织部", "吉林省委组织部"),
    ("中央巡视组进驻后,巡视组召开了见面会。", "四川省", "巡视组", "中央巡视组"),
    ("巡视组召开了见面会。", None, "巡视组", "巡视组"),
    ("孝感市委深入推进整改。市委常委会专题研究。", None, "市委常委会", "孝感市委常委会"),
    ("自治区农业农村厅、水利厅、商务厅等单位。", "西藏自治区", "水利厅", "西藏自治区水利厅"),
    ("帮助被巡视党组织找准问题。", "山东省", "被巡视党组织", "被巡视党组织"),
    ("中国共产党安徽省纪律检查委员会召开全会。", None, "中国共产党安徽省纪律检查委员会", "安徽省纪委"),
    # a generic prefix stands for the place or unit the document named (before, else after)
    ("黄冈市政府印发方案。市财政局、市审计局分别落实。", None, "市审计局", "黄冈市审计局"),
    ("市委第二巡察组进驻后,宜城市委巡察办跟进督办。", None, "市委第二巡察组", "宜城市委第二巡察组"),
    ("石桥镇党委召开会议,会后镇党委逐项整改。", None, "镇党委", "石桥镇党委"),
    ("滨江大学党委部署整改,学校纪委加强监督。", None, "学校纪委", "滨江大学纪委"),
    ("中共青峰矿业集团有限公司委员会通报进展。集团党委逐条认领问题。", None, "集团党委",
     "青峰矿业集团有限公司党委"),
    ("金山镇党委督促各村党组织建立台账。", None, "各村党组织", "金山镇各村党组织"),
    ("黄冈市委召开会议,要求各县区党委抓好落实。", None, "各县区党委", "黄冈市各县区党委"),
    # one numbered group named in the document: the bare one is that group
    ("省委第四巡视组进驻后,巡视组要求立行立改。", "江西省", "巡视组", "江西省委第四巡视组"),
    ("十四届省委第三轮巡视第二巡视组进驻。", "山西省", "第二巡视组", "山西省委第二巡视组"),
    ("仁寿县委召开会议,巡察组分赴各单位。", None, "巡察组", "仁寿县委巡察组"),
    # an enumeration's members take its first member's place
    ("在自治区党委、政府的领导下。", "广西壮族自治区", "政府", "广西壮族自治区政府"),
    ("自治区纪委监委、党委组织部派员参加。", "西藏自治区", "党委组织部", "西藏自治区党委组织部"),
    ("实现对村（社区）党组织全覆盖。", None, "村(社区)党组织", "村（社区）党组织"),
    ("二十届中央已开展两轮巡视。", None, "二十届中央", "中央"),
    ("中共第九届中央委员会举行全会。", None, "中共第九届中央委员会", "党中央"),
    # a city or county the gazetteer lacks is learnt from `中共X县委`, `<province>X市`, a title
    ("中共柏溪县委关于整改的通报\n县纪委监委对线索逐件核查。", "四川省", "县纪委监委", "柏溪县纪委监委"),
    ("中共柏溪县委关于整改的通报\n县财政局牵头清理。", "四川省", "县财政局", "柏溪县财政局"),
    ("澄岚县委召开巡察工作会议\n县委巡察办跟踪督办。", None, "县委巡察办", "澄岚县委巡察办"),
    ("澄岚县委召开巡察工作会议\n会后,县委专题研究。", None, "澄岚县委", "澄岚县委"),
    ("7月2日,湖南省枫林市纪委监委召开会议。市纪委监委通报情况。", "湖南省", "市纪委监委", "枫林市纪委监委"),
    ("重庆市鹤鸣区2026年政府工作报告\n区城市管理局负责。", "重庆市", "区城市管理局", "鹤鸣区城市管理局"),
    # ... a named city's or county's body is named without its province (the span keeps it)
    ("7月2日,湖南省枫林市纪委监委召开会议。", "湖南省", "湖南省枫林市纪委监委", "枫林市纪委监委"),
    ("会上,湖北省宜城市委通报了整改情况。", "湖北省", "湖北省宜城市委", "宜城市委"),
    ("对江西省瑞金市开展巡察。", "江西省", "江西省瑞金市", "瑞金市"),
    # a local inspection organ belongs to the city, county or unit the document is about
    ("滨江大学党委部署整改,由校纪委、党委巡察办跟踪督办。", None, "党委巡察办", "滨江大学党委巡察办"),
    ("会后,乡镇党委逐项整改。", None, "乡镇党委", "乡镇党委"),
    # a name opening a line with a stop word is no place
    ("根据市委统一部署开展巡察。", "河北省", "市委", "市委"),
]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text, region, body, name", NAMES, ids=[f"{n[2]}:{n[3]}" for n in NAMES])
def test_names(text, region, body, name, script):
    nt, found = run(text, region, script)
    names = {nt.view[b.start:b.end]: b.name for b in found}
    assert names.get(body) == name


def test_provenance_recorded():
    nt, found = run("省委巡视工作领导小组对省国资委开展巡视。", "江苏省")
    assert found and all(b.source == "rule" and b.rule_id.startswith("body.") for b in found)
    assert all(b.explanation and "name:" in b.explanation for b in found)


def test_bad_rule_names_its_id(tmp_path, monkeypatch):
    import shutil

    from pipeline import rules as rules_mod
    from pipeline.errors import RuleError

    for p in [*rules_mod.RULES_DIR.glob("bodies*"), rules_mod.RULES_DIR / "divisions.tsv"]:
        shutil.copy(p, tmp_path / p.name)
    y = tmp_path / "bodies.yaml"
    y.write_text(y.read_text(encoding="utf-8").replace("pattern: '党中央|中共中央'", "pattern: '党中央|(('"),
                 encoding="utf-8")
    monkeypatch.setattr(rules_mod, "RULES_DIR", tmp_path)
    rules_mod.load_yaml.cache_clear(), rules_mod.load_lines.cache_clear()
    try:
        with pytest.raises(RuleError, match="body.central.party"):
            bodies.compile_rules()
    finally:
        monkeypatch.undo()
        rules_mod.load_yaml.cache_clear(), rules_mod.load_lines.cache_clear()


def run_document(text: str, script: str = "simplified"):
    """Rule mentions of a whole text read with its home and regions, as a run reads it."""
    from pipeline.context import regions

    if script == "traditional":
        text = traditional(text)
    stage = regions.stage()
    nt = Context.of(text).text
    home = stage.home(nt)
    ctx = Context.of(nt, home=home, regions=tuple(stage.regions(nt, None, home)))
    return nt, RULES_ONLY.extract(ctx)


# a document, view text of a body, its k-th occurrence, name: names from the document's home
HOME_NAMES = [
    # a county's text: its generic prefixes and bare organs are the county's
    ("峨山县委关于落实巡察反馈意见的报告\n县委第一巡察组对县水务局开展了巡察。纪委监委、组织部全程参与。",
     [("县委第一巡察组", "峨山县委第一巡察组"), ("纪委监委", "峨山县纪委监委"), ("组织部", "峨山县委组织部")]),
    # a bureau's notice: its short forms and rectification group are the bureau's
    ("根据区委统一部署,区委第三巡察组对区水务局党组开展了巡察。现将整改情况予以公布。\n"
     "局党组随即研究部署,组建巡察整改工作领导小组并下设领导小组办公室。",
     [("局党组", "区水务局党组"), ("巡察整改工作领导小组", "区水务局巡察整改工作领导小组"),
      ("领导小组办公室", "区水务局巡察整改工作领导小组办公室"), ("区委第三巡察组", "区委第三巡察组")]),
    # an enterprise's notice: its committee keeps its word, short forms are the company's
    ("中共青峰矿业集团有限公司委员会关于落实巡察反馈意见的报告\n区委第二巡察组对青峰矿业集团党委进行了巡察。"
     "集团党委召开会议,公司纪委加强监督。",
     [("中共青峰矿业集团有限公司委员会", "青峰矿业集团有限公司委员会"),
      ("青峰矿业集团党委", "青峰矿业集团有限公司党委"), ("集团党委", "青峰矿业集团有限公司党委"),
      ("公司纪委", "青峰矿业集团有限公司纪委")]),
    # a township the opening inspects, named in full further on: its county fills it
    ("按照县委统一部署,县委第一巡察组对石门镇党委开展了巡察,现将整改情况公布如下。\n"
     "镇党委成立整改工作领导小组。石门镇党委印发了《中共峨山县石门镇党委关于巡察整改的报告》。",
     [("石门镇党委", "峨山县石门镇党委"), ("镇党委", "峨山县石门镇党委"),
      ("整改工作领导小组", "峨山县石门镇整改工作领导小组")]),
    # a county's text names its townships and villages with it
    ("兰考县巡察工作稳步推进\n县委第二巡察组对东坝头镇、谷营镇开展了巡察。",
     [("东坝头镇", "兰考县东坝头镇"), ("谷营镇", "兰考县谷营镇")]),
    # a university's own text that never names it: its organs are `校…`
    ("学校召开整改推进会,校党委常委会成员出席。会上党委宣传部、纪委办公室作了汇报,机关党委表态。",
     [("党委宣传部", "校党委宣传部"), ("机关党委", "校机关党委")]),
    # a derived form written short for the prefecture the text names in full
    ("楚雄彝族自治州积极推进巡察整改。近年来,楚雄州实行问题清单制度。",
     [("楚雄州", "楚雄彝族自治州")]),
    # one numbered central group: a bare central group is it; `各巡视组` of a central text is the centre's
    ("中央第三巡视组向省委反馈了意见。会议指出,中央巡视组反馈的问题要逐条整改。",
     [("中央巡视组", "中央第三巡视组")]),
    ("中央纪委国家监委近日通报进展。会上,各巡视组分别提出具体要求。",
     [("巡视组", "中央巡视组")]),
    # the party's centre keeps its name; `中共` goes before its organs
    ("中共中央印发条例。中共中央巡视组进驻开展工作。", [("中共中央", "中共中央"), ("中共中央巡视组", "中央巡视组")]),
]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text, expected", HOME_NAMES, ids=[h[1][0][1] for h in HOME_NAMES])
def test_names_from_the_home(text, expected, script):
    nt, found = run_document(text, script)
    names = [(nt.view[b.start:b.end], b.name) for b in found]
    for e in expected:
        assert e in names


# organ grammar (issue 16): a span holds its owner and its sub-organ, never the verb or
# preposition before it; text, region, [(span in the view, name)]
SPANS = [
    ("巡察组对区自然资源和规划局党组开展巡察。", None, [("区自然资源和规划局党组", "区自然资源和规划局党组")]),
    ("会上,十二届省委第四轮巡视动员部署。", "福建省", [("十二届省委", "福建省委")]),
    ("二十届中央纪委三次全会作出部署。", None, [("二十届中央纪委", "中央纪委")]),
    ("把一届任期内全覆盖作为目标,一届党委要抓好。", None, [("党委", "党委")]),
    ("中央第二、第五巡视组分别进驻。", None, [("中央第二、第五巡视组", "中央第二、第五巡视组")]),
    ("对桐柏县县委开展巡视。", None, [("桐柏县县委", "桐柏县委")]),
    ("党委教师工作部、纪委办公室参加。", None, [("党委教师工作部", "党委教师工作部"), ("纪委办公室", "纪委办公室")]),
    ("对县直各局(委、办)党委(党组)实行巡察全覆盖。", None, [("县直各局(委、办)党委(党组)", "县直各局(委、办)党委(党组)")]),
    ("督促各乡(镇)党委、县各人民团体党组织立行立改。", None,
     [("乡(镇)党委", "乡(镇)党委"), ("县各人民团体党组织", "县各人民团体党组织")]),
    ("东区公布南湖街石岭村党总支整改情况。", None, [("南湖街石岭村党总支", "南湖街石岭村党总支")]),
    ("对民和镇党委开展巡察。", None, [("民和镇党委", "民和镇党委")]),
    ("要在省、市委的领导下推进。", None, [("省、市委", "省、市委")]),
    ("韶关市、区两级巡察机构协同发力。", None, [("韶关市、区两级巡察机构", "韶关市、区两级巡察机构")]),
    ("巡视组进驻东华纺织集团有限公司、中国远山航运(集团)总公司。", None,
     [("东华纺织集团有限公司", "东华纺织集团有限公司"), ("中国远山航运(集团)总公司", "中国远山航运(集团)总公司")]),
    ("对中国国家开发银行开展巡视。", None, [("中国国家开发银行", "国家开发银行")]),
    ("国务院扶贫办党组承担整改责任。", None, [("国务院扶贫办党组", "国务院扶贫办党组")]),
    ("督促被巡视地区和单位党委(党组)抓好整改。", None, [("被巡视地区和单位党委(党组)", "被巡视地区和单位党委(党组)")]),
    ("成立领导小组,下设办公室和工作专班。", None, [("办公室", "办公室"), ("工作专班", "工作专班")]),
    ("严格落实中央和省委的部署。", None, [("中央", "中央"), ("省委", "省委")]),
]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text, region, expected", SPANS, ids=[s[2][0][0] for s in SPANS])
def test_spans_hold_owner_and_organ(text, region, expected, script):
    nt, found = run(text, region, script)
    got = [(nt.view[b.start:b.end], b.name) for b in found]
    for e in expected:
        assert e in got


@pytest.mark.parametrize("text", [
    "学习贯彻中央精神,理顺中央和地方的财政关系。",
    "推动党组织建设与业务工作深度融合。",
    "重新梳理巡察对象,做到应巡尽巡。",
    "有序开展巡察村党组织工作。",
])
def test_not_bodies_of_the_organ_grammar(text):
    nt, found = run(text)
    assert not [b for b in found if b.rule_id in (
        "body.central.bare", "body.inspected", "body.committee.village_named", "body.committee.bare")]


def _merged_windows(text: str, trigger: str) -> list[tuple[int, int]]:
    """Windows of `bodies.WINDOW` either side of each trigger hit, merged where they meet."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(trigger, text):
        lo, hi = max(0, m.start() - bodies.WINDOW), min(len(text), m.end() + bodies.WINDOW)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


@pytest.mark.parametrize("trigger", ["[委组]", "村[党村]|委"])
@pytest.mark.parametrize("gaps", [[0], [5, 79, 80, 81], [200, 0, 0, 2 * 40 + 1, 2 * 40], [90] * 4])
def test_trigger_hits_make_the_merged_windows(gaps, trigger):
    text = "".join("甲" * g + ("委" if k % 3 else "组" if k % 2 else "村党") for k, g in enumerate(gaps))
    text += "乙" * 50
    hits = [m.span() for m in re.finditer(trigger, text)]
    assert windows(hits, bodies.WINDOW, bodies.WINDOW, len(text)) == _merged_windows(text, trigger)


def _same_as_validated(record) -> None:
    ref = type(record)(**{k: getattr(record, k) for k in record.model_fields_set})
    assert list(record.__dict__.items()) == list(ref.__dict__.items())
    assert list(map(type, record.__dict__.values())) == list(map(type, ref.__dict__.values()))
    assert record.model_fields_set == ref.model_fields_set


@pytest.mark.parametrize("text", [
    "省委第三巡视组对市发展改革委党组、县人民政府和村（社区）党组织开展巡视。",
    "中共某某县委、团省委、省国资委党委和光明研究所落实整改责任。",
    "省委巡视组对光明研究所开展巡视。",
])
def test_bodies_are_the_records_validation_makes(text):
    """Bodies are made without validation (`Typed`): the same fields, values, types, order
    and set fields as validation gives, for rules, a stand-in model and every rule example."""
    def stand_in(view, *args, **kw):
        at = view.find("研究所")
        return [(0, 3, 0.87654321)] + ([(at - 2, at + 3, 0.91)] if at >= 2 else [])

    model = Bodies(predict=stand_in)
    texts = [text, *{ex.text for _, ex in RULES_ONLY.examples()}]
    sources = set()
    for stage in (RULES_ONLY, model):
        for t in texts:
            for b in stage.extract(Context.of(t)):
                _same_as_validated(b)
                sources.add(b.source)
    assert sources == {"rule", "model"}


@pytest.mark.parametrize("text", ["宜城市委和某县、大武口区", "市区县旗省", "城市", "市", ""])
def test_the_tail_gate_finds_the_place_suffixes_that_end_a_tail(text):
    """`_tail_gate` finds the ends of a text's two characters that end a name of the table, as
    a look-up of the two characters before each of the names' last characters does."""
    tails = bodies._tails(["宜城市", "某县", "大武口区", "城市"])
    want = [m.end() for m in re.finditer("[市县区]", text)
            if tails.get(text[m.end() - 2:m.end()]) is not None]
    assert [m.end() for m in bodies._tail_gate(tails).finditer(text)] == want


def test_a_place_ending_read_by_its_tails_is_the_one_read_by_every_length():
    """`place_ending` given the names' tails (`bodies.Places`) finds the longest name ending at
    each place of a text, as trying every length does; learnt places bring tails of their own."""
    from pipeline.context.places import Place
    from pipeline.extractors.naming import place_ending

    places = bodies.Places({n: Place(n, "county", "") for n in ["宜城市", "城市", "某县", "大武口区"]})
    learnt = places.with_learnt({"新河县": Place("新河县", "county", "")})
    text = "宜城市委、某县和新河县、大武口区城市"
    for table in (places, learnt):
        for end in range(len(text) + 1):
            assert place_ending(text, end, table, table.tails) is place_ending(text, end, table)
    assert place_ending(text, 11, learnt, learnt.tails).name == "新河县"
    assert place_ending(text, 11, places, places.tails) is None
