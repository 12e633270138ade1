"""Story rules: what of the stored stories new articles can still meet, which story each
article joins, which stories turn out to be one launch, and what a story says.

Pure functions over the plain records the `cluster` stage reads through `db/launches.py`
(JSON columns decoded, times as stored ISO text); `launchwire/stages.py` wires the two.
The maths of which articles tell one launch is `nlp.cluster`'s.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from nlp.cluster import (
    COPY_WINDOW, SAME_STAGE_WINDOW, TEXT_WINDOW, Item, Story, StoryIndex, clearest_headline,
    normal_name, product_key, same_launch,
)
from nlp.summarize import Attributed, story_summary
from nlp.vocabulary import STAGES, parse_time

PROMINENT_PRODUCTS = 3
PROMINENT_COMPANIES = 3
KEY_METRICS = 6
SUMMARY_SENTENCES = 4
MODALITY_TRUST = {"reported": 0, "forecast": 1, "rumored": 2, "hypothetical": 3}
# A figure only imagined ("if it reached 100 million users…") is never one of a story's.
UNCITED_MODALITY = "hypothetical"

Record = dict[str, Any]


def _stage(modality: str | None) -> int:
    return STAGES.index(modality) if modality in STAGES else -1


def prominent(names: list[Record],
              title: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The products an article is about (named in its title, or more than once, most named
    first) and the companies it names most.

    names (list[dict]): the entities it mentions: name, aliases, label, times, first (offset).
    title (str): its title.
    """
    title_words = set(normal_name(title).split())
    products = []
    for row in names:
        if row["label"] not in {"APP", "PRODUCT"}:
            continue
        spellings = (row["name"], *row["aliases"])
        in_title = any(set(normal_name(name).split()) <= title_words for name in spellings
                       if normal_name(name))
        if in_title or row["times"] >= 2:
            products.append((not in_title, -row["times"], row["first"], spellings))
    companies = sorted((row for row in names if row["label"] == "COMPANY"),
                       key=lambda row: (-row["times"], row["first"]))
    return (tuple(spellings for *_, spellings in sorted(products)[:PROMINENT_PRODUCTS]),
            tuple(row["name"] for row in companies[:PROMINENT_COMPANIES]))


def article_item(article: Record) -> Item:
    """An article waiting for its story, as clustering sees it.

    article (dict): a `db.launches.pending_articles` record.
    """
    mentioned, makers = prominent(article["names"], article["title"] or "")
    return Item(article["id"], parse_time(article["seen"]), article["text"] or "",
                article["product"], article["company"], article["modality"],
                article["product_aliases"], article["company_aliases"], mentioned, makers,
                article["kind"] or "coverage")


@dataclass(frozen=True)
class LookBack:
    """How far back stored work can still meet the pending articles, the oldest first."""
    copies: datetime  # placed articles a pending one may be a copy of
    waiting: datetime  # articles waiting for a story of the product they named
    unplaced: datetime  # coverage in no story that a new story may adopt by its text


def look_back(items: list[Item]) -> LookBack:
    earliest = min(item.published for item in items)
    return LookBack(earliest - COPY_WINDOW, earliest - SAME_STAGE_WINDOW, earliest - TEXT_WINDOW)


def restored_index(stories: Iterable[Record], placed_texts: Iterable[Record],
                   reserved: set[str], waiting: Iterable[Record],
                   unplaced: Iterable[Record]) -> StoryIndex:
    """The stories as stored, and what new articles may still meet of them.

    stories: `db.launches.stored_stories` records.
    placed_texts: texts of placed articles since `LookBack.copies` (id, seen, text).
    reserved: the keys of stories merged away, never handed out again.
    waiting: articles in no story with the product keys they wait under (id, seen,
        products, companies), since `LookBack.waiting`.
    unplaced: texts of recent coverage in no story (id, seen, text), since `LookBack.unplaced`.
    """
    index = StoryIndex()
    texts = {row["id"]: (parse_time(row["seen"]), row["text"] or "") for row in placed_texts}
    for row in stories:
        story = Story(row["story_key"], set(row["product_keys"]), set(row["company_keys"]),
                      parse_time(row["first_seen"]) if row["first_seen"] else None,
                      parse_time(row["last_seen"]) if row["last_seen"] else None,
                      _stage(row["modality"]), row["members"])
        index.restore(story, {i: texts[i] for i in story.members if i in texts})
    index.reserved = set(reserved)
    for row in waiting:
        index.restore_orphan(row["id"], parse_time(row["seen"]), set(row["products"]),
                             set(row["companies"]))
    for row in unplaced:
        index.restore_unplaced(row["id"], parse_time(row["seen"]), row["text"] or "")
    return index


@dataclass
class Placement:
    """Where the pending articles went."""
    # Each story that gained articles (a new story too), with the articles it gained:
    # pending ones, and earlier coverage it adopted.
    joined: list[tuple[Story, list[int]]]
    # Articles in no story that name a product: article id → the product keys and companies
    # it waits under, so that a later story of that product adopts it.
    waiting: dict[int, dict[str, list[str]]]


def place(index: StoryIndex, items: list[Item]) -> Placement:
    """Add the pending articles, in publication order, to the stories they belong to."""
    placed: dict[str, list[int]] = {}
    orphans = []
    for item in items:
        key = index.add(item)
        if key is not None:
            placed.setdefault(key, []).append(item.id)
        elif item.kind != "other" and item.mentioned:
            orphans.append(item)
    for article_id, key in index.adopted:
        placed.setdefault(key, []).append(article_id)
    waiting = {item.id: {"products": sorted(index.orphan_keys(item)),
                         "companies": sorted({normal_name(name) for name in item.makers})}
               for item in orphans if item.id not in index.story_of}
    return Placement([(index.stories[key], ids) for key, ids in placed.items()], waiting)


@dataclass(frozen=True)
class Merge:
    """Story `gone` (whose key was `gone_key`) is part of story `keep` from now on."""
    keep: int
    gone: int
    gone_key: str


def same_product_merges(stories: Iterable[Record]) -> list[Merge]:
    """Stories whose products turn out to be one entity (an alias learnt since, or one name
    under another) become one: the older story keeps its id and takes the other's articles.

    stories: `db.launches.stories_with_products` records, oldest story first.
    RETURNS (list[Merge]): the merges, in the order they are to be made.
    """
    found = []
    for row in stories:
        if not row["name"]:
            continue
        makers = [name for name in (row["company"], *row["company_aliases"]) if name]
        keys = {product_key(name, makers) for name in (row["name"], *row["aliases"])}
        story = Story(row["story_key"], keys, set(row["company_keys"]),
                      parse_time(row["first_seen"]), parse_time(row["last_seen"]),
                      _stage(row["modality"]))
        found.append((row["id"], story))
    by_key: dict[str, list[tuple[int, Story]]] = {}
    for launch_id, story in found:
        for key in story.products:
            by_key.setdefault(key, []).append((launch_id, story))
    merges: list[Merge] = []
    merged_into: dict[int, int] = {}
    for group in by_key.values():
        for (first_id, first), (other_id, other) in zip(group, group[1:]):
            first_id = merged_into.get(first_id, first_id)
            if first_id == other_id or other_id in merged_into:
                continue
            earlier, later = sorted((first, other), key=lambda s: s.first or datetime.max)
            if same_launch(earlier, later):
                merges.append(Merge(keep=first_id, gone=other_id, gone_key=other.key))
                merged_into[other_id] = first_id
    return merges


def after_merges(launch_ids: set[int], merges: list[Merge]) -> set[int]:
    """The stories to refresh: these, and those that took others in, less those merged away."""
    merged_into = {merge.gone: merge.keep for merge in merges}
    kept = launch_ids | {merge.keep for merge in merges}
    return {merged_into.get(launch_id, launch_id) for launch_id in kept} - set(merged_into)


def _mode(values: Iterable[Any]) -> Any:
    counts = Counter(value for value in values if value is not None)
    return counts.most_common(1)[0][0] if counts else None


def main_entities(articles: list[Record]) -> tuple[int | None, int | None]:
    """A story's product and company: the ones most of its articles' launch facts name."""
    return (_mode(row["product_id"] for row in articles),
            _mode(row["company_id"] for row in articles))


def key_metrics(figures: list[Record]) -> list[Record]:
    """The story's figures, one per kind: the value most of its articles give (then the most
    firmly stated), the most widely given kinds first.

    figures (list[dict]): its articles' figures about its product or company, never
        hypothetical, by article and then position.
    """
    chosen = []
    for metric in dict.fromkeys(row["metric"] for row in figures):
        same = [row for row in figures if row["metric"] == metric]
        counts = Counter((row["value"], row["unit"]) for row in same)
        best = min(same, key=lambda row: (-counts[(row["value"], row["unit"])],
                                          MODALITY_TRUST.get(row["modality"], 9)))
        chosen.append({**best, "articles": counts[(best["value"], best["unit"])]})
    return sorted(chosen, key=lambda row: -row["articles"])[:KEY_METRICS]


def _summary(articles: list[Record]) -> list[Attributed]:
    """The story's summary, led by the first launch fact's sentence its articles state."""
    stated = next((row for row in articles if row["sentence"]), None)
    return story_summary(
        [(row["id"], row["source"], row["summary_sentences"]) for row in articles],
        SUMMARY_SENTENCES,
        Attributed(stated["sentence"].strip(), stated["id"], stated["source"]) if stated else None)


def story_fields(articles: list[Record], names: dict[int, str],
                 figures: list[Record]) -> Record:
    """What a story says, from its articles, their launch facts and their figures.

    articles (list[dict]): `db.launches.story_articles` records, oldest first (at least one).
    names (dict): entity id → name, for the story's product and company (`main_entities`).
    figures (list[dict]): see `key_metrics`.
    RETURNS (dict): the `launches` columns derived from them.
    """
    product_id, company_id = main_entities(articles)
    stage_dates = {}
    for stage in STAGES:
        days = [row["date"] or row["seen"][:10] for row in articles if row["modality"] == stage]
        stage_dates[f"{stage}_on"] = min(days) if days else None
    reached = [stage for stage in STAGES if stage_dates[f"{stage}_on"]]
    first, last = articles[0], articles[-1]
    summary = _summary(articles)
    return {
        "product_id": product_id, "company_id": company_id,
        "modality": reached[-1] if reached else None, **stage_dates,
        "first_seen": first["seen"], "first_article_id": first["id"],
        "first_source": first["source"], "last_seen": last["seen"], "updated": last["seen"],
        "date": next((stage_dates[f"{s}_on"] for s in reversed(STAGES) if stage_dates[f"{s}_on"]),
                     first["seen"][:10]),
        "headline": clearest_headline([row["title"] for row in articles], names.get(product_id),
                                      names.get(company_id)),
        "coverage": len(articles),
        "outlets": sorted({row["source"] for row in articles}),
        "key_metrics": key_metrics(figures),
        "summary": " ".join(f"{item.sentence} ({item.source})" for item in summary),
        "summary_sources": [{"sentence": item.sentence, "article_id": item.article_id,
                             "source": item.source} for item in summary],
    }
