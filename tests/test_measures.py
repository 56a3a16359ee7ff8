"""Measures (spec §5a) on sentences composed for these tests; the rule file's own examples run
in tests/test_rule_examples.py."""
from __future__ import annotations

import pytest

import pipeline
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
