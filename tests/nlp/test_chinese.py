"""Chinese text read for facts (#14): names on characters, figures in Chinese notation,
launch cues with their modality, and the same Analysis contract as English articles."""

from __future__ import annotations

import json

import pytest

from nlp.chinese import analyze_chinese, chinese_figures


def _read(text: str, title: str | None = None):
    return next(analyze_chinese([text], ["2026-12-01"], [title]))


@pytest.mark.parametrize("text, metric, value, unit, qualifier", [
    ("该应用目前拥有1200万日活跃用户。", "dau", 12_000_000, "users", "exact"),
    ("公司称其月活跃用户超过3亿。", "mau", 300_000_000, "users", "more_than"),
    ("这家公司完成新一轮融资5亿元。", "funding", 500_000_000, "CNY", "exact"),
    ("第三季度营收同比增长35%。", "growth", 35, "percent", "exact"),
    ("这款应用的下载量已突破两千万次。", "downloads", 20_000_000, "downloads", "exact"),
    ("公司估值约20亿美元。", "valuation", 2_000_000_000, "USD", "about"),
    ("高级会员每月收费十二元。", "price", 12, "CNY", "exact"),
    ("其在国内的市场份额达到24%。", "share", 24, "percent", "exact"),
    ("上个月的交付量为1.5万辆。", "units", 15_000, "units", "exact"),
    ("付费用户接近80万人。", "subscribers", 800_000, "subscribers", "about"),
    ("注册用户不到50万。", "users", 500_000, "users", "less_than"),
    ("日活跃用户在3000万左右。", "dau", 30_000_000, "users", "about"),
])
def test_figures_in_chinese_notation(text: str, metric: str, value: float, unit: str,
                                     qualifier: str) -> None:
    figures = chinese_figures(text)
    assert [(f.metric, f.value, f.unit, f.qualifier) for f in figures] == [
        (metric, value, unit, qualifier)]


@pytest.mark.parametrize("text", [
    "公司成立于2019年，此前完成了两轮融资。",  # a year, and a count of rounds
    "这款车长度不到三米，续航两百公里。",  # lengths and distances
    "团队有120名员工，覆盖30个城市。",  # staff and cities
    "它推出了一款新的写作应用。",  # no number at all
])
def test_numbers_that_are_no_business_figures(text: str) -> None:
    assert chinese_figures(text) == []


@pytest.mark.parametrize("text, modality", [
    ("据知情人士透露，该应用的日活跃用户已超过5000万。", "rumored"),
    ("公司预计明年月活跃用户将达到2亿。", "forecast"),
    ("如果能拿下一成的市场，日活跃用户就会有8000万。", "hypothetical"),
    ("它能留住这8000万用户吗？", "hypothetical"),
    ("公司今天宣布，日活跃用户已超过5000万。", "reported"),
])
def test_figure_modality(text: str, modality: str) -> None:
    assert [m.modality for m in _read(text).metrics] == [modality]


def test_known_names_match_on_characters_with_their_canonical_name() -> None:
    analysis = _read("字节跳动旗下的抖音今天宣布，日活跃用户已超过6亿。快手表示将跟进。")
    assert [(e.text, e.label, e.canonical) for e in analysis.entities] == [
        ("字节跳动", "COMPANY", "ByteDance"), ("抖音", "APP", "Douyin"),
        ("快手", "COMPANY", "Kuaishou")]
    [figure] = analysis.metrics
    assert (figure.subject, figure.metric, figure.claimant) == ("Douyin", "dau", "company")


@pytest.mark.parametrize("text, name, label", [
    ("云桥科技今天发布了一款名为青柠笔记的写作应用。", "青柠笔记", "APP"),
    ("星河电动正式推出旗下首款城市小车星河一号。", "星河一号", "PRODUCT"),
    ("白鹭智能发布了Lumen 2大模型。", "Lumen 2", "PRODUCT"),
])
def test_names_no_dictionary_holds_where_the_text_presents_them(text: str, name: str,
                                                                label: str) -> None:
    entities = {(e.text, e.label) for e in _read(text).entities}
    assert (name, label) in entities
    assert any(label == "COMPANY" for _, label in entities)


@pytest.mark.parametrize("text, modality", [
    ("云桥科技今天正式上线了青柠笔记APP。", "launched"),
    ("云桥科技推出了名为青柠笔记的应用。", "launched"),
    ("云桥科技发布了名为青柠笔记的应用，用户可在安卓平台下载。", "launched"),
    ("云桥科技旗下名为青柠笔记的应用今天开启公测。", "launched"),
    ("云桥科技的青柠笔记APP开始内测，尚未对外开放。", "announced"),
    ("云桥科技即将推出名为青柠笔记的应用。", "announced"),
    ("云桥科技的青柠笔记APP将于12月20日正式上线。", "planned"),
    ("据知情人士透露，云桥科技正在准备推出名为青柠笔记的应用。", "rumored"),
])
def test_launch_cues_and_their_modality(text: str, modality: str) -> None:
    [launch] = _read(text).launches
    assert (launch.company, launch.product, launch.modality) == ("云桥科技", "青柠笔记", modality)


def test_a_launch_states_its_day_platform_and_price() -> None:
    [launch] = _read("云桥科技今天在安卓平台上线了名为青柠笔记的应用，每月收费十二元。").launches
    assert (launch.date, launch.platform, launch.price) == ("2026-12-01", "Android", "十二元")


def test_an_earnings_report_is_no_launch() -> None:
    analysis = _read("云桥科技今天发布了第三季度财报，营收同比增长35%。")
    assert analysis.launches == [] and analysis.kind == "other"


def test_a_rounds_investor_is_not_whose_figure_it_is() -> None:
    analysis = _read("星河电动完成了5亿元融资，由红杉中国领投。公司营收同比增长35%。")
    assert [(m.metric, m.subject) for m in analysis.metrics] == [
        ("funding", "星河电动"), ("growth", "星河电动")]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_chinese_sets_point_at_their_own_text(split: str) -> None:
    from launchwire.evaluate_chinese import KINDS, SETS

    for row in map(json.loads, SETS[split].read_text(encoding="utf-8").splitlines()):
        assert row["kind"] in KINDS, row["id"]
        for start, end, label, _canonical in row["entities"]:
            surface = row["text"][start:end]
            assert surface and surface == surface.strip(), row["id"]
            assert label in {"COMPANY", "APP", "PRODUCT"}, row["id"]
        for figure in row["metrics"]:
            assert row["text"][figure["start"]:figure["end"]] == figure["text"], row["id"]


def test_the_chinese_dev_set_is_scored_kind_by_kind() -> None:
    from launchwire.evaluate_chinese import chinese_scores

    scores = chinese_scores("dev")
    assert set(scores) == {"zh_news", "commentary", "bilingual", "all"}
    # Floors well under today's dev figures (0.90, 0.95, 0.94): a broken reader drops far below.
    assert scores["all"]["entities"]["f1"] > 0.8
    assert scores["all"]["figures"]["f1"] > 0.85
    assert scores["all"]["launches"]["f1"] > 0.8
