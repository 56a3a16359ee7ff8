"""Quantities on sentences composed for these tests (spec §2), the rule file's own examples,
and properties that must hold for any input."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.context.document import Context
from pipeline.extractors.base import OVERLAP
from pipeline.extractors import quantities
from pipeline.extractors.quantities import Quantities

Q = Quantities()


def found(text: str) -> list[dict]:
    """The quantities of a text as plain dicts, offsets checked against the original."""
    out = []
    for q in Q.extract(Context.of(text)):
        assert text[q.start:q.end] == q.text
        out.append(q.model_dump(include={"text", "value", "value_max", "approx", "unit",
                                         "counted", "ordinal", "direction", "rule_id"}))
    return out


def one(text: str, span: str) -> dict:
    hits = [q for q in found(text) if q["text"] == span]
    assert hits, f"{span!r} not found in {found(text)}"
    return hits[0]


def check(q: dict, expected: dict) -> None:
    for key, want in expected.items():
        if key in ("value", "value_max") and want is not None:
            assert q[key] == pytest.approx(want, rel=1e-6), (key, q)
        elif key == "counted" and want is not None:
            assert q["counted"] and (want in q["counted"] or q["counted"] in want), (key, q)
        else:
            assert q[key] == want, (key, q)


# ---------------------------------------------------------------- values, units, approximation

@pytest.mark.parametrize("text, span, expected", [
    ("全区共有15个乡镇。", "15个", dict(value=15, unit="个", counted="乡镇")),
    ("抽调二十三名业务骨干。", "二十三名", dict(value=23, unit="名", counted="业务骨干")),
    ("组建两个督导组。", "两个", dict(value=2, unit="个", counted="督导组")),
    ("参训人员达一千二百人次。", "一千二百人次", dict(value=1200, unit="人次")),
    ("受理信访举报1,250件。", "1,250件", dict(value=1250, unit="件", counted="信访举报")),
    ("受理信访举报１２５件。", "１２５件", dict(value=125, unit="件")),
    ("全省1.8万余名党员参加。", "1.8万余名", dict(value=18000, approx="more", unit="名")),
    ("发现问题3千余个。", "3千余个", dict(value=3000, approx="more", unit="个", counted="问题")),
    ("约谈企业负责人近百人。", "近百人", dict(value=100, approx="less", unit="人")),
    ("开展宣讲活动近万场。", "近万场", dict(value=10000, approx="less", unit="场")),
    ("现场观众上万名。", "上万名", dict(value=10000, approx="more", unit="名")),
    ("带动投资超万亿元。", "超万亿元", dict(value=1, approx="more", unit="万亿元")),
    ("清理文件约40份。", "约40份", dict(value=40, approx="about", unit="份", counted="文件")),
    ("惠及群众超过5000户。", "超过5000户", dict(value=5000, approx="more", unit="户")),
    ("问责党员干部不到20人。", "不到20人", dict(value=20, approx="less", unit="人", counted="党员干部")),
    ("开展培训50场左右。", "50场左右", dict(value=50, approx="about", unit="场", counted="培训")),
    ("走访群众300人以上。", "300人以上", dict(value=300, approx="more", unit="人", counted="群众")),
    ("每村确定3-5项重点工作。", "3-5项", dict(value=3, value_max=5, unit="项", counted="重点工作")),
    ("每个巡察组配备三到五名干部。", "三到五名", dict(value=3, value_max=5, unit="名", counted="干部")),
    ("每次抽调七八名干部。", "七八名", dict(value=7, value_max=8, unit="名", counted="干部")),
    ("整改期限延长二三十天。", "二三十天", dict(value=20, value_max=30, unit="天")),
    ("覆盖二十几个村。", "二十几个", dict(value=21, value_max=29, unit="个", counted="村")),
    ("帮扶资金3-5万元。", "3-5万元", dict(value=3, value_max=5, unit="万元")),
    ("涉及人员2万至3万人。", "2万至3万人", dict(value=20000, value_max=30000, unit="人")),
    # approximation markers of a floor or a ceiling
    ("每年开展集中培训不少于三次。", "不少于三次", dict(value=3, approx="more", unit="次", counted="集中培训")),
    ("单次采购金额不超过50万元。", "不超过50万元", dict(value=50, approx="less", unit="万元")),
    ("每个站点配备至少2名专职人员。", "至少2名", dict(value=2, approx="more", unit="名", counted="专职人员")),
    ("建立不低于60人的专家库。", "不低于60人", dict(value=60, approx="more", unit="人")),
    # 个工作日 counts working days with 个
    ("遇节假日顺延1至3个工作日。", "1至3个", dict(value=1, value_max=3, unit="个", counted="工作日")),
    # durations with the marker inside the unit
    ("排查工作持续了两个多月。", "两个多月", dict(value=2, approx="more", unit="个月")),
    ("一个多月后全部整改。", "一个多月", dict(value=1, approx="more", unit="个月")),
    # 一 after its noun, ending the phrase, counts
    ("年内开展常规巡察三轮、专项巡察一轮。", "一轮", dict(value=1, unit="轮", counted="专项巡察")),
    ("出口额比上年增长一倍。", "一倍", dict(value=1, unit="倍")),
])
def test_counts(text, span, expected):
    check(one(text, span), expected)


@pytest.mark.parametrize("text, span", [
    ("附近3个村同步整治。", "3个"),      # 附近 is a word, not 近 before a number
    ("节约经费30万元。", "30万元"),      # 节约 saves, 约 does not approximate
    ("最近两次会议均未召开。", "两次"),
])
def test_marker_inside_a_word_is_no_approximation(text, span):
    check(one(text, span), dict(approx=None))


@pytest.mark.parametrize("text, span, expected", [
    ("追缴违规资金2350万余元。", "2350万余元", dict(value=2350, unit="万元", approx="more", counted="违规资金")),
    ("下达专项资金十二亿元。", "十二亿元", dict(value=12, unit="亿元", counted="专项资金")),
    ("挽回经济损失86.5万元。", "86.5万元", dict(value=86.5, unit="万元", counted="经济损失")),
    ("人均补助三千元。", "三千元", dict(value=3000, unit="元")),
    ("引进外资12亿美元。", "12亿美元", dict(value=12, unit="亿美元")),
    # the scale written right before 元 is the unit's, larger parts converted into it
    ("全年财政收入四十六亿三千万元。", "四十六亿三千万元", dict(value=463000, unit="万元")),
    ("安排配套资金2.3亿元人民币。", "2.3亿元人民币", dict(value=2.3, unit="亿元")),
    ("惠及五万万群众。", "五万万", None),
    ("新建道路120公里。", "120公里", dict(value=120, unit="公里", counted="道路")),
    ("治理水土流失面积1.2万平方公里。", "1.2万平方公里", dict(value=12000, unit="平方公里")),
    ("粮食产量达到6.5亿吨。", "6.5亿吨", dict(value=6.5e8, unit="吨", counted="粮食产量")),
    ("小麦总产量保持在45亿斤以上。", "45亿斤以上", dict(value=4.5e9, unit="斤", approx="more", counted="小麦总产量")),
    # money keeps only 万/亿 in its unit; 千 and 百 before them belong to the number
    ("涉及金额5千余万元。", "5千余万元", dict(value=5000, unit="万元", approx="more", counted="金额")),
    ("追回资金3千万元。", "3千万元", dict(value=3000, unit="万元")),
    ("补贴六百万元。", "六百万元", dict(value=600, unit="万元")),
])
def test_money_and_measures(text, span, expected):
    if expected is None:  # no classifier, no quantity; the numeral alone still parses
        assert not [q for q in found(text) if q["text"] == span]
        return
    check(one(text, span), expected)


@pytest.mark.parametrize("text, span, expected", [
    ("全县巡察整改率达到98.5%。", "98.5%", dict(value=98.5, unit="%", counted="整改率")),
    ("地区生产总值比上年增长6.2%。", "6.2%", dict(value=6.2, unit="%", counted="地区生产总值")),
    ("农村人口占总人口的38%。", "38%", dict(value=38, unit="%", counted="农村人口")),
    ("85%的问题已整改到位。", "85%", dict(value=85, unit="%", counted="问题")),
    ("失业率下降0.4个百分点。", "0.4个百分点", dict(value=0.4, unit="个百分点", counted="失业率")),
    ("参保率为百分之九十五。", "百分之九十五", dict(value=95, unit="%")),
    ("增幅在3%-5%之间。", "3%-5%", dict(value=3, value_max=5, unit="%")),
    ("超过三分之二的村已完成。", "超过三分之二", dict(value=0.6667, unit="fraction", approx="more")),
    ("百分之百的行政村通了客车。", "百分之百", dict(value=100, unit="%")),
    ("近1/3的网点完成改造。", "近1/3", dict(value=0.3333, unit="fraction", approx="less")),
    # tenths in per cent, as a rate beside them is (issue 17)
    ("九成以上的群众表示满意。", "九成以上", dict(value=90, unit="%", approx="more", counted="群众")),
    ("约七八成的信访件来自农村。", "约七八成", dict(value=70, value_max=80, unit="%", approx="about")),
])
def test_percentages_and_fractions(text, span, expected):
    check(one(text, span), expected)


def test_one_figure_with_a_sign_or_a_marker_before_it_is_read_apart():
    """`read` keeps readings by the values of a figure's groups: the sign or the marker the
    matching adds to them still tells the three figures apart."""
    qs = {q["text"]: q for q in found("增速为负3.9%,约3.9%的企业,3.9%的村。")}
    assert [(qs[t]["value"], qs[t]["approx"]) for t in ("负3.9%", "约3.9%", "3.9%")] == [
        (-3.9, None), (3.9, "about"), (3.9, None)]


@pytest.mark.parametrize("text, expected", [
    # counted noun after the classifier, across enumerations
    ("明确6个方面30项整改任务。", [("6个", "方面"), ("30项", "整改任务")]),
    ("排查出3个方面、15项问题。", [("3个", "方面"), ("15项", "问题")]),
    ("巡察了25家市属企业、86家县属企业。", [("25家", "市属企业"), ("86家", "县属企业")]),
    # counted noun before a postposed number
    ("新增行政编制21个、工作人员35人。", [("21个", "行政编制"), ("35人", "工作人员")]),
    ("修订完善制度规定42项。", [("42项", "制度规定")]),
    # no noun of its own: the previous count in the sentence
    ("共发现问题86个,已整改79个。", [("86个", "问题"), ("79个", "问题")]),
    ("受理问题线索40件,已办结31件。", [("40件", "问题线索"), ("31件", "问题线索")]),
    # the head noun after a 的 phrase
    ("形成12条具体的整改措施。", [("12条", "整改措施")]),
    ("8个被巡察的单位中", [("8个", "单位")]),
    # a verb before the number is a predicate, not the counted thing
    ("反馈的2个方面9个问题,已完成整改7个,正在推进2个。",
     [("9个", "问题"), ("7个", "问题"), ("2个", "问题")]),
    ("受理来信来访64件,办结60件,办结率93.8%。", [("64件", "来信来访"), ("93.8%", "办结率")]),
    ("梳理问题25个,已销号21个,销号率84%,其余4个正在推进。",
     [("21个", "问题"), ("4个", "问题")]),
    ("县委第四巡察组进驻县医保局。", [("第四", "巡察组")]),
    ("召开专题会议5次,约谈12人次。", [("5次", "专题会议")]),
    # rates and growth: the subject before the verb
    ("全县高技术产业产值年均增长7.3%。", [("7.3%", "高技术产业产值")]),
    ("基本养老金由每人每月150元提高到180元。", [("150元", "基本养老金"), ("180元", "基本养老金")]),
    ("城镇新增就业要稳定在60万人以上。", [("60万人以上", "就业")]),
    # one-character heads that jieba tags as classifiers
    ("新建公共充电桩1.2万个。", [("1.2万个", "充电桩")]),
    # an enumeration that opens without a noun counts what its last member counts
    ("制定整改方案,明确4大类、7个方面、39项整改事项。",
     [("4大类", "整改事项"), ("7个", "方面"), ("39项", "整改事项")]),
    ("梳理出3大类、11个大项、46个具体问题。", [("3大类", "具体问题"), ("11个", "大项")]),
    ("两个县分别开展4轮、6轮常规巡察。", [("4轮", "巡察"), ("6轮", "常规巡察")]),
    ("年内办好十大类52项民生实事。", [("十大类", "民生实事")]),
    # 分别: the nouns listed before it go one by one to the counts after it, when alike
    ("全县进口和出口年均分别增长6.1%、8.4%。", [("6.1%", "进口"), ("8.4%", "出口")]),
    ("地方税收和非税收入分别完成18.2亿元、7.9亿元。", [("18.2亿元", "地方税收"), ("7.9亿元", "非税收入")]),
    ("城镇、农村居民人均收入分别增长4.6%和6.9%。", [("4.6%", "人均收入"), ("6.9%", "人均收入")]),
    ("市、县两级分别组建巡察组6个、28个。", [("6个", "巡察组"), ("28个", "巡察组")]),
    ("共1.2万余人参加。会议明确5个方面30项任务。", [("1.2万余人", "人员")]),
    # a clause before 的 describes the head after it; a noun before 的 is counted itself
    ("约谈了2个整改不力的乡镇。", [("2个", "乡镇")]),
    ("对五六个进度缓慢的项目挂牌督办。", [("五六个", "项目")]),
    ("梳理出5个方面的问题。", [("5个", "方面")]),
    # quote marks and asides in brackets are kept as written
    ("巡察组进驻十二个村（社区）开展巡察。", [("十二个", "村（社区）")]),
    ("走访了解乡镇（街道）27个。", [("27个", "乡镇（街道）")]),
    ("组织开展3轮巡察“回头看”。", [("3轮", "巡察“回头看”")]),
    ("全年建成6个“美丽乡村”示范点。", [("6个", "“美丽乡村”示范点")]),
    # the subject of an adverb and a predicate
    ("上年遗留的问题已整改37个。", [("37个", "问题")]),
    ("已完成整改任务28项,其余4项按计划推进。", [("4项", "整改任务")]),
    # comparisons, bases and adverbs between the noun and its number
    ("整改完成率由上年的81.2%提高到95.6%。", [("81.2%", "整改完成率"), ("95.6%", "整改完成率")]),
    ("全县税收收入由2021年的12.3亿元增加到15.8亿元。",
     [("12.3亿元", "税收收入"), ("15.8亿元", "税收收入")]),
    ("群众满意率达98%,较去年同期提高3.1个百分点。", [("3.1个百分点", "满意率")]),
    ("专职巡察干部仅有17名。", [("17名", "专职巡察干部")]),
    ("全省网格员已达3.6万余人。", [("3.6万余人", "网格员")]),
    ("完成年度培训任务的百分之九十。", [("百分之九十", "培训任务")]),
    ("外出务工人员中有近四分之一返乡创业。", [("近四分之一", "外出务工人员")]),
    ("地方一般公共预算收入完成92.4亿元。", [("92.4亿元", "一般公共预算收入")]),
    # a scale of size or a quantity word between the classifier and the noun
    ("打造2个千亿级产业集群。", [("2个", "产业集群")]),
    ("清理9处大宗建筑垃圾堆点。", [("9处", "建筑垃圾堆点")]),
    ("城乡居民医保参保率均保持在95%以上。", [("95%以上", "参保率")]),
    # a verb right after the classifier is the predicate of the people counted
    ("全县有3人入选省级人才计划。", [("3人", "人员")]),
    # an act before a count stands for whom it reached or what it produced
    ("县纪委立案14件,给予党纪处分9人。", [("14件", "案件"), ("9人", "处分人员")]),
    ("推动相关单位建章立制23项。", [("23项", "制度")]),
    # a verb between a noun and the number is a predicate: what it acts on is counted
    ("共发现问题320个,督促整改301个。", [("301个", "问题")]),
    ("各级纪委处置问题线索2400余件。", [("2400余件", "问题线索")]),
])


def test_counted_nouns(text, expected):
    got = {q["text"]: q for q in found(text)}
    for span, counted in expected:
        check(got[span], dict(counted=counted))


@pytest.mark.parametrize("text, span, counted", [
    ("县乡干部、驻村队员合计3200余人参加会议。", "3200余人", "参会人员"),
    ("县处级领导干部120人参加培训。", "120人", "县处级领导干部"),   # no list, no meeting
])
def test_people_counted_by_the_meeting_they_attend(text, span, counted):
    check(one(text, span), dict(counted=counted))


@pytest.mark.xfail(strict=True, reason="the noun of a repeated verb stands in an earlier clause")
def test_counted_noun_of_a_repeated_verb():
    check(one("巡察办每周印发一期工作通报,全年计划印发50期。", "50期"), dict(counted="工作通报"))


# ---------------------------------------------------------------- ordinals

@pytest.mark.parametrize("text, span, value, unit", [
    ("市委第五轮巡察", "第五轮", 5, "轮"),
    ("第二批主题教育", "第二批", 2, "批"),
    ("第3次会议", "第3次", 3, "次"),
    ("首批试点单位", "首批", 1, "批"),
    ("十四届省委第一轮巡视", "十四届", 14, "届"),
    ("党的二十大胜利召开", "二十大", 20, None),
    ("学习贯彻十九届六中全会精神", "六中全会", 6, None),
])
def test_ordinals(text, span, value, unit):
    check(one(text, span), dict(value=value, unit=unit, ordinal=True))


def test_ordinal_hides_the_cardinal_inside_it():
    assert [q["text"] for q in found("第六轮巡察")] == ["第六轮"]


# ---------------------------------------------------------------- not quantities

@pytest.mark.parametrize("text", [
    "牢固树立“四个意识”,坚定“四个自信”,做到“两个维护”。",
    "坚决落实中央八项规定精神要求。",
    "奋力开创十四五发展新局面。",
    "认真落实“三个到位”。",
    "一是强化政治监督;二是压实整改责任。",
    "一方面加强学习,另一方面强化培训。",
    "全省上下一盘棋,一把手负总责。",
    "第一时间传达学习。",
    "按照市委统一部署。",
    "印发《关于做好三项重点工作的通知》。",
    "2022年9月5日至11月3日开展巡察。",
    "发现了一批问题,建立一套机制,解决一个个难题。",
    "和群众想在一起、干在一起。",
    "开工一批、投产一批。",
    "推动工作在千家万户落地。",
    "购置三轮车两辆。",   # 两辆 is a count, 三轮 is a vehicle
    "工作方法一成不变。",
    "文件编号为2023/15号。",
    "请于5/12前报送。",
])
def test_not_quantities(text):
    got = [q for q in found(text) if not q["ordinal"]]
    if "两辆" in text:
        assert [q["text"] for q in got] == ["两辆"]
    else:
        assert got == []


def test_dropped_candidates_name_their_filter():
    text = "坚持“三个到位”,按照统一部署"
    dropped = {text[r.candidate.start:r.candidate.end]: r.dropped_by
               for r in Q.explain(Context.of(text)) if r.dropped_by != OVERLAP}
    assert dropped == {"三个": "quantity.filter.quoted_formula", "一部": "quantity.filter.inside_word"}


def test_overlapping_candidates_name_the_rival():
    rows = Q.explain(Context.of("第六轮巡察"))
    lost = [r for r in rows if r.dropped_by == OVERLAP]
    assert lost and all(r.candidate.rival.rule_id == "quantity.ordinal.di" for r in lost)
    assert "overlaps quantity.ordinal.di" in lost[0].status


# ---------------------------------------------------------------- traditional script

@pytest.mark.parametrize("simplified, traditional", [
    ("明确8个方面35项重点任务", "明確8個方面35項重點任務"),
    ("共1.3万余人参加", "共1.3萬余人參加"),
    ("两轮巡察", "兩輪巡察"),
    ("第六轮巡视", "第六輪巡視"),
])
def test_traditional_gives_the_same_values(simplified, traditional):
    strip = lambda qs: [{k: v for k, v in q.items() if k != "text"} for q in qs]
    assert strip(found(traditional)) == strip(found(simplified))


# ---------------------------------------------------------------- properties

ALPHABET = st.sampled_from(list(
    "0123456789１２.,，、%％一二两三四五六七八九十百千万亿廿几零〇第首余多近约"
    "个项名人家条轮次件批类元萬億兩個項輪以上左右至到-—“”《》()（）的和等共已分之百分点届大"
    "巡视察问题整改干部企业县区市地省份方面平方公里万元亿元 \n。;"))


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_never_raises_and_spans_match(text):
    for q in Q.extract(Context.of(text)):
        assert text[q.start:q.end] == q.text
        assert 0 <= q.start < q.end <= len(text)
        assert q.value_max is None or q.value_max >= 0


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_any_text(text):
    for q in Q.extract(Context.of(text)):
        assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("sep", ["\u200b", "\u00a0", "\u00ad", "\u200d", "\ufeff"])
def test_an_invisible_character_between_number_and_classifier(sep):
    """Zero-width spaces, NBSP and soft hyphens from web pages and Word: the quantity is found,
    and its span and text stay on the original."""
    text = f"市委增加编制30{sep}个，新设处室5{sep}个。"
    got = [(q.text, q.start, q.value, q.unit) for q in Q.extract(Context.of(text))]
    assert got == [(f"30{sep}个", 6, 30.0, "个"), (f"5{sep}个", text.index("5"), 5.0, "个")]


# ---------------------------------------------------------------- issue 17: more classifiers,
# measures, money and shares than the tables

@pytest.mark.parametrize("text, span, expected", [
    ("养殖场新购三头牛。", "三头", dict(value=3, unit="头", counted="牛")),
    ("马场新添了八匹马。", "八匹", dict(value=8, unit="匹")),
    ("沿河新栽五棵树。", "五棵", dict(value=5, unit="棵")),
    ("向农户发放二十颗种子。", "二十颗", dict(value=20, unit="颗")),
    ("订购20箱矿泉水。", "20箱", dict(value=20, unit="箱", counted="矿泉水")),
    ("发放300袋大米。", "300袋", dict(value=300, unit="袋")),
    ("村里修建了3口水井。", "3口", dict(value=3, unit="口", counted="水井")),
    ("义务植树8000株以上。", "8000株以上", dict(value=8000, unit="株", approx="more")),
    ("每户发放4瓶消毒液。", "4瓶", dict(value=4, unit="瓶", counted="消毒液")),
    ("路口新装12盏路灯。", "12盏", dict(value=12, unit="盏", counted="路灯")),
    ("新建3层办公楼。", "3层", dict(value=3, unit="层")),
])
def test_more_classifiers(text, span, expected):
    check(one(text, span), expected)


@pytest.mark.parametrize("text, span, expected", [
    ("夜间气温降到零下5摄氏度。", "零下5摄氏度", dict(value=-5, unit="摄氏度")),
    ("最低气温-3℃。", "-3℃", dict(value=-3, unit="℃")),
    ("孩子今年三岁半。", "三岁半", dict(value=3.5, unit="岁")),
    ("每袋净重500克。", "500克", dict(value=500, unit="克")),
    ("每株间距35厘米。", "35厘米", dict(value=35, unit="厘米")),
    ("降水量为12毫米。", "12毫米", dict(value=12, unit="毫米")),
    ("船只驶出20海里。", "20海里", dict(value=20, unit="海里")),
    ("每支注射60毫升。", "60毫升", dict(value=60, unit="毫升")),
    ("新增装机容量120兆瓦。", "120兆瓦", dict(value=120, unit="兆瓦")),
    ("新建光伏电站5千瓦至8千瓦不等。", "5千瓦至8千瓦", dict(value=5, value_max=8, unit="千瓦")),
])
def test_more_measures(text, span, expected):
    check(one(text, span), expected)


@pytest.mark.parametrize("text, span, expected", [
    ("每人补贴五十元至一百元。", "五十元至一百元", dict(value=50, value_max=100, unit="元")),
    ("合计壹万贰仟圆整。", "壹万贰仟圆整", dict(value=12000, unit="元")),
    ("发放奖金十几万元。", "十几万元", dict(value=11, value_max=19, unit="万元")),
    ("收到捐款伍佰元。", "伍佰元", dict(value=500, unit="元")),
    ("罚款人民币壹仟元。", "人民币壹仟元", dict(value=1000, unit="元")),
    ("一斤青菜三块五。", "三块五", dict(value=3.5, unit="元")),
    ("吸引外资2.3亿美元。", "2.3亿美元", dict(value=2.3, unit="亿美元")),
    ("企业营收达1.2万亿日元。", "1.2万亿日元", dict(value=1.2, unit="万亿日元")),
    ("门票售价100欧元。", "100欧元", dict(value=100, unit="欧元")),
    ("捐赠5000英镑。", "5000英镑", dict(value=5000, unit="英镑")),
    ("一个鸡蛋卖五毛钱。", "五毛钱", dict(value=0.5, unit="元")),
    ("项目总投资3亿5000万元。", "3亿5000万元", dict(value=35000, unit="万元")),
])
def test_more_money(text, span, expected):
    check(one(text, span), expected)


@pytest.mark.parametrize("text, span, expected", [
    ("利润率在百分之十到百分之二十之间。", "百分之十到百分之二十", dict(value=10, value_max=20, unit="%")),
    ("产品合格率为九成五。", "九成五", dict(value=95, unit="%")),
    ("商品一律七点五折。", "七点五折", dict(value=75, unit="%")),
    ("运营成本下降了一成。", "一成", dict(value=10, unit="%", direction="down")),
    ("近两成的村集体收入偏低。", "近两成", dict(value=20, unit="%", approx="less")),
    ("增速比上年回落0.3个百分点。", "0.3个百分点", dict(value=0.3, unit="个百分点", direction="down")),
    ("居民收入增长了6.2%。", "6.2%", dict(value=6.2, unit="%", direction="up")),
    ("投诉量同比减少三分之一。", "三分之一", dict(value=0.3333, unit="fraction", direction="down")),
    ("非税收入占比提高到25%。", "25%", dict(value=25, unit="%", direction=None)),
    ("参会人数比上年少12人。", "12人", dict(value=12, unit="人", direction="down")),
    ("增速为负1.2%。", "负1.2%", dict(value=-1.2, unit="%", direction=None)),
])
def test_more_shares_and_directions(text, span, expected):
    check(one(text, span), expected)


@pytest.mark.parametrize("text", ["工作要一成不变地坚持。", "补贴被七折八扣。", "改革进程一波三折。",
                                  "按市场价折合人民币。", "多一些耐心。", "抓好“两头”。"])
def test_no_share_or_count_in_these_words(text):
    assert not [q for q in found(text) if q["unit"] in ("%", "头")], found(text)



def _every_rule_everywhere(text: str) -> list[tuple]:
    """The candidates as they are when every numeral rule is tried at every numeral."""
    sieve, every = Q.r.sieve, tuple(t for t, _ in Q.r.sieve.tries)
    kept, sieve.by_follower = sieve.by_follower, defaultdict(lambda: every)
    try:
        return [(c.start, c.end, c.rule_id, c.groups) for c in Q.candidates(text)]
    finally:
        sieve.by_follower = kept


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(ALPHABET, st.sampled_from(list("‰/~之成折期全会角毛钱块周年亩户米第届委大、厂场"))),
               max_size=60))
def test_the_sieve_leaves_out_no_match(text):
    """The sieve tries only the rules the character after a numeral leaves possible; every
    candidate of every rule must still be found."""
    kept = [(c.start, c.end, c.rule_id, c.groups) for c in Q.candidates(text)]
    assert kept == _every_rule_everywhere(text)


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_a_numeral_in_digits_is_dropped_as_every_filter_drops_it(text):
    """`digit_filters` leave out only filters that never drop a numeral written in digits."""
    for c in Q.candidates(text):
        num = c.groups.get("num") or ""
        if num[:1].isdigit():
            every = next((fid for test, fid in Q.filters if test(c, text, num)), None)
            assert every == next((fid for test, fid in Q.digit_filters if test(c, text, num)), None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["“", "”", "「", "」", '"', "'", "3个", "12项", "5%", "一个", "1,200元",
                                 "A", "b", "、", ",", "。", "方面", "一方面", "工作", "统一"]),
                max_size=20).map("".join))
def test_drop_reason_is_the_first_filter_that_drops(text):
    """`drop_reason` keeps a numeral in digits it screened without asking the filters: the first
    filter that drops a candidate is still the one it names."""
    mask = bytearray(len(text))
    for c in Q.candidates(text):
        num = c.groups.get("num") or ""
        every = next((fid for test, fid in Q.filters if test(c, text, num)), None)
        assert Q.drop_reason(c, text, mask) == every


def _openings_as_windows_read(text: str) -> None:
    de = Q.spec.counted.attributive
    for c in Q.candidates(text):
        r = Q.read(c)
        if r is not None and r.kind in quantities.RATIO_KINDS:
            window, cut_short = Q.nouns.window_after(text, c.end)
            expected = (window, cut_short, False) if window.startswith(de) else None
            assert Q._opening(text, c, r) == expected


@pytest.mark.parametrize("text", ["占总数5%的单位", "增长5%“的”单位", '三成"的', "5%", "5%,", "三成(社区)的",
                                  "二分之一的村"])
def test_a_ratio_reads_a_window_only_where_de_may_follow(text):
    """`_opening` tells from the character after a ratio that 的 does not follow it, as its
    window would."""
    _openings_as_windows_read(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["5%", "三成", "二分之一", "的", "“", "”", '"', "(", "社区", ")", "个",
                                 "单位", ",", "。", "增长"]), max_size=12).map("".join))
def test_a_ratio_s_opening_is_its_window_s(text):
    _openings_as_windows_read(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(ALPHABET, st.sampled_from(list(",.点个%"))), max_size=40))
def test_a_run_s_numeral_runs_on_over_separators_and_points(text):
    """The `numeral` group of a run ends where its numeral does: the numeral characters,
    separators and decimal points after the run, as many as stand there."""
    numeral = re.compile(f"{quantities.NUMERAL_CHAR}*")
    for run in Q.r.runs.finditer(text):
        assert run.end("numeral") == numeral.match(text, run.end()).end()


@pytest.mark.parametrize("text, tried, left_out", [
    ("增长了百分之十二点五。", "quantity.percent.words", "quantity.money"),
    ("共有3个单位。", "quantity.count.classifier", "quantity.money"),
    ("第六轮巡察", "quantity.ordinal.di", "quantity.count.place"),
    ("县委三次全会", "quantity.ordinal.meeting", "quantity.ordinal.facility_phase"),
    ("污水处理厂四期", "quantity.ordinal.facility_phase", "quantity.ordinal.meeting"),
    ("县委三个部门", "quantity.count.classifier", "quantity.ordinal.meeting"),
])
def test_the_sieve_tries_the_rules_a_numeral_may_start(text, tried, left_out):
    run = next(m for m in Q.r.runs.finditer(text))
    after = run.end("numeral")
    ids = {rule.id for _, _, rule, *_ in Q.r.sieve.by_follower[text[after] if after < len(text) else None]}
    assert tried in ids and left_out not in ids


def _validated(record):
    """The record pydantic makes of the fields `record` was given."""
    return type(record)(**{k: getattr(record, k) for k in record.model_fields_set})


@pytest.mark.parametrize("text", [
    "全年新增就业1.2万人,下降3.9%,约30个,近五成,第二批,两三个村,五元三毛,负2.1%。",
    "发现问题40个,已整改35个;3大类、9个方面、52项整改任务;七五折;“最多跑一次”20项。",
])
def test_mentions_are_the_records_validation_makes(text):
    """Quantities are made without validation (`Typed`): the same fields, values, types,
    order and set fields as validation gives, for composed text and every rule example."""
    texts = [text, *{ex.text for _, ex in Q.examples()}]
    for t in texts:
        for q in Q.extract(Context.of(t)):
            ref = _validated(q)
            assert list(q.__dict__.items()) == list(ref.__dict__.items()), t
            assert list(map(type, q.__dict__.values())) == list(map(type, ref.__dict__.values())), t
            assert q.model_fields_set == ref.model_fields_set


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("、和及以与或a", max_size=2), max_size=6), st.text("、和及以与或ab", max_size=4))
def test_the_joiner_table_gives_the_first_joiner_that_ends_a_text(joiners, text):
    """`_by_end` finds, by the text's last character, the joiner the rules' order tries first."""
    table, anywhere = quantities._by_end(joiners)
    first = next((j for j in joiners if text.endswith(j)), None)
    assert next((j for j in table.get(text[-1:], anywhere) if text.endswith(j)), None) == first


@pytest.mark.parametrize("text, counted", [
    ("完成3大类、9个方面、52项整改任务。", ["整改任务", "方面", "整改任务"]),
    ("出口和进口分别增长5%、3%。", ["出口", "进口"]),
    ("进口和出口分别增长5%、第二批、3%。", ["出口", "出口", "出口"]),  # an ordinal between: no pair
])
def test_enumerations_read_from_the_links_of_neighbours(text, counted):
    """The enumeration steps read whether neighbours are joined from one list of links, and
    counts with an ordinal between them (not neighbours) by reading the pair again."""
    assert [q["counted"] for q in found(text)] == counted


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("、和及以与或a", max_size=2), max_size=6), st.text("、和及以与或ab", max_size=4))
def test_a_lone_joiner_is_the_whole_text_the_first_joiner_ends(joiners, text):
    """`_lone`: a text is a joiner alone when the first joiner (the rules' order) that ends it
    leaves nothing before it."""
    first = next((j for j in joiners if text.endswith(j)), None)
    assert (text in quantities._lone(joiners)) == (first is not None and first == text)


@pytest.mark.parametrize("pattern, inside, yes, no", [
    (r"[0-9]+个", False, "个0", "项"),
    (r"[0-9]+(?:项|[a-z])", False, "项q", "个"),
    (r"[0-9]+[^个0-9]", False, "项", "个"),
    (r"[0-9]+[\u4e00-\u9fff]", False, "个项", "a"),
    (r"[0-9]+", True, "个项", ""),
])
def test_a_rule_may_consume_what_its_pattern_names(pattern, inside, yes, no):
    """`_Reach.may_consume`: short ranges read as their characters, long ones and classes that
    exclude some as such."""
    numeral = frozenset("0123456789")
    reach = quantities._Reach.of(re.compile(pattern), numeral)
    assert reach.inside == inside
    assert all(reach.may_consume(ch) for ch in yes) and not any(reach.may_consume(ch) for ch in no)


def test_a_count_s_record_is_the_one_mention_makes_with_a_shared_fields_set():
    from pipeline.extractors.base import Extractor

    q = Quantities()
    ctx = Context.of("发现问题40个,已整改35个,处分7人,完成投资2.5亿元")
    found, kept = q._analyse(ctx)
    ours = [q._mention(ctx, c) for c in kept]
    theirs = [Extractor.mention(q, ctx, c, f"counted:{c.how['counted']}") for c in kept]
    assert len(ours) == 4
    assert [list(r.__dict__.items()) for r in ours] == [list(r.__dict__.items()) for r in theirs]
    assert [r.model_fields_set for r in ours] == [r.model_fields_set for r in theirs]
    assert len({id(r.model_fields_set) for r in ours}) == 1
