"""Chinese articles (#14), read by spaCy's Chinese language class with jieba's segmentation.

The English pipeline finds nothing in Chinese text, not even its sentences. A Chinese article
is read by this pipeline instead, into the same Analysis as an English one:

- names (`launchwire_zh_names`): the gazetteer's spellings matched on characters (each added
  to jieba's dictionary, so that a name stays one token), and names no dictionary holds
  where the text presents them ("名为青柠笔记的应用", a company named with 科技 or 集团, a
  Latin-script name before 应用 or 大模型);
- figures in Chinese notation (1200万日活跃用户, 月活跃用户超过3亿, 融资5亿元, 同比增长35%),
  typed and hedged like English ones, with their modality (据知情人士 rumored, 预计 forecast,
  如果 or a question hypothetical);
- launches from their cues (上线, 推出, 发布, 开售, 公测, 内测, 即将推出), with modality;
- the summary, chosen by the same TextRank and held to the same quoting budget.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator

import cn2an
import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.extract import Analysis, Entity, Launch, Metric, article_launches, mark_quotable
from nlp.gazetteer import KnownEntity, load_gazetteer
from nlp.genre import COMMENTARY, genre
from nlp.vocabulary import LABELS

# Languages read by this pipeline rather than the English one.
CHINESE = frozenset({"zh"})
# Full-width and ASCII sentence ends; a comma (，) joins clauses of one sentence.
SENTENCE_ENDS = ["。", "！", "？", "!", "?", "；", "…"]
CLAUSE_END = re.compile(r"[，,。！？!?；;：:\n]")
SENTENCE_END = re.compile(r"[。！？!?\n]")
HAN = re.compile(r"[\u4e00-\u9fff]")

# --- names -------------------------------------------------------------------------------

# Latin-script words in Chinese tech text that name no company, app or product.
NOT_NAMES = frozenset({
    "AI", "AIGC", "AGI", "APP", "App", "app", "APPs", "DAU", "MAU", "GMV", "IPO", "CEO", "CTO",
    "CFO", "COO", "VR", "AR", "MR", "XR", "SUV", "MPV", "EV", "PC", "UI", "API", "SaaS", "IT",
    "OTA", "B2B", "B2C", "ARR", "KOL", "UP", "PK", "VIP", "SDK", "GPU", "CPU", "NPU", "LLM",
    "OS", "Pro", "Max", "Plus", "Ultra", "Mini", "Lite", "Beta", "beta", "Demo", "TOP",
    "Top", "NO", "No", "VS", "vs", "PPT", "ID", "QR", "GDP", "CPI", "ROI", "IoT", "5G", "4G",
    "A", "B", "C", "H", "K", "G", "M", "Q", "Q1", "Q2", "Q3", "Q4", "AI PC", "AI手机"})
APP_NOUNS = ("应用", "App", "APP", "app", "软件", "小程序", "客户端", "平台")
PRODUCT_NOUNS = ("大模型", "模型", "手机", "芯片", "汽车", "车型", "耳机", "眼镜", "机器人",
                 "电脑", "笔记本", "平板", "手表", "音箱", "电动车", "轿车", "处理器", "智能体",
                 "小车", "无人机", "相机", "显示器", "路由器", "头显")
COMPANY_SUFFIXES = ("科技", "集团", "智能", "网络", "电动", "信息", "软件", "半导体", "微电子",
                    "能源", "传媒", "控股", "互动", "娱乐", "游戏", "医疗", "金融", "实验室",
                    "工作室", "汽车", "支付", "电子", "通信")
# Words before a company suffix that make a description, not a name ("新能源汽车").
NOT_A_NAME_BEFORE_SUFFIX = frozenset({
    "新能源", "人工", "互联网", "国内", "国产", "全球", "中国", "本土", "头部", "传统", "这家",
    "一家", "多家", "旗下", "相关", "智能", "数字", "金融", "消费", "汽车", "电子", "信息",
    "移动", "网络", "科技", "硬科技", "大型", "中小", "上市", "创业", "初创", "母公司", "子公司",
    "该", "其", "这", "那", "各", "某", "公司", "平台", "行业", "市场", "领域", "自动驾驶",
    "游戏", "社交", "电商", "支付", "出行", "外卖", "教育", "医疗", "短视频", "视频", "其他",
    "具身", "来源于", "新一代", "人形", "四足", "聊天", "家用", "车载", "国际", "海外", "量子"})
# A company named after what kind it is: "自动驾驶公司蓝鲸出行今日宣布", "GPU企业澈芯微电子".
TYPED_COMPANY = re.compile(
    r"(?:公司|企业|车企|厂商|厂家|品牌|独角兽|初创公司|创业公司|新势力|运营商)"
    r"(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{1,7}?)"
    r"(?=今日|今天|日前|近日|昨日|宣布|表示|称|发布|推出|正式|完成|获得|旗下|于|在|将|的|，|,)")
# Words after a kind of company that are no name: its people, its voice.
NOT_A_COMPANY_NAME = frozenset({"创始人", "负责人", "相关负责人", "高管", "官方", "内部", "董事长",
                                "总裁", "发言人", "员工", "团队", "方面", "人士", "本身", "自身",
                                "股价", "市值", "财报", "业务", "产品", "用户", "数量"})
# An app or product named after what it is, in a clause that launches it: "AI笔记应用墨点笔记
# 正式上线", "推出独立AI购物助手应用京小选，", "旗下首款纯电SUV穹宇R7将于4月18日正式上市".
TYPED_KINDS = sorted({*PRODUCT_NOUNS, *APP_NOUNS, "SUV", "学习机", "手游", "游戏", "助手",
                      "服务"}, key=len, reverse=True)
TYPED_NAME = re.compile(
    rf"(?P<noun>{'|'.join(TYPED_KINDS)})"
    r"[“「《]?(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9 .\-+]{1,9}?)[”」》]?"
    r"(?=正式|将于|将在|于|在|已|今日|今天|开启|上线|上市|发布|，|,|。|$)")
LAUNCH_WORDS = re.compile(r"推出|上线|发布|开售|上市|公测|内测|首发|亮相|开启")
# A model code after a name makes a product: "小米17 Ultra", "乐道L80", "Kimi K3", "海豹08".
MODEL_CODE = re.compile(r"^(?:大模型|模型)? ?(?:[A-Z]{1,3}\d{1,4}[A-Za-z]?|\d{1,4}(?:\.\d)?|"
                        r"\.\d{1,2})"
                        r"(?: ?(?:Ultra|Pro\+?|Max|Plus|mini|Mini|SE|Air|Lite|Turbo|Edge))*"
                        r"(?![\d年月日号万亿元%％个家款倍位名人台辆])")
# A name the text introduces: "名为青柠笔记的写作应用", "一款叫做X的App".
INTRODUCED = re.compile(r"(?:名为|叫做|名叫|取名为?|命名为|代号)[“「《\"]?"
                        r"(?P<name>[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 .\-+]{0,14}?)"
                        r"[”」》\"]?(?:的|，|,|。)")
QUOTED = re.compile(r"[“「《](?P<name>[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 .\-+]{0,14})"
                    r"[”」》]")
NOUNS = "|".join(sorted({*APP_NOUNS, *PRODUCT_NOUNS}, key=len, reverse=True))
# "推出旗下首款城市小车星河一号": the name after a launch cue and the kind of thing it is.
LAUNCHED_NAME = re.compile(
    r"(?:推出|发布|上线|开售|亮相|首发)了?(?:旗下|自家|自研)?的?"
    r"(?:首款|一款|新款|全新|新一代|第二代|第三代)?[\u4e00-\u9fff]{0,4}?"
    rf"(?P<noun>{NOUNS})(?P<name>[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 .\-+]{{1,11}})"
    r"(?=[，,。！？!?；;、（(]|$)")
LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[ \-.+][A-Za-z0-9]+)*")
LAUNCH_VERBS_BEFORE = re.compile(r"(?:推出|上线|发布|开售|公测|内测|首发|亮相)了?"
                                 r"(?:一款|一个|全新的?|新款|首款|新一代)?$")


def _label_by_noun(following: str) -> str | None:
    """APP or PRODUCT from the noun after a name ("青柠笔记APP", "星河一号小车")."""
    following = following.lstrip("的 ")
    if following.startswith(PRODUCT_NOUNS):
        return "PRODUCT"
    if following.startswith(APP_NOUNS):
        return "APP"
    if following.startswith(("公司", "集团")):
        return "COMPANY"
    return None


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    label: str
    canonical: str


def _known_spellings(entries: Iterable[KnownEntity]) -> dict[str, KnownEntity]:
    """Each spelling a Chinese text can carry: those in characters, and Latin-script ones
    (DeepSeek, Kimi) that are no common acronym."""
    known: dict[str, KnownEntity] = {}
    for entry in entries:
        for spelling in entry.spellings:
            if spelling in NOT_NAMES or len(spelling) < 2:
                continue
            if HAN.search(spelling) or re.fullmatch(r"[A-Za-z][\w .\-+]*", spelling):
                known.setdefault(spelling, entry)
    return known


class ChineseNames:
    """Companies, apps and products in a Chinese text, as `doc.ents` with their canonical
    name in `kb_id_`."""

    def __init__(self, entries: Iterable[KnownEntity]) -> None:
        self.known = _known_spellings(entries)
        spellings = sorted(self.known, key=len, reverse=True)
        self.pattern = re.compile("|".join(
            re.escape(s) if HAN.search(s) else rf"(?<![A-Za-z0-9]){re.escape(s)}(?![A-Za-z0-9])"
            for s in spellings))
        for spelling in spellings:
            if HAN.search(spelling):
                jieba.add_word(spelling, freq=2000)

    def names(self, text: str) -> list[Name]:
        found = [Name(m.start(), m.end(), self.known[m.group()].label, self.known[m.group()].name)
                 for m in self.pattern.finditer(text)]
        found += _introduced_names(text, found)
        return [_with_model_code(text, name) for name in found]

    def __call__(self, doc: Doc) -> Doc:
        found = self.names(doc.text)
        doc = _cut_at(doc, {edge for name in found for edge in (name.start, name.end)})
        spans = [doc.char_span(name.start, name.end, label=name.label, kb_id=name.canonical)
                 for name in found]
        doc.ents = filter_spans([span for span in spans if span is not None])
        return doc


def _cut_at(doc: Doc, edges: set[int]) -> Doc:
    """The doc re-tokenized so that a token ends at every edge: jieba joins a name it does
    not know with the words around it ("车企穹宇汽车")."""
    words: list[str] = []
    spaces: list[bool] = []
    for token in doc:
        cuts = sorted(edge - token.idx for edge in edges
                      if token.idx < edge < token.idx + len(token))
        pieces = [token.text[a:b] for a, b in zip([0, *cuts], [*cuts, len(token.text)])]
        words += pieces
        spaces += [False] * (len(pieces) - 1) + [bool(token.whitespace_)]
    if len(words) == len(doc):
        return doc
    return Doc(doc.vocab, words=words, spaces=spaces)


def _with_model_code(text: str, name: Name) -> Name:
    """"小米" + "17 Ultra": a name with a model code after it is a product's."""
    code = MODEL_CODE.match(text[name.end:])
    if code is None or not code.group().strip():
        return name
    end = name.end + code.end()
    return Name(name.start, end, "PRODUCT", text[name.start:end])


def _overlaps(start: int, end: int, names: Iterable[Name]) -> bool:
    return any(start < name.end and name.start < end for name in names)


def _introduced_names(text: str, known: list[Name]) -> list[Name]:
    """Names no dictionary holds, where the text presents them, then each later mention."""
    new: dict[str, str] = {}
    for match in INTRODUCED.finditer(text):
        name = match.group("name").strip()
        label = _label_by_noun(text[match.end():match.end() + 4]) or _label_by_noun(
            text[match.end() - 1:match.end() + 12].split("，")[0][-4:]) or "APP"
        new.setdefault(name, label)
    for match in QUOTED.finditer(text):
        if text[match.end():match.end() + 2] in ("功能", "能力", "模式", "活动"):
            continue  # "上线了“AI搜一搜”功能": a feature of an app
        before = text[max(0, match.start() - 12):match.start()]
        label = _label_by_noun(text[match.end():match.end() + 4]) or (
            "PRODUCT" if before.endswith(PRODUCT_NOUNS) else
            "APP" if before.endswith((*APP_NOUNS, "手游", "游戏", "助手")) else None)
        if label or LAUNCH_VERBS_BEFORE.search(before) or LAUNCH_WORDS.search(before):
            new.setdefault(match.group("name").strip(), label or "APP")
    for match in TYPED_NAME.finditer(text):
        before, after = _clause(text, match.start(), match.end())
        name = _without_kind(match.group("name").strip())
        if LAUNCH_WORDS.search(before + after) and _a_new_name(name):
            noun = match.group("noun")
            new.setdefault(name, "PRODUCT" if noun in PRODUCT_NOUNS or noun in (
                "SUV", "学习机") else "APP")
    for match in TYPED_COMPANY.finditer(text):
        name = _without_kind(match.group("name"))
        if name not in NOT_A_COMPANY_NAME and _a_new_name(name):
            new.setdefault(name, "COMPANY")
    for match in LAUNCHED_NAME.finditer(text):
        label = "PRODUCT" if match.group("noun") in PRODUCT_NOUNS else "APP"
        new.setdefault(match.group("name").strip(), label)
    for match in LATIN_NAME.finditer(text):
        name = match.group().strip(" .-+")
        label = _label_by_noun(text[match.start() + len(name):match.start() + len(name) + 4])
        if name not in NOT_NAMES and not name.isdigit() and label is not None:
            new.setdefault(name, label)
    for name in _named_before_app(text):
        new.setdefault(name, "APP")
    for name in _suffixed_companies(text):
        new.setdefault(name, "COMPANY")
        # "知了科技" then "知了P1": the company's own name on its product.
        stem = next(name[:-len(suffix)] for suffix in COMPANY_SUFFIXES if name.endswith(suffix))
        for code in re.finditer(rf"{re.escape(stem)}(?=[A-Z]{{1,2}}\d)", text):
            new.setdefault(stem, "PRODUCT")
    found: list[Name] = []
    for name, label in sorted(new.items(), key=lambda item: -len(item[0])):
        if len(name) < 2 or name in NOT_NAMES:
            continue
        pattern = re.escape(name) if HAN.search(name) else \
            rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])"
        for match in re.finditer(pattern, text):
            if not _overlaps(match.start(), match.end(), known + found):
                found.append(Name(match.start(), match.end(), label, name))
    return found


# Words that say what an app does, not what it is called ("一款写作APP").
GENERIC_WORDS = frozenset({
    "写作", "社交", "购物", "视频", "短视频", "音乐", "外卖", "打车", "地图", "新闻", "阅读", "学习",
    "办公", "支付", "游戏", "直播", "聊天", "健身", "旅行", "笔记", "电商", "教育", "金融", "理财",
    "出行", "招聘", "医疗", "翻译", "相机", "修图", "记账", "天气", "日历", "邮箱", "浏览器",
    "一款", "这款", "该", "其", "新", "全新", "首款", "自家", "旗下", "手机", "官方", "同名"})
FUNCTION_WORDS = frozenset({"了", "的", "在", "和", "与", "及", "将", "把", "被", "款", "个",
                            "是", "为", "对", "从", "向", "让", "用", "也", "都", "已", "其"})


def _named_before_app(text: str) -> list[str]:
    """"青柠笔记APP": the one or two words written before APP, where the first is no
    description of what the app does."""
    words = [word for word in jieba.cut(text)]
    names = []
    for index, word in enumerate(words):
        if word not in ("APP", "App", "app") or index == 0:
            continue
        last = words[index - 1]
        two = words[index - 2] if index >= 2 else ""
        if _a_word(two) and _a_word(last, generic=True) and two not in GENERIC_WORDS:
            names.append(two + last)
        elif _a_word(last) and last not in GENERIC_WORDS:
            names.append(last)
    return names


def _a_word(word: str, generic: bool = False) -> bool:
    return bool(word) and all(HAN.match(c) for c in word) and word not in FUNCTION_WORDS \
        and (generic or word not in GENERIC_WORDS) and len(word) <= 4


# Words a name does not open with or hold: adverbs, particles, verbs of saying and launching.
NOT_IN_A_NAME = re.compile(r"^[将称均并和已也还正在于对与则再又都仍即可能会要被把让向从及等]|"
                           r"预计|今年|全年|继续|宣布|表示|推出|上线|发布|上市|公测|内测|开启|"
                           r"正式|目前|已经")


def _without_kind(name: str) -> str:
    """"车企穹宇汽车" -> "穹宇汽车", "应用京小选" -> "京小选": kind words run on before a name."""
    kinds = ("车企", "企业", "公司", "厂商", "品牌", *TYPED_KINDS)
    while name.startswith(kinds) and len(name) > 2:
        name = name[len(next(kind for kind in kinds if name.startswith(kind))):]
    return name


def _a_new_name(name: str) -> bool:
    """No description, role or everyday word ("场景", "创始人", "称将")."""
    if name in GENERIC_WORDS or name in FUNCTION_WORDS or name in NOT_NAMES \
            or NOT_IN_A_NAME.search(name):
        return False
    return not (all(HAN.match(c) for c in name) and jieba.dt.FREQ.get(name, 0) > 500)


def _suffixed_companies(text: str) -> list[str]:
    """"云桥科技", "星河电动": a company named by a word of two or three characters and a
    company suffix, where the word is no description ("新能源汽车", "这家科技")."""
    words = [word for word in jieba.cut(text)]
    names = [before + word for before, word in zip(words, words[1:])
             if word in COMPANY_SUFFIXES and _a_name_part(before)]
    # jieba's model may join an unknown name and its suffix into one word.
    names += [word for word in words for suffix in COMPANY_SUFFIXES
              if word.endswith(suffix) and _a_name_part(word[:-len(suffix)])]
    return names


def _a_name_part(word: str) -> bool:
    return 2 <= len(word) <= 3 and all(HAN.match(character) for character in word) \
        and word not in NOT_A_NAME_BEFORE_SUFFIX


# --- figures -----------------------------------------------------------------------------

SCALES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6,
          "万": 1e4}
CURRENCIES = {"元": "CNY", "人民币": "CNY", "元人民币": "CNY", "美元": "USD", "港元": "HKD",
              "港币": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP"}
FIGURE = re.compile(
    r"(?P<hedge>超过|超|逾|近|约|接近|不到|不足|低于|少于|最高|至多|大约|将近|达到|达|高达)?"
    r"(?P<number>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)"
    r"(?P<scale>万亿|千亿|百亿|亿|千万|百万|万)?"
    r"(?P<more>多|余)?"
    r"(?P<unit>%|％|元人民币|人民币|元|美元|港元|港币|欧元|日元|英镑)?"
    r"(?P<tail>以上|左右)?")
# A number counting these is no business figure ("两轮融资", "2023年", "三米").
NOT_COUNTED = re.compile(r"^(?:轮|年(?!费|营收|收入)|月(?!活|费)|日(?!活|均)|号|天|周|个|家|款|倍|小时|分钟|秒|米|公里|千米|"
                         r"厘米|毫米|寸|英寸|克|千克|公斤|吨|度|岁|代|次方|位数|纳米|nm|mm|GB|TB|"
                         r"MB|G|K|W|瓦|mAh|毫安|Hz|赫兹|帧|层|项|条|篇|期|季度|座|城|国|省|所|"
                         r"场|集|份|批|名员工|位员工|名工程师|名员|员工|人的团队|种|版|点)")
HEDGES = {"超过": "more_than", "超": "more_than", "逾": "more_than", "近": "about",
          "约": "about", "接近": "about", "大约": "about", "将近": "about", "不到": "less_than",
          "不足": "less_than", "低于": "less_than", "少于": "less_than", "最高": "up_to",
          "至多": "up_to"}
# The metric a figure counts, from the words of its clause (first match wins).
USER_METRICS = (("dau", r"日活|日均活跃|DAU"), ("mau", r"月活|MAU"),
                ("downloads", r"下载"), ("subscribers", r"付费用户|订阅用户|订阅者|付费会员"),
                ("units", r"销量|出货|交付|卖出|售出|销售了?\d|订单"),
                ("users", r"用户|人次|名|位|户|人|玩家|商家|客户|买家|消费者|账户|账号"))
MONEY_METRICS = (("valuation", r"估值|市值"),
                 ("funding", r"融资|募资|筹集|领投|跟投|[A-E]\+?轮|天使轮|种子轮|轮融资"),
                 ("deal", r"收购|并购|买下|入股|注资|投资了?"),
                 ("price", r"售价|定价|价格|收费|起售|起价|售|每月|月费|/月|每年|年费|会员费|"
                           r"订阅费|每台|每辆|到手价|起步价|票价|单价"),
                 ("revenue", r"营收|收入|营业额|销售额|GMV|交易额|成交额|流水|业绩|市场规模"))
PERCENT_METRICS = (("share", r"份额|占比|市占率|渗透率|占据|占有|^的?(?:用户|市场)"),
                   ("growth", r"增长|增加|上涨|提升|提高|下降|下滑|减少|增幅|涨幅|跌幅|同比|环比"))
UNITS = {"dau": "users", "mau": "users", "users": "users", "downloads": "downloads",
         "subscribers": "subscribers", "units": "units"}
RUMORED = re.compile(r"据知情人士|知情人士|据悉|传闻|传言|有消息称|消息人士|据报道|据媒体报道|"
                     r"据传|坊间|业内人士透露|爆料|曝光|小道消息")
HYPOTHETICAL = re.compile(r"如果|假如|假设|若是|要是|倘若|一旦|设想|假使|若能|若")
FORECAST = re.compile(r"预计|有望|计划|目标|预期|力争|将达到|将突破|将超过|或将|将会|预测|"
                      r"估计将|争取|明年|年底前|未来")
ANALYST = re.compile(r"分析师|研究机构|咨询公司|机构|报告显示|数据显示|研究院|券商")
COMPANY_SAYS = re.compile(r"表示|宣布|介绍|透露|称|财报|公布|官方|数据")


@dataclass(frozen=True)
class ChineseFigure:
    start: int
    end: int
    value: float
    unit: str | None
    qualifier: str
    metric: str


def _value(number: str, scale: str | None) -> float | None:
    try:
        if re.fullmatch(r"[\d,.]+", number):
            return float(number.replace(",", "")) * SCALES.get(scale or "", 1)
        return float(cn2an.cn2an(number + (scale or ""), "smart"))
    except (ValueError, KeyError):
        return None


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the figure's clause before and after it."""
    left = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    right = CLAUSE_END.search(text, end)
    return text[left:start], text[end:right.start() if right else len(text)]


def _metric(before: str, after: str, unit: str | None, sentence_before: str = "") -> str | None:
    if unit in ("%", "％"):
        for metric, cue in PERCENT_METRICS:
            if re.search(cue, before) or re.search(cue, after[:6]):
                return metric
        # "华为以18.2%的市场份额位居第一，vivo和小米分别以16.5%和15.1%位列第二": the cue of
        # the sentence's earlier clause.
        for metric, cue in PERCENT_METRICS:
            if re.search(cue, sentence_before):
                return metric
        return None
    if unit is not None:
        for metric, cue in MONEY_METRICS:
            if re.search(cue, before[-14:]) or re.search(cue, after[:8]):
                return metric
        return None
    for metric, cue in USER_METRICS:
        if re.search(cue, after[:8]) or re.search(cue, before[-10:]):
            return metric
    return None


def chinese_figures(text: str) -> list[ChineseFigure]:
    """Figures in Chinese notation, with their type, unit and hedge."""
    found = []
    for match in FIGURE.finditer(text):
        number, scale, unit = match.group("number"), match.group("scale"), match.group("unit")
        if not re.search(r"\d", number) and not (scale or unit or re.search(r"[十百千万亿]", number)):
            continue  # "一款", "两轮": a word, not a figure
        if match.end() < len(text) and NOT_COUNTED.match(text[match.end():]) and not unit:
            continue
        if re.fullmatch(r"(?:19|20)\d\d", number) and not (scale or unit):
            continue  # a year
        value = _value(number, scale)
        if value is None:
            continue
        before, after = _clause(text, match.start(), match.end())
        opened = max((m.end() for m in SENTENCE_END.finditer(text, 0, match.start())),
                     default=0)
        metric = _metric(before, after, unit, text[opened:match.start() - len(before)])
        if metric is None:
            continue
        if metric in UNITS:
            unit_name = UNITS[metric]
            if value < 100 and not scale:
                continue  # "3名用户" is an anecdote, "两位创始人" a team
        elif unit in ("%", "％"):
            unit_name = "percent"
        else:
            unit_name = CURRENCIES.get(unit or "", "CNY")
        hedge = match.group("hedge")
        qualifier = HEDGES.get(hedge or "", "exact")
        if match.group("more") or match.group("tail") == "以上":
            qualifier = "more_than"
        elif match.group("tail") == "左右":
            qualifier = "about"
        start = match.start() if hedge in HEDGES else match.start("number")
        found.append(ChineseFigure(start, match.end(), value, unit_name, qualifier, metric))
    return found


def _sentence_of(doc: Doc, char: int) -> Span:
    return next((sent for sent in doc.sents if sent.start_char <= char < sent.end_char),
                doc[:])


def _names_before(doc: Doc, end: int, labels: Iterable[str] = LABELS) -> list[Span]:
    return [ent for ent in doc.ents if ent.end_char <= end and ent.label_ in labels]


@lru_cache(maxsize=1)
def _sources() -> frozenset[str]:
    """Outlets and research firms: they report and estimate figures, the figures are not
    theirs."""
    return frozenset(entry.name for entry in load_gazetteer() if entry.source)


def _investor(ent: Span, text: str) -> bool:
    """"由红杉中国领投": a round's investor, not whose round it is (text: the doc's)."""
    after = text[ent.end_char:ent.end_char + 6]
    before = text[max(0, ent.start_char - 2):ent.start_char]
    return bool(re.match(r"(?:等)?(?:领投|跟投|参投|联合领投|投资方|作为投资)", after)) \
        or before.endswith(("由", "获得", "获"))


# Where things are sold or run, never whose figure it is.
PLATFORM_NAMES = frozenset({"iOS", "Android", "HarmonyOS", "App Store", "Google Play",
                            "Windows", "macOS", "Tmall", "Taobao"})
# Before a name: it is compared with ("从红果短剧手中"), carried ("搭载玄戒O1芯片") or a shop
# ("在京东开售").
ASIDE_BEFORE = re.compile(r"(?:从|比|较|相比|对比|落后于|领先于|搭载|配备|采用|在|登陆|上架)"
                          r"[^，。！？]{0,6}$")
MARKET = re.compile(r"市场|行业|规模|整体|大盘|全国")


def _whose_candidates(doc: Doc, ents: Iterable[Span]) -> list[Span]:
    text = doc.text  # joined from every token on each read: once, not per name
    return [ent for ent in ents if ent.kb_id_ not in _sources() and not _investor(ent, text)
            and (ent.kb_id_ or ent.text) not in PLATFORM_NAMES
            and not ASIDE_BEFORE.search(text[max(0, ent.start_char - 8):ent.start_char])
            and not text[ent.end_char:ent.end_char + 2].startswith("芯片")]


def _subject(doc: Doc, figure: ChineseFigure) -> Span | None:
    """Whose figure it is: for a deal, the company bought; for a price, the product or app
    priced; each of names listed with 分别 in turn; none for a market's; else the nearest
    name before it in its sentence, then in the text."""
    sentence = _sentence_of(doc, figure.start)
    inside = [ent for ent in doc.ents if sentence.start_char <= ent.start_char
              and ent.end_char <= sentence.end_char]
    clause_start = figure.start - len(_clause(doc.text, figure.start, figure.end)[0])
    if figure.metric == "deal":
        bought = [ent for ent in inside if re.search(r"(?:收购|并购|买下|入股|投资|注资)了?"
                                                     r"[^，。！？]{0,12}$",
                                                     doc.text[sentence.start_char:ent.start_char])]
        if bought:
            return bought[0]
    before = _whose_candidates(doc, [ent for ent in inside if ent.end_char <= figure.start])
    respectively = doc.text.find("分别", clause_start, figure.start)
    if respectively >= 0:
        # "vivo和小米分别以16.5%和15.1%": the n-th figure is the n-th name's.
        listed = [ent for ent in before if clause_start <= ent.start_char < respectively]
        figures = [f for f in chinese_figures(doc.text[respectively:figure.end])]
        if listed and len(figures) <= len(listed):
            return listed[len(figures) - 1]
    in_clause = [ent for ent in before if ent.start_char >= clause_start]
    if not in_clause and MARKET.search(doc.text[clause_start:figure.start]) or not before \
            and MARKET.search(doc.text[sentence.start_char:figure.start]):
        return None  # "国内高端手机市场的出货量将同比增长8%": the market's
    if figure.metric == "price":
        priced = [ent for ent in before if ent.label_ in ("APP", "PRODUCT")]
        if priced:
            return priced[-1]
    if figure.metric in ("funding", "valuation"):
        before = [ent for ent in before if ent.label_ == "COMPANY"] or before
    if before:
        return before[-1]
    earlier = _whose_candidates(doc, _names_before(doc, sentence.start_char))
    return earlier[-1] if earlier else None


def _modality(doc: Doc, figure: ChineseFigure) -> str:
    sentence = _sentence_of(doc, figure.start)
    text = sentence.text
    before = doc.text[sentence.start_char:figure.start]
    if RUMORED.search(text):
        return "rumored"
    if HYPOTHETICAL.search(before) or text.rstrip().endswith(("？", "?")):
        return "hypothetical"
    if FORECAST.search(before) or re.search(r"将[^，。]{0,6}$", before):
        return "forecast"
    return "reported"


def _claimant(doc: Doc, figure: ChineseFigure, modality: str) -> str:
    text = _sentence_of(doc, figure.start).text
    if modality == "rumored":
        return "sources"
    if ANALYST.search(text) or any(ent.kb_id_ in _sources() for ent in
                                   _sentence_of(doc, figure.start).ents):
        return "analyst"
    if COMPANY_SAYS.search(text):
        return "company"
    return "outlet"


def _metrics(doc: Doc, published: str | None) -> list[Metric]:
    metrics = []
    for figure in chinese_figures(doc.text):
        subject = _subject(doc, figure)
        modality = _modality(doc, figure)
        sentence = _sentence_of(doc, figure.start)
        metrics.append(Metric(
            subject=(subject.kb_id_ or subject.text) if subject is not None else None,
            metric=figure.metric, value=figure.value, unit=figure.unit,
            qualifier=figure.qualifier, modality=modality,
            text=doc.text[figure.start:figure.end], start=figure.start, end=figure.end,
            claimant=_claimant(doc, figure, modality), as_of=published,
            subject_label=subject.label_ if subject is not None else None,
            sentence=sentence.text.strip()))
    return metrics


# --- launches ----------------------------------------------------------------------------

LAUNCH_CUE = re.compile(
    r"(?P<plan>即将|将于|将在|将|计划|准备|预计|拟|有望)?[^，。！？]{0,12}?"
    r"(?P<cue>正式上线|正式推出|正式发布|正式开售|正式上市|上线|推出|发布|开售|上市|公测|内测|"
    r"首发|亮相|登陆|开放下载)")
# What is launched is no product: a report, a policy, a campaign, a feature of an app.
NOT_LAUNCHED_OBJECTS = re.compile(r"^(?:了)?(?:[^，。]{0,6})(?:财报|报告|公告|声明|业绩|数据|"
                                  r"通知|政策|规定|白皮书|预告|榜单|名单|活动|红包|补贴|优惠|"
                                  r"计划|措施)|^[^，。！？]*功能(?:[，。！？]|$)")
# The article says it cannot be had yet: revealed, not launched.
NOT_AVAILABLE_YET = re.compile(r"内部测试|暂未对外|尚未对外|暂时无法|无法申请|未公布(?:量产|上市|"
                               r"发售)|未对外开放|尚未开放|暂不开放")
DATE_WORDS = re.compile(r"\d+月|\d+日|月底|年底|年内|春天|夏天|秋天|冬天|春季|夏季|秋季|冬季|"
                        r"下周|下个月|下月|明年|今年|季度|[一二三四五六七八九十]+月")
PLATFORMS = (("Android", r"安卓|Android"), ("iOS", r"iOS|苹果版|iPhone版|App Store"),
             ("HarmonyOS", r"鸿蒙|HarmonyOS"), ("Windows", r"Windows"),
             ("Mac", r"Mac版|macOS"), ("WeChat mini program", r"微信小程序"))


def _launch_modality(sentence: str, cue: re.Match) -> str:
    if RUMORED.search(sentence):
        return "rumored"
    if cue.group("plan") or re.search(r"即将|计划|准备|预计|将(?:于|在)?[^，。]{0,10}$",
                                      sentence[:cue.start("cue")]):
        return "planned" if DATE_WORDS.search(sentence) else "announced"
    if cue.group("cue") == "内测" and (
            re.search(r"尚未|暂未|暂不|未对外|不对外|仅限内部|内部员工", sentence)
            or not re.search(r"开放|用户可|可以|已经|已|即可|申请", sentence)):
        return "announced"  # a closed beta nobody outside can use yet
    return "launched"


def _stated_day(sentence: str, published: str | None) -> str | None:
    if published is None:
        return None
    if re.search(r"今天|今日", sentence):
        return published[:10]
    match = re.search(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日", sentence)
    if match:
        year = match.group(1) or published[:4]
        return f"{year}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    return None


def _launch_facts(doc: Doc, published: str | None, metrics: list[Metric],
                  title_names: set[str]) -> list[Launch]:
    facts = []
    companies = [ent for ent in doc.ents if ent.label_ == "COMPANY"]
    whole = doc.text  # joined from every token on each read: once, not per name
    for index, sentence in enumerate(doc.sents):
        text = sentence.text
        cues = [cue for cue in LAUNCH_CUE.finditer(text)
                if not NOT_LAUNCHED_OBJECTS.match(text[cue.end():])]
        # "新推出的抖音商城将在下个月正式上线": a cue used as an adjective yields to the verb.
        verbs = [cue for cue in cues if not text[cue.end():].startswith("的")]
        for cue in verbs or cues:
            at = sentence.start_char + cue.start("cue")
            after_at = sentence.start_char + cue.end()
            inside = [ent for ent in sentence.ents]
            launchable = [ent for ent in inside if ent.label_ in ("APP", "PRODUCT")
                          and (ent.kb_id_ or ent.text) not in PLATFORM_NAMES]
            # "墨点笔记正式上线，用户可在iOS…": the name its clause launches, then one after
            # the cue ("推出了X"), then one named earlier in the sentence ("乐道正在筹备L80，
            # 最快将于三季度推出").
            products = [ent for ent in launchable if ent.end_char <= at
                        and not CLAUSE_END.search(whole[ent.end_char:at])][-1:] or \
                [ent for ent in launchable if ent.start_char >= after_at
                 and not CLAUSE_END.search(whole[after_at:ent.start_char])] or \
                [ent for ent in launchable if ent.end_char <= at][-1:]
            if not products:
                continue
            product = products[0]
            maker = [ent for ent in inside if ent.label_ == "COMPANY" and ent.end_char <= at]
            company = maker[-1] if maker else (companies[0] if companies else None)
            price = next((m.text for m in metrics if m.metric == "price"
                          and sentence.start_char <= m.start < sentence.end_char), None)
            platforms = [name for name, cue_words in PLATFORMS if re.search(cue_words, text)]
            facts.append(Launch(
                company=(company.kb_id_ or company.text) if company is not None else None,
                product=product.kb_id_ or product.text, modality=_launch_modality(text, cue),
                date=_stated_day(text, published), sentence=text.strip(),
                platform=" and ".join(platforms) or None, price=price,
                start=sentence.start_char, end=sentence.end_char, product_label=product.label_,
                about=index < 3 or (product.kb_id_ or product.text) in title_names))
            break  # a sentence's first launch is its fact
    first = next((index for index, fact in enumerate(facts) if fact.about), None)
    facts = [replace(fact, about=index == first) for index, fact in enumerate(facts)]
    if first is not None and facts[first].modality == "launched" \
            and NOT_AVAILABLE_YET.search(doc.text):
        facts[first] = replace(facts[first], modality="announced")  # "仍处于内部测试阶段"
    return facts


# --- the pipeline ------------------------------------------------------------------------

@Language.factory("launchwire_zh_names")
def make_chinese_names(nlp: Language, name: str) -> ChineseNames:
    return ChineseNames(load_gazetteer())


@lru_cache(maxsize=1)
def load_chinese() -> Language:
    """spaCy's Chinese tokenizer segmenting with jieba, the gazetteer's names on characters
    and a sentencizer for Chinese stops."""
    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not ours to print
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    # Added before any text is segmented: its names join jieba's dictionary.
    pipeline.add_pipe("launchwire_zh_names")
    pipeline.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    return pipeline


def _kind(launches: list[Launch], metrics: list[Metric]) -> str:
    if launches:
        return "launch"
    if any(m.metric in ("funding", "deal", "revenue", "valuation", "growth") for m in metrics):
        return "other"
    return "coverage"


def analyze_chinese_doc(doc: Doc, published: str | None = None,
                        title: str | None = None) -> Analysis:
    """One read Chinese Doc -> Analysis, the contract English articles follow."""
    title_names = {name.canonical for name in
                   load_chinese().get_pipe("launchwire_zh_names").names(title or "")}
    entities = [Entity(ent.text, ent.label_, ent.start_char, ent.end_char,
                       ent.kb_id_ or ent.text, _sentence_of(doc, ent.start_char).text.strip())
                for ent in doc.ents]
    metrics = _metrics(doc, published)
    facts = _launch_facts(doc, published, metrics, title_names)
    launches = article_launches(facts)
    writing = genre(doc)
    summary = mark_quotable(doc, facts, metrics, argues=writing == COMMENTARY)
    if launches:
        launches[0].quotable = any(fact.quotable for fact in facts if fact.about)
    return Analysis(entities, metrics, launches, "".join(summary), facts, summary,
                    _kind(launches, metrics), writing)


def analyze_chinese(texts: Iterable[str], published: Iterable[str | None] | None = None,
                    titles: Iterable[str | None] | None = None,
                    batch_size: int = 32) -> Iterator[Analysis]:
    """One Analysis per Chinese text, in order (`nlp.pipe` over the Chinese pipeline)."""
    texts = list(texts)
    dates = list(published) if published is not None else [None] * len(texts)
    headlines = list(titles) if titles is not None else [None] * len(texts)
    docs = load_chinese().pipe(texts, batch_size=batch_size)
    for doc, date, title in zip(docs, dates, headlines):
        yield analyze_chinese_doc(doc, date, title)
