"""Work items: the act that governs each count and date, clauses, exhortations, practices.

Sentences here are composed for the tests (not taken from the dev gold). Mentions are made by
hand, so these tests do not depend on the quantity, time and body extractors.
"""
from __future__ import annotations

import pytest

from pipeline.context.document import Context
from pipeline.context.view import normalize
from pipeline.items.build import Items
from pipeline.items import practices
from pipeline.records import Body, Heading, Quantity, RegionSpan, Time, WorkItem

ITEMS = Items()


def make_mentions(text: str, specs: list[tuple[str, str]]) -> list:
    """Records for (kind, text) pairs, located in order; bodies are `name:role` after a `|`."""
    out, pos = [], 0
    for kind, spec in specs:
        span, _, extra = spec.partition("|")
        start = text.index(span, pos)
        kw = dict(start=start, end=start + len(span), text=span, rule_id="test")
        if kind == "q":
            out.append(Quantity(value=1, **kw))
        elif kind == "t":
            out.append(Time(time_kind="date", **kw))
        else:
            name, _, role = extra.partition(":")
            out.append(Body(name=name or span, role=role or "participant", **kw))
        pos = start + 1
    out.sort(key=lambda m: (m.start, -m.end))
    return [m.model_copy(update={"mention_id": f"m{i:04d}"}) for i, m in enumerate(out, 1)]


def run(text: str, specs=(), heads=(), regions=()):
    ms = make_mentions(text, list(specs))
    its, linked = ITEMS.extract(Context.of(text, headings=tuple(heads), regions=tuple(regions)), ms)
    return its, linked


def action_of(text: str, mention: str, kind: str = "q") -> str | None:
    its, linked = run(text, [(kind, mention)])
    m = linked[0]
    found = [i for i in its if i.item_id == m.item_id]
    return found[0].action if found else None


@pytest.mark.parametrize("text, mention, kind, action", [
    ("市委巡察组对5个乡镇开展了常规巡察。", "5个", "q", "开展"),
    ("截至6月底,全市共发现问题326个。", "326个", "q", "发现"),
    ("截至6月底,全市共发现问题326个。", "截至6月底", "t", "发现"),
    ("巡察期间,共受理群众来信来访85件次。", "巡察期间", "t", "受理"),
    ("区委召开常委会会议,听取3个巡察组的情况汇报。", "3个", "q", "听取"),
    ("推动被巡察党组织修订完善制度41项。", "41项", "q", "修订"),
    ("将8家单位的整改情况纳入年度考核。", "8家", "q", "纳入"),
    ("为做好整改工作,镇党委召开专题会议4次。", "4次", "q", "召开"),
    ("全县12个乡镇党委已全部完成整改。", "12个", "q", "完成"),
    ("整改完成率达到92%。", "92%", "q", "达到"),
    ("集中整改以来,建立完善制度23项,问题整改率达到95%。", "95%", "q", "达到"),
    ("已督办问题35个,督办完成率达到90%。", "90%", "q", "督办"),
    ("风电装机占全部装机的比重由18.5%提升至31.2%。", "18.5%", "q", "提升至"),
    ("推动被巡察党组织修订完善制度41项。", "41项", "q", "修订"),
    ("全市固定资产投资增长6.5%。", "6.5%", "q", "增长"),
    ("高新技术企业从800家增加到1100家、专精特新企业达到260家。", "260家", "q", "达到"),
    ("高新技术企业从800家增加到1100家、专精特新企业达到260家。", "800家", "q", "增加到"),
    ("派出4个巡察组,对22个村党组织开展巡察。", "4个", "q", "派出"),
    ("派出4个巡察组,对22个村党组织开展巡察。", "22个", "q", "开展"),
    ("市委巡察办先后下发提醒函6份。", "6份", "q", "下发"),
    ("全省共辖14个市(州)。", "14个", "q", "辖"),
    ("对巡察移交的17个问题进行专题研究。", "17个", "q", "研究"),
    ("县纪委监委对巡察移交的9名干部给予党纪处分。", "9名", "q", "处分"),
    ("区委主持召开专题会议5次。", "5次", "q", "召开"),
    ("督促被巡察单位整改问题130个。", "130个", "q", "整改"),
    ("各巡察组在进驻前,集中学习业务知识3天。", "3天", "q", "学习"),
    ("根据市委统一部署,6月至8月,市委第二巡察组对市水利局开展巡察。", "6月至8月", "t", "开展"),
    ("从反馈之日起,被巡察单位须在2个月内报送整改报告。", "从反馈之日起", "t", "报送"),
    ("在26个被巡察单位中,有21个单位存在制度执行不严的问题。", "26个", "q", "存在"),
    ("本次巡察共发现学习教育不深入、制度执行不到位等问题47个。", "47个", "q", "发现"),
    ("巡察办编印工作简报12期,内容包括工作动态、经验做法等9个栏目。", "9个", "q", "编印"),
    ("一是力量薄弱,专职干部仅有15名;二是发现问题的能力不强。", "15名", "q", "有"),
    ("市委组织部根据巡察反馈调整干部6名。", "6名", "q", "调整"),
    ("巡察组反馈了意见,指出5个方面问题。", "5个", "q", "指出"),
    ("共受理信访举报460余件次,个别谈话238人次。", "460余件次", "q", "受理"),
    ("共受理信访举报460余件次,个别谈话2,380人次。", "2,380人次", "q", "谈话"),
    ("会议研究了今年巡察工作安排,计划开展巡察3轮。", "3轮", "q", "开展"),
    ("从纪检监察机关和组织、宣传、财政等部门,以及国有企业抽调干部80名。", "80名", "q", "抽调"),
    ("今年以来,各地结合实际深入贯彻落实会议精神。", "今年以来", "t", "贯彻落实"),
    ("居民消费价格上涨2%。", "2%", "q", "上涨"),
    ("城镇登记失业率控制在5%以内。", "5%以内", "q", "控制"),
    ("清理不规范报销经费36万元。", "36万元", "q", "清理"),
    ("其余5条正在推进并将长期坚持。", "5条", "q", "推进"),
    ("市财政局要每季度对政府投资项目开展一次专项审计。", "每季度", "t", "开展"),
])
def test_action_governing_mention(text, mention, kind, action):
    assert action_of(text, mention, kind) == action


@pytest.mark.parametrize("text, mention, kind, action", [
    # a head noun (情况, 进展) makes a noun of the word before it only, not of the verb before that
    ("区委要求各乡镇在1个月内报送整改落实情况。", "1个月内", "t", "报送"),
    ("县政府将于6月底前公布巡察整改进展。", "6月底前", "t", "公布"),
    # a light verb carries the verbal noun after it (spec §5): an inspection noun ending the
    # phrase, else its first act, a fixed compound as one
    ("对整改不力的4名村干部进行提醒谈话。", "4名", "q", "提醒谈话"),
    ("对辖区内7个社区党组织进行了延伸巡察。", "7个", "q", "巡察"),
    ("今年已对全县14个乡镇进行了2轮巡察。", "14个", "q", "巡察"),
    ("对新建的9个项目进行“回头看”。", "9个", "q", "回头看"),
    ("对3家企业的台账进行检查复核。", "3家", "q", "检查"),
    ("2022年5月,县委第一巡察组对县农业农村局进行常规巡察。", "2022年5月", "t", "巡察"),
    # in a list of acts each number belongs to the act it follows, inside quotes too
    ("“全年督促整改问题80个,约谈干部15人……”", "80个", "q", "整改"),
    ("“全年督促整改问题80个,约谈干部15人……”", "15人", "q", "约谈"),
    # a count in a causative's object is the causative's; after the governed act, that act's
    ("督导组指导8个县对62个村开展提级巡察。", "8个", "q", "指导"),
    ("督导组指导8个县对62个村开展提级巡察。", "62个", "q", "开展"),
    ("推动全县9个乡镇全部成立巡察工作专班。", "9个", "q", "成立"),
    # a date and a 对 phrase with no act wait for the act after them
    ("2026年底前对县直各部门、各乡镇党委,实行巡察全覆盖。", "2026年底前", "t", "实行"),
    # 将 before an act means "will"; 明确 + date introduces the clause whose act the date dates
    ("市委将组建6个巡察组。", "6个", "q", "组建"),
    ("方案明确2026年前各县每年开展一轮交叉巡察。", "2026年前", "t", "开展"),
    # a date opening an adverbial clause (自…以来) dates that clause's act
    ("自2019年5月县委启动首轮巡察以来,全县共发现问题800个。", "2019年5月", "t", "启动"),
    ("自2019年5月县委启动首轮巡察以来,全县共发现问题800个。", "800个", "q", "发现"),
    # a speech verb ending its clause is the act of the count it introduces
    ("反馈会上,巡视组指出,12个乡镇党委政治生态向好。", "12个", "q", "指出"),
    # fixed compounds of the discipline vocabulary are one action
    ("其中,诫勉谈话6人,批评教育11人。", "6人", "q", "诫勉谈话"),
    ("其中,诫勉谈话6人,批评教育11人。", "11人", "q", "批评教育"),
    ("全年谈话提醒干部42人。", "42人", "q", "谈话提醒"),
    # 给予 is a light verb: the verbal noun after it is the act (spec §5)
    ("县纪委监委立案6件,给予党纪政务处分5人。", "5人", "q", "处分"),
    # a change verb keeps its result complement (spec §5), a rate glued to 达
    ("群众满意率由81.2%提高到90.5%。", "81.2%", "q", "提高到"),
    ("组织全员业务考试,合格率达98%。", "98%", "q", "达"),
    # runs of verbs: a manner verb does not start one; 和 joins one
    ("各单位细化制定整改措施57条。", "57条", "q", "制定"),
    ("县委新建和修订巡察制度12项。", "12项", "q", "新建"),
    # 确保 and 坚持 govern the act after them, not a verb inside a date
    ("确保9月底前全部问题整改到位。", "9月底前", "t", "整改"),
    ("坚持每季度召开一次巡察工作例会。", "每季度", "t", "召开"),
    # a clause that opens an object phrase waits for the verb after it
    ("县委派出3个巡察组,对城关镇、河口镇及其所辖16个村,以及县直8个部门开展巡察。", "16个", "q", "开展"),
    # a clause opened by 对照/针对 with no act of its own is the basis of the next
    ("对照反馈指出的5个方面问题,逐项建立整改台账。", "5个", "q", "建立"),
    ("针对审计发现的9个问题,及时制定整改方案。", "9个", "q", "制定"),
    # a topic clause before 均/都
    ("尚未完成整改的问题还有6个,均已明确整改时限。", "6个", "q", "明确"),
    # after an act, a verb after 等 is a noun; after a preposition it is the act
    ("编印《巡察工作指引》等学习资料5种。", "5种", "q", "编印"),
    ("向县财政局、县审计局等发出提醒函6份。", "6份", "q", "发出"),
    # verbs often used as nouns in the object list of an act
    ("县委巡察办下设综合协调、督导检查两个科室。", "两个", "q", "下设"),
    # a verb before 后 dates the act after it
    ("整改方案报送后每月调度一次进展。", "每月", "t", "调度"),
    # a count in a phrase before the act: the act after it, not a verbal noun
    ("对涉及资金500万元的3个投资项目启动问责程序。", "3个", "q", "启动"),
    # verbs outside the lexicon, by POS, for a clause that counts
    ("目前专职巡察干部仅有12名,难以满足工作需要。", "12名", "q", "有"),
    ("共抽调干部60名,其中从乡镇抽调的20名。", "20名", "q", "抽调"),
    ("区纪委监委会同区委巡察办组成2个督查组。", "2个", "q", "组成"),
    # a verbal noun as subject before the count, the act after it
    ("全县项目投资连续18个月保持增长。", "18个", "q", "保持"),
    # a counted subject takes the verb after the count
    ("6个省级实验室在县城揭牌。", "6个", "q", "揭牌"),
    # a date that opens a clause belongs to that clause's act (spec §5), a stance or not
    ("2024年,县委巡察办紧扣政治巡察定位,统筹推进常规巡察和专项巡察。", "2024年", "t", "紧扣"),
    ("5月8日下午,县委第二巡察组向县林业局党组反馈巡察情况。", "5月8日下午", "t", "反馈"),
    # an idiom of working methods after a causative leaves the causative as the act
    ("推动各乡镇建章立制31项。", "31项", "q", "推动"),
    ("督促立行立改问题14个。", "14个", "q", "督促"),
    ("立行立改问题14个。", "14个", "q", "立行立改"),
    # a heading with a date and only a verbal noun
    ("三、2026年发展主要任务", "2026年", "t", "发展"),
])
def test_action_classes(text, mention, kind, action):
    assert action_of(text, mention, kind) == action


def actions_of(text: str, specs: list[tuple[str, str]]) -> list[str | None]:
    """The action of the item holding each (kind, text) mention, in order."""
    its, linked = run(text, specs)
    by_id = {i.item_id: i.action for i in its}
    return [by_id.get(m.item_id) for m in linked]


@pytest.mark.parametrize("text, specs, actions", [
    # verbs outside the older lexicon: spreading, receiving, benefiting, holding steady
    ("10月中旬,专项巡察将在全市全面铺开。", [("t", "10月中旬")], ["铺开"]),
    ("全区共接收群众来信来访530件次。", [("q", "530件次")], ["接收"]),
    ("全年水稻播种面积稳定在60万亩以上。", [("q", "60万亩以上")], ["稳定"]),
    ("要把农村义务教育辍学率稳定在1%以内。", [("q", "1%以内")], ["稳定"]),
    ("引导1200名高校毕业生到基层稳定就业。", [("q", "1200名")], ["引导"]),
    ("新改建乡村道路860公里。", [("q", "860公里")], ["新改建"]),
    # a clause that dates an act outside the lexicon takes jieba's verb, not the act before
    ("剩余5个问题正在推进,9月底前全部清零。", [("q", "5个"), ("t", "9月底前")],
     ["推进", "清零"]),
    ("其余4项纳入长期整改清单,按月跟踪。", [("q", "4项"), ("t", "按月")], ["纳入", "跟踪"]),
    # a breakdown: of the count before without a verb, its own item with one
    ("立案37件,其中涉及科级干部9人。", [("q", "37件"), ("q", "9人")], ["立案", "涉及"]),
    ("给予党纪处分26人,其中处级干部4人。", [("q", "26人"), ("q", "4人")], ["处分", "处分"]),
    # in a list of acts each number belongs to the act it follows (spec §5)
    ("给予组织处理3人、党纪处分2人、移送司法机关1人。", [("q", "3人"), ("q", "2人"), ("q", "1人")],
     ["组织处理", "处分", "移送"]),
    # after a count, 、 and a verb start a predicate of their own
    ("新建幼儿园14所、改扩建中小学22所。", [("q", "14所"), ("q", "22所")], ["新建", "改扩建"]),
    ("全县财政收入突破30亿元、增长7.2%。", [("q", "30亿元"), ("q", "7.2%")], ["突破", "增长"]),
    ("梳理、修订巡察制度19项。", [("q", "19项")], ["梳理"]),
    # a 对 phrase closed by 的 before a verbal noun is the object of the verb before it
    ("年底前完成对全县45个村的专项督查。", [("t", "年底前"), ("q", "45个")], ["完成", "完成"]),
    ("对全县45个村开展专项督查。", [("q", "45个")], ["开展"]),
    # two verbal nouns: the first acts on the second
    ("全年审核报告64份。", [("t", "全年"), ("q", "64份")], ["审核", "审核"]),
    # a partitive clause is part of the count after it
    ("巡察反馈的38个问题中,已整改到位35个。", [("q", "38个"), ("q", "35个")], ["整改", "整改"]),
    # a classifier that looks like an ending of time (起) does not make an adverbial
    ("发现问题线索16条,查处违纪案件9起。", [("q", "16条"), ("q", "9起")], ["发现", "查处"]),
    # a way of working (采取…方式) says how the act after it is done
    ("今年5月,区委3个巡察组采取“点穴式”方式,对6个街道开展专项巡察。",
     [("t", "今年5月"), ("q", "3个"), ("q", "6个")], ["开展", "开展", "开展"]),
    # a change verb is reported without its result complement
    ("到2025年底,全市万元产值能耗降至0.4吨标准煤。", [("t", "到2025年底")], ["降至"]),
    # jieba glues the object to the verb
    ("督促被巡察单位当场解决问题23个。", [("q", "23个")], ["解决"]),
    # 新 + verb + noun head names a kind of noun: 确保 stays the act
    ("确保全年新开工项目不少于40个。", [("q", "不少于40个")], ["确保"]),
])
def test_generalisation_classes(text, specs, actions):
    assert actions_of(text, specs) == actions


def test_times_that_swallow_their_verbs_leave_the_governing_verb():
    text = "坚持每周一督办、每月一通报。"
    its, linked = run(text, [("t", "每周一督办"), ("t", "每月一通报")])
    assert [i.action for i in its] == ["坚持"]
    assert {m.item_id for m in linked} == {its[0].item_id}


def test_what_a_finding_lists_after_a_colon_is_its_item():
    text = "巡察还发现一些问题:部分村集体经济薄弱,有5个村未按期公开村务;村级财务管理不规范。"
    its, linked = run(text, [("q", "5个")])
    assert [i.action for i in its] == ["发现"]
    assert linked[0].item_id == its[0].item_id


@pytest.mark.parametrize("text", [
    "要始终坚持问题导向和目标导向。",
    "坚定不移推进全面从严治党。",
    "各级党组织要切实增强“四个意识”。",
    "切实履行管党治党政治责任。",
])
def test_exhortations_are_not_items(text):
    its, _ = run(text)
    assert its == []


def test_planned_act_with_a_deadline_is_an_item():
    its, linked = run("被巡察党组织要在2个月内报送整改报告。", [("t", "2个月内")])
    assert [i.action for i in its] == ["报送"]
    assert linked[0].item_id == its[0].item_id


def test_subject_is_inherited_by_clauses_without_one():
    text = "县委高度重视,先后召开常委会会议3次,及时传达学习中央精神。"
    its, _ = run(text, [("b", "县委|某县县委"), ("q", "3次")])
    assert [i.action for i in its] == ["召开", "传达"]
    assert all(i.responsible == ["某县县委"] for i in its)


def test_object_of_dui_is_not_responsible():
    text = "市委巡察组对市水利局开展巡察。"
    its, _ = run(text, [("b", "市委巡察组|某市市委巡察组"), ("b", "市水利局|某市水利局")])
    assert its[0].responsible == ["某市市委巡察组"]


def test_body_after_ba_is_not_responsible():
    text = "市政府党组把市委巡察反馈问题整改作为重大政治任务。"
    its, _ = run(text, [("b", "市政府党组|某市政府党组:responsible"), ("b", "市委|某市委:responsible")])
    assert its[0].responsible == ["某市政府党组"]


def test_agent_after_you_is_responsible():
    text = "由县国资委对4家县属企业开展巡察。"
    its, _ = run(text, [("b", "县国资委|某县国资委")])
    assert its[0].responsible == ["某县国资委"]


def test_commas_inside_titles_do_not_split():
    its, _ = run("县委制定《关于加强巡察工作的意见,规范巡察流程》。")
    assert [(i.action, i.text) for i in its] == [("制定", "县委制定《关于加强巡察工作的意见,规范巡察流程》")]


@pytest.mark.parametrize("text, actions", [
    ("一是召开动员会议二是开展专项检查。", ["召开", "开展"]),
    ("建立、修订制度15项。", ["建立"]),
    ("进口增长3%、出口增长5%。", ["增长", "增长"]),
    ("从纪检监察机关和组织、宣传、财政等部门,以及国有企业抽调干部。", ["抽调"]),
    ("书记指出,全年开展巡察3轮。", ["开展"]),
    ("一方面选派干部参加培训;另一方面组建巡察人才库。", ["选派", "组建"]),
    ("组织甲县、乙县等5个县与市委巡察组开展联动巡察。", ["开展"]),
])
def test_clauses_and_enumerations(text, actions):
    its, _ = run(text)
    assert [i.action for i in its] == actions


def test_task_is_the_object_phrase():
    its, _ = run("通报巡察中需要注意的18个共性问题。", [("q", "18个")])
    assert its[0].task == "18个共性问题"


def test_title_names_its_act_and_task():
    its, _ = run("某县委关于2023年巡察整改进展情况的通报", [("t", "2023年")])
    assert (its[0].action, its[0].task, its[0].rule_id) == (
        "通报", "2023年巡察整改进展情况", "item.title.guanyu")


def test_task_before_the_verb_when_only_a_complement_follows():
    its, _ = run("反馈的9个问题已全部整改到位。", [("q", "9个")])
    assert (its[0].action, its[0].task) == ("整改", "9个问题")


def test_traditional_script_reads_the_view():
    its, _ = run("對5個鄉鎮開展巡察。", [("q", "5個")])
    assert its[0].action == "开展"
    assert its[0].text == "對5個鄉鎮開展巡察"


def test_section_region_and_links():
    text = "一、强化整改\n县委对8个问题进行督办,完成整改7个。"
    heads = [Heading(start=0, end=6, text="一、强化整改", level=1)]
    regs = [RegionSpan(region="河北省", start=0, end=len(text))]
    its, linked = run(text, [("q", "8个"), ("q", "7个")], heads, regs)
    assert [i.action for i in its[-2:]] == ["督办", "完成"]
    assert all(i.section == "一、强化整改" and i.region == "河北省" for i in its)
    assert [m.item_id for m in linked] == [its[-2].item_id, its[-1].item_id]
    assert its[-1].mention_ids == [linked[1].mention_id]


HEADS = [Heading(start=s, end=s + 2, text=t, level=1) for s, t in [(3, "一、"), (9, "二、"), (9, "三、"), (20, "四、")]]
REGIONS = [RegionSpan(region=r, start=s, end=e) for r, s, e in [
    ("河北省", 5, 15), ("山西省", 12, 25), ("辽宁省", 0, 8)]]


@pytest.mark.parametrize("heads, regions", [
    (HEADS, REGIONS),  # overlapping regions (the first listed wins), two headings at one start
    (HEADS, []),
    ([], REGIONS[:1]),
    ([], []),
])
def test_places_give_each_offset_its_section_and_region(heads, regions):
    """One bisection into `places` gives what the last heading at or before an offset and
    `region_at` give, at every offset (boundaries, gaps, past every span)."""
    from bisect import bisect_right

    from pipeline.context.regions import region_at
    from pipeline.items.build import places

    bounds, pairs = places(heads, regions)
    starts = [h.start for h in heads]
    for offset in range(30):
        k = bisect_right(starts, offset) - 1
        expected = (heads[k].text if k >= 0 else None, region_at(regions, offset))
        assert pairs[bisect_right(bounds, offset) - 1] == expected, offset


def test_items_are_the_records_validation_makes():
    """Items, their cues and inherited subjects are made without validation (records.made): they
    must equal, field for field, in the same field order and JSON, what validation makes."""
    text = "一、强化整改\n县委对8个问题进行督办,完成整改7个。"
    heads = [Heading(start=0, end=6, text="一、强化整改", level=1)]
    regs = [RegionSpan(region="河北省", start=0, end=len(text))]
    its, _ = run(text, [("b", "县委|县委:responsible"), ("q", "8个"), ("q", "7个")], heads, regs)
    assert its
    for item in its:
        validated = WorkItem(**{k: getattr(item, k) for k in item.model_fields_set})
        assert list(item.__dict__.items()) == list(validated.__dict__.items())
        assert item.model_fields_set == validated.model_fields_set
        assert item.model_dump_json() == validated.model_dump_json()
        for part in item.cues + item.inherited:
            validated = type(part)(**{k: getattr(part, k) for k in part.model_fields_set})
            assert list(part.__dict__.items()) == list(validated.__dict__.items())
            assert part.model_fields_set == validated.model_fields_set
    assert any(i.cues for i in its) and any(i.inherited for i in its)


def test_straddling_mention_keeps_its_clauses_together():
    text = "新一届区委成立后,10日内即部署开展首轮巡察。"
    its, linked = run(text, [("t", "成立后,10日内")])
    assert its[0].action == "开展"
    assert its[0].start <= linked[0].start and linked[0].end <= its[0].end


@pytest.mark.parametrize("text, category, cue", [
    ("对全市45个村(社区)开展巡察。", "基层延伸/村居巡察", "村(社区)"),
    ("推行提级巡察和交叉巡察。", "交叉巡察/提级巡察", "提级巡察"),
    ("巡察组移交问题线索20件。", "成果运用", "移交"),
    ("落实巡察整改措施12项。", "整改落实", "整改"),  # a word inside a compound word
    ("推进村居巡察全覆盖。", "基层延伸/村居巡察", "村居"),
    ("一、巡察工作\n全县完成村级党组织换届。", "基层延伸/村居巡察", "村级"),  # its heading
    ("严格执行中央八项规定，接受巡察监督。", None, "规定"),  # an except phrase
    ("巡察组走访农村居民收集意见。", None, "村居"),  # inside a word
    ("推动社区卫生服务全覆盖。", None, "全覆盖"),  # no inspection context
])
def test_practice_categories(text, category, cue):
    nt = normalize(text)
    heads = [Heading(start=0, end=text.index("\n"), text=text[:text.index("\n")], level=1)] \
        if "\n" in text else []
    cats, cues = practices.Cues.of_context(Context.of(nt, headings=tuple(heads))).of(0, len(text))
    if category is None:
        assert cue not in [c.cue for c in cues]
    else:
        assert category in cats
        found = [c for c in cues if c.category == category][0]
        assert found.cue == cue and text[found.start:found.end] == cue


# ------------------------------------------------------------ invariants over real documents

def _corpus_docs():
    from pipeline.run.batch import iter_documents
    from tests.conftest import CORPORA

    if not CORPORA.is_dir():
        pytest.skip("no bundled corpora/")
    return [d for d in iter_documents([CORPORA]) if not isinstance(d, Exception)]


def test_bundled_corpus_items_hold_their_mentions():
    from pipeline.reading.files import read_file

    docs = _corpus_docs()
    assert docs
    for doc in docs:
        text = read_file(doc.path).text
        spans = {it.item_id: it for it in doc.items}
        for it in doc.items:
            assert text[it.start:it.end] == it.text, (doc.path, it.item_id)
            assert it.doc_id == doc.doc_id and it.action
        for m in doc.mentions:
            if m.item_id:
                it = spans[m.item_id]
                assert it.start <= m.start and m.end <= it.end, (doc.path, m.mention_id)
                assert m.mention_id in it.mention_ids
        listed = [mid for it in doc.items for mid in it.mention_ids]
        assert len(listed) == len(set(listed)), doc.path


@pytest.mark.parametrize("batch", [1, 2, 64])
def test_records_same_whatever_the_batch(monkeypatch, batch):
    """`Items.extract` finds the groups of a few sentences before their records: the items, the
    subjects carried within a sentence and the mentions' links are those of one at a time."""
    import pipeline.items.build as build
    text = "市委巡察组对5个乡镇开展了巡察。区委召开会议4次,听取3个巡察组汇报。全县12个乡镇已完成整改。"
    specs = [("q", "5个"), ("b", "区委|区委:responsible"), ("q", "4次"), ("q", "3个"),
             ("q", "12个")]
    monkeypatch.setattr(build, "BATCH", 1)
    one = run(text, specs)
    monkeypatch.setattr(build, "BATCH", batch)
    assert run(text, specs) == one and len(one[0]) == 4
