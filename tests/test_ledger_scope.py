"""Which body a fact belongs to (pipeline/ledger/scope.py), on notices composed for these tests."""
from __future__ import annotations

import pipeline

TWO_BODIES = ("关于市委巡察整改进展情况的通报\n"
              "2024年3月4日至4月26日,市委第二巡察组对市统计局党组、市档案局党组开展了常规巡察。"
              "2024年6月3日,市委第二巡察组分别向市统计局党组、市档案局党组反馈了巡察意见。\n"
              "{middle}"
              "一、市统计局党组\n巡察反馈问题14个,已完成整改12个,正在整改2个。\n"
              "二、市档案局党组\n巡察反馈问题9个,已完成整改9个。\n")


def records(text: str, reference_date="2024-09-30"):
    doc = pipeline.extract(text, reference_date=reference_date, region="河北省")
    return {r.body.name if r.body else None: r for r in doc.rectifications}


def test_headings_give_figures_and_the_intro_dates_both():
    got = records(TWO_BODIES.format(middle=""))
    assert set(got) == {"市统计局党组", "市档案局党组"}
    stats, archive = got["市统计局党组"], got["市档案局党组"]
    assert (stats.problems.value, stats.done.value, stats.ongoing.value) == (14, 12, 2)
    assert (archive.problems.value, archive.done.value, archive.ongoing) == (9, 9, None)
    assert stats.feedback_date.end_date == archive.feedback_date.end_date
    assert str(stats.inspection_period.start_date) == "2024-03-04"


def test_a_figure_of_an_enumeration_goes_to_no_body_and_is_reported():
    middle = "两单位共制定整改措施40条。市统计局党组、市档案局党组共建立制度11项。\n"
    got = records(TWO_BODIES.format(middle=middle))
    for r in got.values():
        assert r.rules is None and r.measures is None
        assert [c.details["field"] for c in r.checks if c.check == "ambiguous"] == ["measures", "rules"]


def test_self_references_go_to_their_section_body():
    text = TWO_BODIES.format(middle="") + "三、下一步工作\n局党组将持续推进整改。\n"
    text = text.replace("正在整改2个。\n", "正在整改2个。局党组新建制度3项。\n")
    got = records(text)
    assert got["市统计局党组"].rules.value == 3 and got["市档案局党组"].rules is None


def test_a_practice_article_gives_no_body_its_totals():
    text = ("县里巡察向村社延伸见实效\n近日,县审计局党组公布了县委巡察整改进展情况的通报。\n"
            "本届县委已巡察村级党组织120个,共发现问题860个,已整改790个。\n")
    assert records(text) == {}


def test_a_notice_naming_its_body_only_as_itself_has_a_record_without_body():
    text = ("关于巡察整改进展情况的公告\n2024年1月9日,市委巡察组向我单位党组反馈了巡察意见。"
            "巡察反馈问题12个,已完成整改10个,正在整改2个。\n")
    got = records(text)
    assert list(got) == [None] and got[None].reason == "self_reference_only"
    assert got[None].links is None
