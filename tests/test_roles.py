"""Roles (spec §4): who does or leads the act, who is acted on, who takes part, in both scripts.

Every sentence here is composed for the test; none is taken from the development gold.
"""
from __future__ import annotations

import pytest

from pipeline.context.document import Context
from pipeline.extractors.roles import Roles
from pipeline.records import RegionSpan
from tests.test_bodies import RULES_ONLY, SCRIPTS, traditional

ROLES_STAGE = Roles()


def run(text: str, region: str | None = None, script: str = "simplified"):
    """The bodies of a sentence (rules only) with the roles the roles stage gives them."""
    if script == "traditional":
        text = traditional(text)
    regs = (RegionSpan(region=region, start=0, end=len(text)),) if region else ()
    ctx = Context.of(text, regions=regs)
    return ctx.text, ROLES_STAGE.refine(ctx, RULES_ONLY.extract(ctx))


# sentence, body text in the view, role
ROLES = [
    ("由省财政厅牵头制定办法。", "省财政厅", "responsible"),
    ("此项工作省委组织部负责。", "省委组织部", "responsible"),
    ("省委第二巡视组对省水利厅开展常规巡视。", "省委第二巡视组", "responsible"),
    ("省委第二巡视组对省水利厅开展常规巡视。", "省水利厅", "target"),
    ("巡视组向省民政厅党组反馈巡视意见。", "巡视组", "responsible"),
    ("巡视组向省民政厅反馈巡视意见。", "省民政厅", "target"),
    ("督促市县党委切实整改。", "市县党委", "target"),
    ("指导黄石市开展巡察。", "黄石市", "target"),
    ("三明市在全省率先推行交叉巡察。", "三明市", "responsible"),
    ("巡察组对被巡察单位党组织提出要求。", "被巡察单位党组织", "target"),
    ("省委巡视办统一部署了这项工作。", "省委巡视办", "responsible"),
    ("目前,省委巡视工作领导小组已听取汇报。", "省委巡视工作领导小组", "responsible"),
    ("4月3日,省委召开巡视工作动员部署会。", "省委", "responsible"),
    ("加强与纪检监察机关的协作。", "纪检监察机关", "participant"),
    ("列席会议的有省委组织部的同志。", "省委组织部", "participant"),
    ("把村级党组织纳入巡察范围。", "村级党组织", "target"),
    ("有吉林、辽宁等3省份召开专题会议。", "辽宁", "responsible"),
    ("各地坚决维护党中央权威,令行禁止。", "党中央", "participant"),
    ("2017年中央对安徽开展巡视。", "中央", "responsible"),
    ("巡视组向省财政厅、省商务厅分别反馈了意见。", "省商务厅", "target"),
    ("向市纪委监委移交问题线索12件。", "市纪委监委", "participant"),
    ("巡视组指出,市委落实主体责任不够有力。", "市委", "target"),
    ("巡察组要求,石桥镇党委要立行立改。", "石桥镇党委", "target"),
    ("县委组织部有关同志列席会议。", "县委组织部", "participant"),
    ("市纪委监委、市委宣传部分别派员参加。", "市委宣传部", "participant"),
    ("组长代表巡视组通报情况。", "巡视组", "responsible"),
    ("经市委同意,现将方案印发。", "市委", "responsible"),
    ("会同市审计局对五个单位开展督查。", "市审计局", "participant"),
    ("区政府将自觉接受区人大的依法监督。", "区政府", "target"),
    ("区政府将自觉接受区人大的依法监督。", "区人大", "responsible"),
    ("镇党委认真贯彻落实县委决策部署。", "县委", "participant"),
    ("抓好省委巡视反馈意见整改。", "省委", "participant"),
    ("2024年黄冈市政府工作报告", "黄冈市政府", "responsible"),
    ("中共江陵师范学院委员会关于整改进展的通报", "中共江陵师范学院委员会", "responsible"),
    ("对襄阳市、荆门市,以及省水利厅、省商务厅等8个省直单位开展巡视。", "省商务厅", "target"),
    ("党的十九大以来,党中央把巡视摆在突出位置。", "党中央", "responsible"),
    ("反映出党中央对基层治理的高度关心。", "党中央", "participant"),
    ("县委要求各乡镇党委在一个月内完成整改。", "乡镇党委", "target"),
    ("督促乡镇党委立行立改。", "乡镇党委", "target"),
    ("全市两级巡察机构共发现问题300余个。", "巡察机构", "responsible"),
    ("全省各级纪检监察机关立案审查200件。", "纪检监察机关", "responsible"),
    ("全区巡察机构比上年多出编制十余个。", "巡察机构", "participant"),
    ("目前,全市巡察机构专职干部已达300余人。", "巡察机构", "participant"),
    ("特此通知。\n中共随州市委办公室\n2024年5月6日", "中共随州市委办公室", "responsible"),
    ("9人被移送检察机关审查起诉。", "检察机关", "participant"),
    # a list is one list across members the bodies stage did not find
    ("对青川矿业有限公司、省林业局、南岭港务公司、省体育局等单位开展巡视。", "省体育局", "target"),
    ("会上,县委办公室、某某中心、县财政局等成员单位负责人作了发言。", "县财政局", "participant"),
    # a gloss in brackets takes the role of the body it names
    ("巡视组向省教育厅党组(省委教育工委)反馈了意见。", "省委教育工委", "target"),
    ("巡视组向省教育厅党组(省委教育工委)反馈了意见。", "省教育厅党组", "target"),
    # the authority an act is done under leads it; a deployment carried out is another's
    ("根据省委统一部署,第二巡视组进驻该厅。", "省委", "responsible"),
    ("在县委的坚强领导下,全县各项工作稳步推进。", "县委", "responsible"),
    ("作为落实市委巡察工作部署的具体行动。", "市委", "participant"),
    # the source of a document or of a finding is a participant
    ("市委巡察组反馈意见,是一次全面体检。", "市委巡察组", "participant"),
    ("针对省委巡视组指出的问题,逐项整改。", "省委巡视组", "participant"),
    # the agent of a passive act does it; a body found at fault is a target
    ("该局被县纪委监委通报批评。", "县纪委监委", "responsible"),
    ("巡察组指出县民政局在资金监管上存在漏洞。", "县民政局", "target"),
    ("第一巡视组向宜昌市委提出,要抓好整改。", "宜昌市委", "target"),
    ("将县审计局、县财政局纳入联合督查组。", "县财政局", "participant"),
]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text, body, role", ROLES, ids=[f"{r[1]}:{r[2]}" for r in ROLES])
def test_roles(text, body, role, script):
    nt, found = run(text, "湖北省", script)
    roles = {nt.view[b.start:b.end]: b.role for b in found}
    assert roles.get(body) == role


def test_role_explained_with_its_cue():
    _nt, found = run("省委巡视工作领导小组对省国资委开展巡视。", "江苏省")
    assert [b.explanation.split(";")[0] for b in found] == [
        "role: role.responsible.acts_on", "role: role.target.acted_on"]


def test_rule_fixed_role_is_kept():
    _nt, found = run("被巡察单位党组织要立行立改。")
    assert [(b.text, b.role) for b in found] == [("被巡察单位党组织", "target")]


def test_a_cue_for_roles_alone_neither_makes_nor_unmakes_a_place_body():
    """`licenses_place: null` cues (here role.participant.source) leave a place's fate to the
    next cue that fires (role.target.acted_on licenses 荆门市 after 对)."""
    _nt, found = run("省委巡视组对荆门市反馈的问题开展督查。", "湖北省")
    assert "荆门市" in [b.text for b in found]


@pytest.mark.parametrize("text", [
    "市委巡察组对县发展改革局开展巡察,督促县委落实整改;县政府:完成。\n乡镇党委配合",
    "省委巡视组" * 30 + ",县委整改。" + "甲" * 250 + "市委",
    "无标点的一句话省委巡视组进驻某某县委开展巡视",
])
def test_the_window_is_the_one_of_all_clause_marks(text):
    """A list's window, its clause marks looked for within reach, is the one all the
    document's clause marks give (`Ends`)."""
    ctx = Context.of(text)
    rules, reach = ROLES_STAGE.rules, ROLES_STAGE.rules.spec.reach
    clauses, statements = ctx.units.ends("clause"), ctx.units.ends("statement")
    for start in range(len(text)):
        for end in (start, start + 1, min(len(text), start + 7)):
            s = clauses.start_before(start, max(0, start - reach))
            e = clauses.end_after(end, min(len(text), end + reach))
            w = rules.window(ctx, start, end)
            assert (w.left, w.before) == (text[s:start].lstrip(" \u3000\t"),
                                          text[statements.start_before(s, max(0, s - reach)):s])
            right = text[end:e]
            tail = rules.list_tail.match(right)
            assert w.right == (right[tail.end():] if tail else right)
