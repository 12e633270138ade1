"""Chinese pages through the real crawler on 127.0.0.1 (#14): a UTF-8 page and a GBK page
are stored whole and read as Chinese whatever their templates declare; a Chinese body is
measured in characters, not space-separated words; the processed article gets a Chinese
summary that the public site shows with its title."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from loopback_site import RSS, LoopbackSite, Reply
from nlp.quotes import quote_budget
from publish.site import make_datasette
from tests.conftest import run_launchwire

pytestmark = pytest.mark.slow

LIMITS = {"LAUNCHWIRE_DOWNLOAD_DELAY": "0", "LAUNCHWIRE_DOWNLOAD_TIMEOUT": "5"}

# Our own sentences, about invented companies.
UTF8_TITLE = "云桥科技推出青柠笔记，主打离线写作"
UTF8_BODY = (
    "云桥科技今天在杭州发布了一款名为青柠笔记的写作应用。这款应用支持完全离线使用，所有笔记都保存在手机本地。"
    "公司创始人表示，过去一年团队一直在打磨同步功能，希望让用户在没有网络的地铁里也能顺畅记录。"
    "青柠笔记首先登陆安卓平台，苹果版本预计在明年春天上线。基础功能免费，高级会员每月收费十二元。"
    "据公司介绍，内测期间已有两万名用户参与试用，其中超过一半的人每天都会打开应用。"
    "业内人士认为，离线写作工具在国内仍是一个小众市场，但增长速度不容忽视。")
GBK_TITLE = "星河电动发布首款城市小车"
GBK_BODY = (
    "星河电动周三在深圳举行发布会，正式推出旗下首款城市小车星河一号。这款车长度不到三米，适合在狭窄的老城区停放。"
    "公司表示，星河一号的续航里程为两百公里，充满电需要大约四个小时。首批车辆将在下个月交付给预订用户。"
    "星河电动成立于三年前，此前已经完成了两轮融资。分析师指出，城市小车的价格优势明显，但利润空间有限。"
    "公司计划明年在成都和武汉开设新的门店，并与本地的出行平台展开合作。")
TEMPLATE_TITLE = "白鹭支付开放跨境收款"
TEMPLATE_BODY = (
    "白鹭支付宣布向中小商家开放跨境收款服务，商家可以直接收取美元和欧元货款。"
    "这项服务此前只向少数大客户提供，手续费为每笔交易金额的百分之一。"
    "白鹭支付表示，已有三百多家外贸工厂提交了开通申请，首批商家将在两周内完成审核。"
    "有观点认为，跨境收款市场竞争激烈，新进入者很难在短时间内赢得大量客户。")
SHORT_BODY = "短讯：青柠笔记今天更新了版本。"


def _page(title: str, body: str, lang: str, charset: str) -> bytes:
    paragraphs = "".join(f"<p>{sentence}。</p>" for sentence in body.split("。") if sentence)
    return (f'<!DOCTYPE html><html lang="{lang}"><head>'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}"
            "</article></body></html>").encode(charset)


def _feed(site: LoopbackSite, names: list[str]) -> bytes:
    items = "".join(f"<item><title>{name}</title><link>{site.url(f'/zh/{name}.html')}</link>"
                    "<pubDate>Tue, 01 Dec 2026 08:00:00 +0800</pubDate></item>" for name in names)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>科技快讯</title>{items}</channel></rss>").encode("utf-8")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chinese")
    with LoopbackSite() as site:
        site.routes.update({
            "/robots.txt": Reply(200, b"User-agent: *\nAllow: /\n"),
            "/feeds/zh.xml": Reply(200, _feed(site, ["utf8", "gbk", "template-says-en", "short"]),
                                   {"Content-Type": RSS}),
            "/zh/utf8.html": Reply(200, _page(UTF8_TITLE, UTF8_BODY, "zh-CN", "utf-8"),
                                   {"Content-Type": "text/html; charset=utf-8"}),
            # GBK declared in the page alone, as many Chinese sites still do.
            "/zh/gbk.html": Reply(200, _page(GBK_TITLE, GBK_BODY, "zh-CN", "gbk"),
                                  {"Content-Type": "text/html"}),
            # A Chinese article in a template that declares English.
            "/zh/template-says-en.html": Reply(
                200, _page(TEMPLATE_TITLE, TEMPLATE_BODY, "en", "utf-8"),
                {"Content-Type": "text/html; charset=utf-8"}),
            "/zh/short.html": Reply(200, _page("短讯", SHORT_BODY, "zh-CN", "utf-8"),
                                    {"Content-Type": "text/html; charset=utf-8"}),
        })
        sources = folder / "sources.toml"
        sources.write_text(f'[[source]]\nname = "科技快讯"\nhomepage = "{site.base_url}/"\n'
                           f'feeds = ["{site.url("/feeds/zh.xml")}"]\nlanguage = "zh"\n'
                           "allow_private = true\n", encoding="utf-8")
        database = folder / "chinese.db"
        result = run_launchwire("crawl", "--db", str(database), "--sources", str(sources),
                                **LIMITS)
        assert result.returncode == 0, result.stderr
    for command in ("process", "publish"):
        result = run_launchwire(command, "--db", str(database))
        assert result.returncode == 0, result.stderr
    return database


def _articles(database: Path) -> dict[str, dict]:
    db = sqlite_utils.Database(database)
    return {row["url"].rsplit("/", 1)[1]: row for row in db.query("select * from articles")}


def test_utf8_and_gbk_chinese_pages_are_stored_whole(crawled: Path) -> None:
    articles = _articles(crawled)
    assert articles["utf8.html"]["title"] == UTF8_TITLE
    assert articles["gbk.html"]["title"] == GBK_TITLE
    assert "星河一号的续航里程为两百公里" in articles["gbk.html"]["text"]
    assert "高级会员每月收费十二元" in articles["utf8.html"]["text"]


def test_language_is_read_from_the_text_not_the_template(crawled: Path) -> None:
    articles = _articles(crawled)
    assert {articles[name]["lang"] for name in
            ("utf8.html", "gbk.html", "template-says-en.html")} == {"zh"}


def test_a_short_chinese_body_is_refused_by_its_characters(crawled: Path) -> None:
    db = sqlite_utils.Database(crawled)
    assert "short.html" not in _articles(crawled)
    errors = {row["url"].rsplit("/", 1)[1]: row["extract_error"] for row in db.query(
        "select url, extract_error from pages")}
    assert errors["short.html"] == "body under 40 words"
    assert errors["utf8.html"] is None and errors["gbk.html"] is None


def _sentences(text: str) -> list[str]:
    return [sentence.strip() + "。" for sentence in text.split("。") if sentence.strip()]


def test_chinese_articles_get_a_chinese_summary_within_the_quoting_budget(crawled: Path) -> None:
    articles = _articles(crawled)
    for name in ("utf8.html", "gbk.html"):
        sentences, summary = _sentences(articles[name]["text"]), articles[name]["summary"]
        chosen = _sentences(summary)
        # Whole sentences of the article, no more than 30% of them (two of seven).
        assert chosen and set(chosen) <= set(sentences), (name, summary)
        assert len(chosen) <= quote_budget(len(sentences)) == 2, summary


async def test_the_site_shows_chinese_titles_and_summaries(crawled: Path) -> None:
    articles = _articles(crawled)
    client = make_datasette(crawled).client
    response = await client.get(f"/{crawled.stem}/articles_public.json?_shape=objects")
    assert response.status_code == 200
    shown = {row["title"]: row["summary"] for row in response.json()["rows"]}
    assert shown[UTF8_TITLE] == articles["utf8.html"]["summary"]
    assert shown[GBK_TITLE] == articles["gbk.html"]["summary"]
    page = await client.get(f"/{crawled.stem}/articles_public?lang=zh")
    assert page.status_code == 200 and UTF8_TITLE in page.text and GBK_TITLE in page.text
