"""Measures (spec §5a) on sentences composed for these tests; the rule file's own examples run
in tests/test_rule_examples.py."""
from __future__ import annotations

from functools import lru_cache

import pytest

import pipeline
from pipeline.context.spans import any_in
from pipeline.errors import RuleError
from pipeline.extractors import measures as M
from pipeline.records import Quantity


def measured(text: str, span: str, nth: int = 0) -> Quantity:
    """The `nth` quantity whose text is `span`, after the whole pipeline ran on `text`."""
    doc = pipeline.extract(text, reference_date="2024-06-30")
    hits = [m for m in doc.mentions if m.kind == "quantity" and m.text == span]
    assert len(hits) > nth, f"{span!r} not found in {[m.text for m in doc.mentions]}"
    return hits[nth]


def got(q: Quantity) -> tuple:
    return q.measure, q.scope, q.status


# ---------------------------------------------------------------- every §5a measure

@pytest.mark.parametrize("text, span, expected", [
    # inspection.rounds
    ("本届区委共开展了7轮常规巡察。", "7轮", ("inspection.rounds", "total", "done")),
    ("县委分三轮对全县社区开展巡察。", "三轮", ("inspection.rounds", "total", "done")),
    # inspection.groups
    ("今年省委派出11个巡视组。", "11个", ("inspection.groups", "total", "done")),
    ("市委组建巡察组8个,对市直单位开展巡察。", "8个", ("inspection.groups", "total", "done")),
    # inspection.units
    ("市委巡察组对36个党组织开展了常规巡察。", "36个", ("inspection.units", "total", "done")),
    ("截至目前,本届县委已巡察村级党组织205个。", "205个", ("inspection.units", "total", "done")),
    ("本轮巡视进驻了9家省属企业。", "9家", ("inspection.units", "total", "done")),
    # inspection.staff
    ("区委从各部门抽调48名干部参加巡察。", "48名", ("inspection.staff", "total", "done")),
    # problems.found
    ("第二巡察组共发现问题137个。", "137个", ("problems.found", "total", "done")),
    ("巡察组向区教育局党组反馈问题26条。", "26条", ("problems.found", "total", "done")),
    # leads.transferred
    ("巡察期间移交问题线索14件。", "14件", ("leads.transferred", "total", "done")),
    # cases.filed
    ("依据巡察移交线索,纪委监委立案23件。", "23件", ("cases.filed", "total", "done")),
    # people.disciplined
    ("巡察整改中给予党纪政务处分9人。", "9人", ("people.disciplined", "total", "done")),
    ("巡察移交线索查实后组织处理5人。", "5人", ("people.disciplined", "total", "done")),
    ("巡察发现的问题中诫勉谈话3人。", "3人", ("people.disciplined", "total", "done")),
    ("巡察发现的问题线索查实后移送司法机关2人。", "2人", ("people.disciplined", "total", "done")),
    # rectification.done / ongoing / rate / measures
    ("巡察反馈问题已整改61个。", "61个", ("rectification.done", "total", "done")),
    ("巡察反馈问题已完成整改44个。", "44个", ("rectification.done", "total", "done")),
    ("巡察反馈的问题正在整改8个。", "8个", ("rectification.ongoing", "total", "done")),
    ("巡察反馈的问题持续整改4个。", "4个", ("rectification.ongoing", "total", "done")),
    ("该局巡察反馈问题整改率为95%。", "95%", ("rectification.rate", "total", "done")),
    ("巡察反馈问题的整改完成率达到100%。", "100%", ("rectification.rate", "total", "done")),
    ("针对巡察反馈意见,制定整改措施73条。", "73条", ("rectification.measures", "total", "done")),
    ("该局建立了巡察整改任务清单,共有整改任务41项。", "41项", ("rectification.measures", "total", "done")),
    # rules.issued
    ("巡察整改期间,该局修订完善制度18项。", "18项", ("rules.issued", "total", "done")),
    ("巡察整改期间新建制度5个。", "5个", ("rules.issued", "total", "done")),
    # funds.recovered
    ("通过巡察整改追回资金36.5万元。", "36.5万元", ("funds.recovered", "total", "done")),
])
def test_each_measure(text, span, expected):
    assert got(measured(text, span)) == expected


# ---------------------------------------------------------------- part and total

@pytest.mark.parametrize("text, span, nth, expected", [
    ("巡察发现问题210个,其中涉及民生领域的问题64个。", "64个", 0, ("problems.found", "part", "done")),
    ("巡察发现问题210个,其中涉及民生领域的问题64个。", "210个", 0, ("problems.found", "total", "done")),
    # a completed share is its own measure, not a part
    ("巡察发现问题210个,已整改173个。", "173个", 0, ("rectification.done", "total", "done")),
    ("巡察发现问题210个,其中已整改173个。", "173个", 0, ("rectification.done", "total", "done")),
    # the parts of a handled total, listed after 其中, keep its measure
    ("巡察移交线索后共处理党员干部52人,其中诫勉谈话11人,批评教育30人。", "30人", 0,
     ("people.disciplined", "part", "done")),
    ("本轮巡视了9个县(含2个国家级开发区)。", "2个", 0, ("inspection.units", "part", "done")),
    ("巡察共移交问题线索41件,其中涉及村干部的线索29件。", "29件", 0, ("leads.transferred", "part", "done")),
])
def test_part_and_total(text, span, nth, expected):
    assert got(measured(text, span, nth)) == expected


# ---------------------------------------------------------------- done and planned

@pytest.mark.parametrize("text, span, expected", [
    ("市委计划今年巡察42个党组织。", "42个", ("inspection.units", "total", "planned")),
    ("区委拟对18个村开展巡察。", "18个", ("inspection.units", "total", "planned")),
    ("下一步,县委将组建4个巡察组。", "4个", ("inspection.groups", "total", "planned")),
    ("年内力争对剩余的11个村完成巡察。", "11个", ("inspection.units", "part", "planned")),
    ("各被巡察单位要在两个月内完成整改措施25项。", "25项", ("rectification.measures", "total", "planned")),
    ("今年计划巡察40个党组织,目前已巡察26个党组织。", "26个", ("inspection.units", "total", "done")),
])
def test_done_and_planned(text, span, expected):
    assert got(measured(text, span)) == expected


# ---------------------------------------------------------------- no measure

@pytest.mark.parametrize("text, span", [
    # grouping levels: only the finest count of the things themselves is measured
    ("巡察组反馈了4个方面9项共22个问题。", "4个"),
    ("巡察组反馈了4个方面9项共22个问题。", "9项"),
    ("巡察反馈问题归为3大类。", "3大类"),
    # per-unit allotments
    ("按照规划,每个巡察组每轮巡察4个党组织。", "4个"),
    ("巡察时从各乡镇分别抽调1名干部。", "1名"),
    # other kinds of check
    ("今年道路巡查发现问题50多万个。", "50多万个"),
    ("省生态环境保护督察反馈问题整改完成率为89%。", "89%"),
    # counts that are no outcome
    ("整改工作领导小组由11名县领导组成,巡察整改由其牵头。", "11名"),
    ("巡察整改期间召开专题会议9次。", "9次"),
    ("巡察组收到群众来信来访140件次。", "140件次"),
    ("本县共有行政村215个,巡察工作有序推进。", "215个"),
    ("对村巡察覆盖率已达82%。", "82%"),
    # a denominator
    ("在被巡视的20家企业中,有12家存在违规问题。", "20家"),
    # slogans
    ("巡察办形成了“盯住一个重点,用好两张清单”的经验。", "两张"),
    # not an inspection document, no inspection word in the paragraph
    ("全市纪检监察机关今年立案315件,处分289人。", "315件"),
    ("全市纪检监察机关今年立案315件,处分289人。", "289人"),
])
def test_no_measure(text, span):
    q = measured(text, span)
    assert got(q) == (None, None, None)


# ---------------------------------------------------------------- context and shares

@pytest.mark.parametrize("text, span, expected", [
    # the rest of a set after a completed share is still being rectified, a total of its own
    ("巡察反馈问题已整改到位52个,其余5个正在推进。", "5个", ("rectification.ongoing", "total", "done")),
    ("巡察反馈的问题已销号27项,剩余3项列入长期整改清单。", "3项", ("rectification.ongoing", "total", "done")),
    # problems put right on the spot are rectified
    ("巡察期间督促立行立改问题14个。", "14个", ("rectification.done", "total", "done")),
    # two verbs sharing one number: the first one counts
    ("巡察组发现并推动解决突出问题61个。", "61个", ("problems.found", "total", "done")),
    # a list of inspected units that runs on after a comma
    ("市委对城关、河西两个镇,以及市水利局等9个部门开展了专项巡察。", "9个", ("inspection.units", "total", "done")),
    # a figure in a relative clause was done, whatever the sentence asks
    ("县委要求各单位对照巡察指出的17个问题逐条整改。", "17个", ("problems.found", "total", "done")),
    # leads found, then handed over later in the sentence
    ("巡察中发现问题线索6件,已全部移交区纪委监委。", "6件", ("leads.transferred", "total", "done")),
    # a target line whose cue stands on the line before
    ("三、主要预期目标\n是:地区生产总值增长5.6%左右,城镇新增就业3万人。", "5.6%左右",
     ("economy.gdp.growth", "total", "planned")),
    # a heading line with its own clause does not lead the next one
    ("(二)细化任务,确保整改到位\n巡察整改中制定整改措施83条。", "83条",
     ("rectification.measures", "total", "done")),
])
def test_context_and_shares(text, span, expected):
    assert got(measured(text, span)) == expected


def test_inspection_context_reaches_the_next_sentence_only():
    text = "区委巡察组进驻该局。该局完成整改问题12个。其他工作正常。办结群众诉求问题40个。"
    assert measured(text, "12个").measure == "rectification.done"
    assert measured(text, "40个").measure is None


def test_another_kind_of_check_blocks_outcomes_not_indicators():
    text = "全市安全生产形势平稳,巡察同步推进,全市生产总值增长4.85%,发现问题12个。"
    assert measured(text, "4.85%").measure == "economy.gdp.growth"
    q = measured(text, "12个")
    assert q.measure is None and q.measure_rule == "measures.context.other_check"


def test_ordinal_has_no_measure():
    q = measured("市委第三轮巡察发现问题40个。", "第三轮")
    assert q.ordinal and got(q) == (None, None, None)


def test_indicator_of_a_work_report():
    q = measured("本年度的主要预期目标为:全省生产总值增长6.2%左右。", "6.2%左右")
    assert got(q) == ("economy.gdp.growth", "total", "planned")


def test_decisions_name_their_rules():
    q = measured("巡察发现问题80个,其中群众身边的问题35个,计划年底前整改完毕。", "35个")
    assert q.measure_rule == "measures.problems.found.before"
    assert q.scope_rule == "measures.scope.part.breakdown"
    assert q.rule_id.startswith("quantity.")


def test_a_part_cue_opening_the_next_sentence():
    text = "本轮巡察共发现问题96个。其中,涉及财务管理的问题27个。"
    assert got(measured(text, "27个")) == ("problems.found", "part", "done")


# ---------------------------------------------------------------- periods of a work report

WORK_REPORT = (
    "2036年某省政府工作报告\n"
    "一、2035年和“十六五”时期工作回顾\n"
    "刚刚过去的2035年,全省上下迎难而上。全省生产总值增长4.7%,本省一般公共预算收入增长2.4%,全年城镇调查失业率均值5.15%,居民消费价格上涨0.6%。\n"
    "(一)民生事业稳步推进。实施百万岗位扩容计划,城镇新增就业52.3万人。\n"
    "这五年,我们办成了一批大事。城镇新增就业累计268万人,全省调查失业率始终低于5.5%。\n"
    "(二)社会保障更加有力。五年里城乡低保标准年年提高,城镇新增就业261.4万人。\n"
    "二、“十七五”时期主要目标\n"
    "到2040年,全省调查失业率控制在5.45%左右,全省生产总值年均增长4.9%左右。\n"
    "三、2036年重点工作\n"
    "本年度全省发展的主要预期目标为:生产总值增长5.2%左右;城镇新增就业50.5万人以上,全省调查失业率5.35%左右;居民消费价格涨幅2.2%左右。\n"
    "本省一般公共预算收入预计增长3.1%。\n"
    "兜牢民生底线,城镇新增就业50.5万人以上。去年城镇新增就业52.3万人,今年要稳中有增。\n"
)
"""A composed work report of 2036: last year's review, the five years of a plan, the next
plan's targets, this year's targets (one of them in a sentence of its own)."""


@lru_cache(maxsize=1)
def work_report() -> tuple[Quantity, ...]:
    doc = pipeline.extract(WORK_REPORT, reference_date="2036-02-01")
    return tuple(m for m in doc.mentions if m.kind == "quantity" and not m.ordinal)


def in_report(span: str, nth: int = 0) -> Quantity:
    return [q for q in work_report() if q.text == span][nth]


@pytest.mark.parametrize("span, nth, measure, status, rule", [
    # last year's review: done, a plan's name (扩容计划) makes no target
    ("4.7%", 0, "economy.gdp.growth", "done", "measures.period.last_year"),
    ("2.4%", 0, "economy.budget_revenue.growth", "done", "measures.period.last_year"),
    ("5.15%", 0, "economy.unemployment.rate", "done", "measures.period.last_year"),
    ("0.6%", 0, "economy.cpi.growth", "done", "measures.period.last_year"),
    ("52.3万人", 0, "economy.jobs.new", "done", "measures.period.last_year"),
    # the five years, on through a numbered subsection: no measure (累计: the jobs rule's own)
    ("268万人", 0, None, None, None),
    ("5.5%", 0, None, None, "measures.period.several_years"),
    ("261.4万人", 0, None, None, "measures.period.several_years"),
    # the next plan's targets: no measure
    ("5.45%左右", 0, None, None, "measures.period.several_years"),
    # this year's targets, in the target list, in a sentence after it, in the work plan
    ("5.2%左右", 0, "economy.gdp.growth", "planned", "measures.period.this_year"),
    ("5.35%左右", 0, "economy.unemployment.rate", "planned", "measures.period.this_year"),
    ("2.2%左右", 0, "economy.cpi.growth", "planned", "measures.period.this_year"),
    ("3.1%", 0, "economy.budget_revenue.growth", "planned", "measures.period.this_year"),
    ("50.5万人以上", 0, "economy.jobs.new", "planned", "measures.period.this_year"),
    ("50.5万人以上", 1, "economy.jobs.new", "planned", "measures.period.this_year"),
    # a cue of its own clause outweighs the section's period
    ("52.3万人", 1, "economy.jobs.new", "done", "measures.period.last_year"),
])
def test_the_period_of_a_work_report_indicator(span, nth, measure, status, rule):
    q = in_report(span, nth)
    assert (q.measure, q.status) == (measure, status)
    assert rule in (q.status_rule, q.measure_rule)


@pytest.mark.parametrize("reference_date, status, rule", [
    ("2036-02-01", "done", "measures.period.last_year"),
    ("2035-03-01", "planned", "measures.period.this_year"),
    ("2040-02-01", "done", None),  # another year: no period, and no status cue
])
def test_a_year_names_a_period_as_of_the_reference_date(reference_date, status, rule):
    doc = pipeline.extract("2035年,全省城镇新增就业52.3万人。", reference_date=reference_date)
    q = next(m for m in doc.mentions if m.text == "52.3万人")
    assert (q.measure, q.status, q.status_rule) == ("economy.jobs.new", status, rule)


def test_a_numbered_heading_without_a_period_ends_the_one_before():
    text = "一、2035年工作回顾\n城镇新增就业52.3万人。\n二、稳字当头推动发展\n力争城镇新增就业50.5万人以上。"
    doc = pipeline.extract(text, reference_date="2036-02-01")
    done, target = [m for m in doc.mentions if m.kind == "quantity"]
    assert (done.status, done.status_rule) == ("done", "measures.period.last_year")
    assert (target.status, target.status_rule) == ("planned", "measures.status.planned.plan")


def test_periods_leave_inspection_outcomes_alone():
    text = "一、2035年工作回顾\n这五年,巡察组共发现问题82个。"
    q = next(m for m in pipeline.extract(text, reference_date="2036-02-01").mentions
             if m.text == "82个")
    assert (q.measure, q.status, q.status_rule) == ("problems.found", "done", None)


# ---------------------------------------------------------------- phrasings of an indicator (issue 15)

REVIEW = "一、2035年工作回顾\n"
PLAN = "三、2036年重点工作\n"


@pytest.mark.parametrize("text, span, expected", [
    # clauses between the indicator (and its amount) and its growth
    (REVIEW + "全市地区生产总值跨上6000亿元台阶、稳居全省首位、增长5.7%。", "5.7%",
     ("economy.gdp.growth", "done", "up")),
    (REVIEW + "全省生产总值首次突破8万亿元大关,按可比价格计算,比上年增长4.6%。", "4.6%",
     ("economy.gdp.growth", "done", "up")),
    (REVIEW + "地方一般公共预算收入重回500亿元、总量位居全省第三、增长2.9%。", "2.9%",
     ("economy.budget_revenue.growth", "done", "up")),
    # synonyms: jobs without 城镇, 物价 and CPI, 公共财政收入, a GDP target as 经济增长预期目标
    (REVIEW + "全年兑现稳岗返还资金6亿元,新增就业21.4万人。", "21.4万人",
     ("economy.jobs.new", "done", None)),
    (PLAN + "物价涨幅控制在2%左右。", "2%左右", ("economy.cpi.growth", "planned", None)),
    (REVIEW + "全年CPI上升0.8%,PPI由负转正。", "0.8%", ("economy.cpi.growth", "done", "up")),
    (REVIEW + "全省公共财政收入达到1880亿元,增长9.3%。", "9.3%",
     ("economy.budget_revenue.growth", "done", "up")),
    (PLAN + "权衡需要与可能,全年经济增长目标是5%左右。", "5%左右",
     ("economy.gdp.growth", "planned", None)),
    # falls: the measure, with the direction that makes the table show them negative
    (REVIEW + "受价格走低影响,全年居民消费价格微降0.3%。", "0.3%",
     ("economy.cpi.growth", "done", "down")),
    (REVIEW + "全省一般公共预算收入比上年下降4.4%。", "4.4%",
     ("economy.budget_revenue.growth", "done", "down")),
    (REVIEW + "受疫情冲击,全市地区生产总值下降1.9%。", "1.9%",
     ("economy.gdp.growth", "done", "down")),
    # a fall to a level is the level
    (REVIEW + "全年CPI涨幅回落到1.6%。", "1.6%", ("economy.cpi.growth", "done", None)),
])
def test_phrasings_of_an_indicator(text, span, expected):
    doc = pipeline.extract(text, reference_date="2036-02-01")
    q = next(m for m in doc.mentions if m.text == span)
    assert (q.measure, q.status, q.direction) == expected


@pytest.mark.parametrize("text, span", [
    # another quantity between the indicator and the growth, a part of it, a qualified GDP
    (REVIEW + "全市地区生产总值跨上6000亿元台阶,工业增加值2100亿元、增长7.2%。", "7.2%"),
    (REVIEW + "全市地区生产总值跨上6000亿元台阶,其中服务业增长6.1%。", "6.1%"),
    (REVIEW + "人均地区生产总值突破11万元、居全省前列、增长5.9%。", "5.9%"),
    (REVIEW + "单位GDP碳排放强度下降3.6%。", "3.6%"),
    # a group's new jobs, several years' jobs, retail prices, a price factor, a from-figure
    (REVIEW + "全年就业困难人员、脱贫劳动力新增就业均超1.1万人。", "超1.1万人"),
    (REVIEW + "全年帮扶高校毕业生新增就业3.4万人。", "3.4万人"),
    (REVIEW + "民生持续改善。五年全市新增就业96万人。", "96万人"),
    (REVIEW + "全年商品零售物价上涨3.3%。", "3.3%"),
    (REVIEW + "农民人均纯收入扣除物价上涨因素增长6.6%。", "6.6%"),
    (REVIEW + "全年CPI涨幅由2.8%回落到1.6%。", "2.8%"),
    # a change of the unemployment rate is not the rate; a registered rate is another one
    (REVIEW + "城镇调查失业率比上年下降0.2%。", "0.2%"),
    (REVIEW + "城镇登记失业率为3.1%。", "3.1%"),
])
def test_what_is_not_the_indicator(text, span):
    doc = pipeline.extract(text, reference_date="2036-02-01")
    assert next(m for m in doc.mentions if m.text == span).measure is None


# ---------------------------------------------------------------- the rule file
# (its examples: tests/test_rule_examples.py)

def test_the_mask_fragment_is_checked(monkeypatch):
    bad = M.MeasuresFile.model_validate({**M.measure_rules().spec.model_dump(),
                                         "fragments": {"N": "#"}})
    monkeypatch.setattr(M, "load_model", lambda *_: bad)
    M.measure_rules.cache_clear()
    try:
        with pytest.raises(RuleError, match="fragments.N"):
            M.measure_rules()
    finally:
        M.measure_rules.cache_clear()


@pytest.mark.parametrize("text", [
    "今年开展河道巡查12次,河长巡河300余次。省委巡视发现问题40个。",
    "环境保护督察反馈问题15个,已整改10个;安全生产检查发现隐患30处。",
    "全省新增就业12万人,完成巡察23轮。",
])
def test_the_document_scan_finds_every_sentence_of_another_check(text):
    """A sentence the document's foreign scan passes over has no check of another kind."""
    rules = M.measure_rules()
    starts = rules.foreign_scan.starts(text, 0, len(text))
    for s in range(len(text)):
        for e in range(s, len(text) + 1):
            if not any_in(starts, s, e):
                assert M.foreign_context(rules, text[s:e]) is None


@pytest.mark.parametrize("text", [
    "过去一年,全省完成巡察23轮。今年,新增就业12万人。这五年,累计整改问题300个。",
    "主要预期目标是:地区生产总值增长5%左右。2025年是关键之年,全年完成投资800亿元。",
])
def test_the_openings_alternation_rules_out_no_period(text):
    """period_track matches the openings' alternation where a sentence stands in the document
    (no slice) before trying each opening: the same periods as trying each on each sentence."""
    import dataclasses

    from pipeline.context.boundaries import boundaries
    rules = M.measure_rules()
    sentences = boundaries().units(text).sentences
    assert rules.any_opening is not None
    plain = dataclasses.replace(rules, any_opening=None)
    for year in (2025, 2026):
        assert M.period_track(rules, text, sentences, [], year) == \
            M.period_track(plain, text, sentences, [], year)


@pytest.mark.parametrize("sentence", [
    "发现问题40个,其中", "查处案件12件,包括", "共有党组织30个,巡察组在这些单位中有", "剩余的",
    "其余", "全省完成投资800亿元,", "涉及", "涉及到的", "含", "问题中,共有",
])
def test_the_parts_alternation_rules_out_no_part_cue(sentence):
    """part_of searches the part cues' alternation in a window before trying each cue: the same
    cue, and the same total, as trying each cue on every window."""
    import dataclasses

    rules = M.measure_rules()
    assert rules.any_part is not None
    plain = dataclasses.replace(rules, any_part=None)
    earlier = [M.Decision("problems.found", pos=0), M.Decision(None, pos=2)]
    for cut in range(len(sentence) + 1):
        w = M.Window(before="", after="", sentence=sentence[cut:], rest="", whole=sentence,
                     counted="", at=cut)
        for last in (None, M.Decision("problems.found")):
            assert M.part_of(rules, w, earlier, last) == M.part_of(plain, w, earlier, last)


def _decided_fields(rules: M.Compiled, ctx, mentions: list) -> list[tuple]:
    out = M.assign(ctx.view, ctx.units.sentences, mentions, rules, ctx.headings,
                   ctx.reference_date)
    return [(q.measure, q.measure_rule, q.scope, q.scope_rule, q.status, q.status_rule)
            for q in out if q.kind == "quantity"]


def test_the_rule_gate_rules_out_no_measure():
    """decide tries a quantity's rules only where their gate lets one fire: the same decisions
    as trying every rule on every quantity, on the rule file's examples and a work report."""
    import dataclasses

    rules = M.measure_rules()
    plain = dataclasses.replace(rules, by_unit={})
    stage = M.Measures(rules)
    texts = sorted({ex.text for r in rules.spec.measures for ex in r.examples} | {WORK_REPORT})
    for text in texts:
        ctx = stage.example_context(text)
        mentions = pipeline.extract(text, reference_date="2031-02-01").mentions
        for q in (m for m in mentions if m.kind == "quantity"):
            for inspecting in (False, True):
                plain.by_unit[q.unit, inspecting] = (rules.measures_for(q.unit, inspecting), None)
        assert _decided_fields(rules, ctx, mentions) == _decided_fields(plain, ctx, mentions)
    assert any(gate for _, gate in rules.by_unit.values())
    assert M.UNDECIDED == M.Decision()  # shared by the undecided, never changed


def test_units_that_meet_the_same_measures_share_their_gate():
    rules = M.measure_rules()
    for inspecting in (False, True):
        none = rules.tried(None, inspecting)
        assert rules.tried("某单位", inspecting) == none
        assert rules.tried("某单位", inspecting)[1] is none[1]


@pytest.mark.parametrize("heading, whole, at, lead", [
    ("", "主要预期目标是:地区生产总值增长\ue000左右", 8, "主要预期目标是"),
    ("主要预期目标\n", "是:城镇新增就业\ue000", 2, "主要预期目标\n是"),
    ("", "全年增长\ue000,其中:工业增长\ue000", 5, ""),
    ("", "全年增长\ue000,其中:工业增长\ue000", 9, "全年增长\ue000,其中"),
    ("", "新增就业\ue000", 0, ""),
])
def test_the_lead_of_a_window(heading, whole, at, lead):
    """A list's lead: the line the sentence continues and the sentence up to a colon before
    the sentence window."""
    w = M.Window("", "", "", "", whole, "", at, heading)
    assert w.lead == lead


@pytest.mark.parametrize("text", [
    "一、2025年工作回顾\n过去一年,新增就业12万人。\n(一)稳增长\n全省生产总值增长5%。\n"
    "二、“十五五”时期主要目标\n调查失业率不高于5.7%。\n三、今年重点工作\n新增就业11万人。",
    "2026年政府工作报告\n各位代表:\n一、经济运行\n全年完成投资800亿元。\n1.过去五年回顾\n累计新增就业50万人。",
])
def test_the_heading_alternation_rules_out_no_period(text):
    """heading_period searches the heading cues' alternation before trying each cue, and
    period_track picks the sentences that may open a period at C level: the same periods as
    trying every cue on every heading and sentence."""
    import dataclasses

    from pipeline.context.boundaries import boundaries
    rules = M.measure_rules()
    nt = M.normalize(text)
    text = nt.view
    headings = tuple(M.regions.stage().headings.headings(nt))
    sentences = boundaries().units(text).sentences
    assert rules.any_heading is not None and headings
    plain = dataclasses.replace(rules, any_heading=None, any_opening=None)
    for year in (2025, 2026):
        for h in headings:
            line = text[h.start:h.end]
            assert M.heading_period(rules, line, year) == M.heading_period(plain, line, year)
        assert M.period_track(rules, text, sentences, headings, year) == \
            M.period_track(plain, text, sentences, headings, year)


def _one_sentence_windows(rules, view, s, e, counts):
    """The windows of each count of one sentence, its text masked and scanned on its own."""
    parts, places, pos = [], [], s
    for q in counts:
        if q.start < pos:
            places.append(len("".join(parts)) - 1)
            continue
        parts += [view[pos:q.start], M.MASK]
        places.append(len("".join(parts)) - 1)
        pos = q.end
    text = "".join(parts) + view[pos:e]
    clause = [m.start() for m in rules.clause_break.finditer(text)]
    segment = [m.start() for m in rules.segment_break.finditer(text)]

    def around(marks, at):
        cut = max([m + 1 for m in marks if m < at], default=0)
        return cut, min([m for m in marks if m > at], default=len(text))
    out = []
    for at, q in zip(places, counts):
        (cut, stop), (seg, end) = around(clause, at), around(segment, at)
        out.append((text[cut:at], text[at + 1:stop], text[seg:at], text[at + 1:end], text, seg))
    return out


@pytest.mark.parametrize("text", [
    "巡察发现问题1,234个,已整改1,000个;剩余234个。全年增长5%。",
    "一、2025年工作回顾\n全省生产总值增长5.2%,其中:工业增长6%、服务业增长4.8%。新增就业12万人。",
    "共反馈4个方面11项共27个问题,分别为12个、9个;整改完成率96%。其余3个正在整改。",
])
def test_the_sentences_masked_together_read_as_each_alone(text):
    """masked_sentences masks the counts of every sentence in one text and finds its breaks in
    one scan: each count's windows are those of its sentence masked and scanned on its own."""
    from pipeline.context.boundaries import boundaries
    rules = M.measure_rules()
    view = M.normalize(text).view
    counts = [m for m in pipeline.extract(text).mentions if m.kind == "quantity" and not m.ordinal]
    held = M.holding(rules, view, boundaries().units(view).sentences, counts, False)
    assert len(held) > 1
    for (s, e, inside, *_), sent in zip(held, M.masked_sentences(rules, view, held)):
        windows = [M.window(rules, sent, k, "") for k in range(len(inside))]
        assert [(w.before, w.after, w.sentence, w.rest, w.whole, w.at) for w in windows] == \
            _one_sentence_windows(rules, view, s, e, inside)


@pytest.mark.parametrize("unit", ["%", "亩", "万亿元", "个百分点", None, "个", "人", "亿元"])
def test_only_a_unit_of_a_family_takes_a_totals_measure(unit):
    """sentence_decisions leaves a count no rule decides UNDECIDED when its unit is of no
    family (`kin`): no total is then of its kind."""
    rules = M.measure_rules()
    part = M.Decision(unit=unit, counted="问题")
    kinds = [M.same_kind(rules, part, M.Decision("problems.found", unit=u, counted=noun))
             for units, _ in rules.families for u in units for noun in ("问题", "单位", "")]
    assert any(kinds) == (unit in rules.kin)
